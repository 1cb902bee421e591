/**
 * Shapes shared by the Ingress → Gateway API converter: findings, the caller's context, and the plain-object
 * HTTPRoute it emits. Inputs are plain JS values (as parsed from YAML, where every scalar may be a string).
 */

export type Severity = 'error' | 'warning' | 'info'
export type FindingPath = (string | number)[]

/** One diagnostic about the conversion of one input object. */
export interface IngressFinding {
  severity: Severity
  /** Kebab-case sub-id, e.g. `annotation-not-converted`. */
  rule: string
  /** Names the object (`Ingress default/sonarr`) and, where relevant, the annotation. Never a secret value. */
  message: string
  /** Key path inside the input object, for locating the finding in its source. */
  path: FindingPath
  hint?: string
  /** Information was dropped or semantics approximated. */
  loss?: boolean
}

/** A Gateway listener a route attaches to, with what the migrator knows about it. */
export interface GatewayTarget {
  name: string
  namespace: string
  sectionName?: string
  /** The listener's hostname (`*.rtrox.io`); routes whose hostnames don't intersect it are never Accepted. */
  listenerHostname?: string
  /** Names the listener's certificate covers (TLS wildcards cover exactly one label). */
  certificateHosts?: readonly string[]
  /** The external-dns target set on the Gateway, to compare with an Ingress's `…/target` annotation. */
  externalDnsTarget?: string
}

/** Result of substituting `${VAR}`, `${VAR:-default}` or `{{ .Release.Name }}` in a text. */
export type ResolveResult = { value: string } | { unresolved: string[] }
export type Resolver = (text: string) => ResolveResult

/** Options common to both converters; every field has a Chongus default. */
export interface ConvertOptions {
  /** Gateways by key, merged over the defaults `internal` (envoy-internal) and `external` (envoy-external) in `network`. */
  gateways?: Readonly<Record<string, GatewayTarget>>
  /** Ingress class → gateway key; merged over the defaults (`nginx` → internal, `nginx-external` → external). */
  classes?: Readonly<Record<string, string>>
  /** Gateway key for class-less Ingresses (default `internal`). */
  defaultGateway?: string
  /** Gateway key that public-exposure hints point at (default `external`). */
  publicGateway?: string
  /** Substitutes variables in hosts and carried annotation values; without it any placeholder is unresolved. */
  resolve?: Resolver
  /** Prefix for carried external-dns annotations (default `external-dns.alpha.kubernetes.io/`). */
  externalDnsPrefix?: string
}

/** Context for {@link convertIngress}. */
export interface IngressContext extends ConvertOptions {
  /** Service objects, used to turn named backend ports into numbers. */
  services?: readonly unknown[]
  /** Other Ingress objects of the same input, used to fold canary Ingresses into their primary's route. */
  ingresses?: readonly unknown[]
}

/** Context for {@link convertAppTemplateIngress}. */
export interface AppTemplateContext extends ConvertOptions {
  /** bjw-s app-template chart version the values are rendered with (`3.7.3`, `4.4.0`). */
  chartVersion: string
}

export interface PathMatch {
  type: 'Exact' | 'PathPrefix' | 'RegularExpression'
  value: string
}

export interface HeaderMatch {
  type: 'Exact'
  name: string
  value: string
}

export interface RouteMatch {
  path: PathMatch
  headers?: HeaderMatch[]
}

export interface BackendRef {
  name: string
  port: number
  weight?: number
}

export interface PathModifier {
  type: 'ReplaceFullPath' | 'ReplacePrefixMatch'
  replaceFullPath?: string
  replacePrefixMatch?: string
}

export interface RequestRedirect {
  scheme?: string
  hostname?: string
  port?: number
  path?: PathModifier
  statusCode: number
}

export interface CorsPolicy {
  allowOrigins?: string[]
  allowMethods?: string[]
  allowHeaders?: string[]
  exposeHeaders?: string[]
  allowCredentials?: boolean
  maxAge?: number
}

export type RouteFilter =
  | { type: 'RequestRedirect'; requestRedirect: RequestRedirect }
  | { type: 'URLRewrite'; urlRewrite: { hostname?: string; path?: PathModifier } }
  | { type: 'RequestHeaderModifier'; requestHeaderModifier: { set: { name: string; value: string }[] } }
  | { type: 'CORS'; cors: CorsPolicy }

export interface RouteTimeouts {
  request?: string
  backendRequest?: string
}

export interface HTTPRouteRule {
  matches?: RouteMatch[]
  filters?: RouteFilter[]
  backendRefs?: BackendRef[]
  timeouts?: RouteTimeouts
}

export interface ParentRef {
  name: string
  namespace: string
  sectionName?: string
}

/** A `gateway.networking.k8s.io/v1` HTTPRoute as a plain object. */
export interface HTTPRoute {
  apiVersion: 'gateway.networking.k8s.io/v1'
  kind: 'HTTPRoute'
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }
  spec: { parentRefs: ParentRef[]; hostnames?: string[]; rules: HTTPRouteRule[] }
}
