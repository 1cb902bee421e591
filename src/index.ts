/**
 * bitty2chongus as a library: migrate legacy Flux apps in memory and get the changes, diagnostics and patch.
 * @packageDocumentation
 */
export { migrate, loadConfig, type MigrateOptions, type MigrateResult } from './migrate.ts'
export { defineTransform, type Transform, type TransformContext, type Report, type Location, type RunOptions } from './transform-api.ts'
export { builtinTransforms } from '../transforms/index.ts'
export { MemoryVfs, type Vfs } from './vfs.ts'
export { NodeVfs, writeAtomically } from './fs.ts'
export { formatDiagnostics, type Diagnostic, type Severity, type ResourceRef } from './diagnostics.ts'
export { type Change, type ChangeStatus, toPatch } from './patch.ts'
export { DEFAULT_CONFIG, resolveConfig, parseConfig, type Config } from './config.ts'
export { MigrationError, type ErrorCode } from './errors.ts'
export { ingressToRoutes, type StandaloneFinding, type StandaloneOptions } from './ingress/index.ts'
