/**
 * Ingress → Gateway API conversion: pure functions over plain objects (no I/O), plus a standalone entry that
 * reads and prints a manifest stream.
 */
export { convertIngress, type IngressResult } from './convert.ts'
export { convertAppTemplateIngress, type AppTemplateResult, type AppTemplateRoute, type AppTemplateRule, type AppTemplateBackendRef } from './app-template.ts'
export { ingressToAppTemplateRoutes, type RawAppTemplateContext, type RawAppTemplateResult, type ReleaseService } from './raw-app-template.ts'
export { ingressToRoutes, type StandaloneFinding, type StandaloneOptions } from './standalone.ts'
export { DEFAULT_CLASSES, DEFAULT_GATEWAYS, gatewayTargets, type GatewayConfig } from './gateway.ts'
export { makeResolver, type ResolverInput } from './resolve.ts'
export { placeholders } from './hosts.ts'
export { formatDuration } from './annotation-translate.ts'
export { LIMITS } from './plan.ts'
export type * from './types.ts'
