import type { Severity } from './types.ts'

/** An ingress-nginx annotation the converter reports but cannot express in an HTTPRoute. */
export interface Advice {
  severity: Severity
  /** What it needs on the Gateway API / Envoy Gateway side. */
  todo: string
  /** An error that makes any HTTPRoute wrong, so none is emitted. */
  blocking?: boolean
}

const EXT_AUTH: Advice = {
  severity: 'warning',
  todo: 'needs an Envoy Gateway `SecurityPolicy` with `extAuth.http` (`backendRefs`, `path`, `headersToBackend`) targeting the route, and an auth server that speaks ext-authz; until then the route is NOT protected',
}
const BASIC_AUTH: Advice = {
  severity: 'warning',
  todo: 'needs an Envoy Gateway `SecurityPolicy` with `basicAuth.users` (a Secret whose `.htpasswd` key holds the old `auth` key); until then the route is NOT protected',
}
const SOURCE_RANGE: Advice = {
  severity: 'warning',
  todo: 'needs an Envoy Gateway `SecurityPolicy` `authorization` rule on `principal.clientCIDRs`, and the real client IP at the gateway; until then the route is open to every client',
}
const SNIPPET: Advice = { severity: 'error', todo: 'raw nginx configuration is not convertible (only an Envoy Gateway `EnvoyPatchPolicy` could do it); the route is emitted without it' }
const RATE_LIMIT: Advice = { severity: 'warning', todo: 'needs an Envoy Gateway `BackendTrafficPolicy` `rateLimit`' }
const AFFINITY: Advice = { severity: 'warning', todo: 'needs an Envoy Gateway `BackendTrafficPolicy` `loadBalancer` of type `ConsistentHash` with a `Cookie` hash' }
const LOAD_BALANCE: Advice = { severity: 'warning', todo: 'needs an Envoy Gateway `BackendTrafficPolicy` `loadBalancer.type`' }
const RETRY: Advice = { severity: 'warning', todo: 'needs an Envoy Gateway `BackendTrafficPolicy` `retry`' }
const BACKEND_TLS: Advice = { severity: 'warning', todo: 'backend TLS settings belong in a `BackendTLSPolicy` (CA and hostname; it cannot skip verification)' }
const LISTENER_TLS: Advice = {
  severity: 'warning',
  todo: 'TLS to clients is set on the Gateway listener (Envoy Gateway `ClientTrafficPolicy`), shared by every route; it cannot be set per app',
}
const MIRROR: Advice = { severity: 'warning', todo: 'not converted: a `RequestMirror` filter with a Service backendRef can replace it' }
const NO_EQUIVALENT: Advice = { severity: 'warning', todo: 'has no Gateway API or Envoy Gateway equivalent; not converted' }
const NOT_NEEDED: Advice = { severity: 'info', todo: 'nginx tuning with no counterpart needed on Envoy; dropped' }
const WAF: Advice = { severity: 'warning', todo: 'Envoy Gateway has no ModSecurity; not converted' }
const ERROR_PAGES: Advice = { severity: 'warning', todo: 'needs an Envoy Gateway `BackendTrafficPolicy` `responseOverride`; not converted' }

/** Report-only ingress-nginx annotations, by name without the `nginx.ingress.kubernetes.io/` prefix. */
export const ADVICE: Readonly<Record<string, Advice>> = {
  'custom-headers': { severity: 'warning', todo: 'needs a `ResponseHeaderModifier` filter with the headers of the ConfigMap it names (not read by the converter)' },
  'proxy-set-headers': { severity: 'warning', todo: 'needs a `RequestHeaderModifier` filter with the headers of the ConfigMap it names (not read by the converter)' },
  'whitelist-source-range': SOURCE_RANGE,
  'allowlist-source-range': SOURCE_RANGE,
  'denylist-source-range': SOURCE_RANGE,
  'auth-url': EXT_AUTH,
  'auth-signin': EXT_AUTH,
  'auth-signin-redirect-param': EXT_AUTH,
  'auth-response-headers': EXT_AUTH,
  'auth-request-redirect': EXT_AUTH,
  'auth-method': EXT_AUTH,
  'auth-cache-key': EXT_AUTH,
  'auth-cache-duration': EXT_AUTH,
  'auth-always-set-cookie': EXT_AUTH,
  'auth-proxy-set-headers': EXT_AUTH,
  'auth-keepalive': EXT_AUTH,
  'auth-keepalive-requests': EXT_AUTH,
  'auth-keepalive-timeout': EXT_AUTH,
  'auth-keepalive-share-vars': EXT_AUTH,
  'enable-global-auth': { severity: 'info', todo: 'global external auth is an nginx controller setting; dropped' },
  'auth-type': BASIC_AUTH,
  'auth-secret': BASIC_AUTH,
  'auth-secret-type': BASIC_AUTH,
  'auth-realm': BASIC_AUTH,
  satisfy: { severity: 'warning', todo: 'combines nginx auth with source ranges; rebuild it as `SecurityPolicy` rules' },
  'auth-snippet': SNIPPET,
  'configuration-snippet': SNIPPET,
  'server-snippet': SNIPPET,
  'stream-snippet': SNIPPET,
  'modsecurity-snippet': SNIPPET,
  'limit-rps': RATE_LIMIT,
  'limit-rpm': RATE_LIMIT,
  'limit-connections': RATE_LIMIT,
  'limit-burst-multiplier': RATE_LIMIT,
  'limit-rate': RATE_LIMIT,
  'limit-rate-after': RATE_LIMIT,
  'limit-whitelist': RATE_LIMIT,
  'limit-allowlist': RATE_LIMIT,
  'global-rate-limit': RATE_LIMIT,
  'global-rate-limit-window': RATE_LIMIT,
  'global-rate-limit-key': RATE_LIMIT,
  'global-rate-limit-ignored-cidrs': RATE_LIMIT,
  affinity: AFFINITY,
  'affinity-mode': AFFINITY,
  'affinity-canary-behavior': AFFINITY,
  'load-balance': LOAD_BALANCE,
  'upstream-hash-by': LOAD_BALANCE,
  'upstream-hash-by-subset': LOAD_BALANCE,
  'upstream-hash-by-subset-size': LOAD_BALANCE,
  'proxy-next-upstream': RETRY,
  'proxy-next-upstream-timeout': RETRY,
  'proxy-next-upstream-tries': RETRY,
  'ssl-passthrough': { severity: 'error', todo: 'needs a `TLSRoute` on a Passthrough listener; no HTTPRoute is emitted', blocking: true },
  'proxy-ssl-secret': BACKEND_TLS,
  'proxy-ssl-verify': BACKEND_TLS,
  'proxy-ssl-verify-depth': BACKEND_TLS,
  'proxy-ssl-name': BACKEND_TLS,
  'proxy-ssl-server-name': BACKEND_TLS,
  'proxy-ssl-ciphers': BACKEND_TLS,
  'proxy-ssl-protocols': BACKEND_TLS,
  'ssl-ciphers': LISTENER_TLS,
  'ssl-prefer-server-ciphers': LISTENER_TLS,
  'mirror-target': MIRROR,
  'mirror-host': MIRROR,
  'mirror-request-body': MIRROR,
  'proxy-cookie-domain': NO_EQUIVALENT,
  'proxy-cookie-path': NO_EQUIVALENT,
  'proxy-redirect-from': NO_EQUIVALENT,
  'proxy-redirect-to': NO_EQUIVALENT,
  'custom-http-errors': ERROR_PAGES,
  'default-backend': ERROR_PAGES,
  'enable-modsecurity': WAF,
  'enable-owasp-core-rules': WAF,
  'modsecurity-transaction-id': WAF,
  'proxy-buffering': NOT_NEEDED,
  'proxy-buffer-size': NOT_NEEDED,
  'proxy-buffers-number': NOT_NEEDED,
  'proxy-busy-buffers-size': NOT_NEEDED,
  'proxy-max-temp-file-size': NOT_NEEDED,
  'proxy-request-buffering': NOT_NEEDED,
  'client-body-buffer-size': NOT_NEEDED,
  'proxy-http-version': NOT_NEEDED,
  'connection-proxy-header': NOT_NEEDED,
  'service-upstream': { severity: 'info', todo: 'Envoy Gateway routes to endpoints; dropped' },
  'enable-access-log': { severity: 'info', todo: 'access logging is configured on the Envoy proxy, not per route; dropped' },
  'enable-rewrite-log': NOT_NEEDED,
  'enable-opentelemetry': { severity: 'info', todo: 'tracing is configured on the Envoy proxy, not per route; dropped' },
  'enable-opentracing': { severity: 'info', todo: 'tracing is configured on the Envoy proxy, not per route; dropped' },
  'enable-websocket': { severity: 'info', todo: 'no such ingress-nginx key; Envoy Gateway proxies WebSockets without configuration; dropped' },
  'preserve-trailing-slash': { severity: 'info', todo: 'only affected nginx’s https redirect; dropped' },
  'use-port-in-redirects': { severity: 'info', todo: 'only affected nginx’s own redirects; dropped' },
  'http2-push-preload': { severity: 'info', todo: 'HTTP/2 push is obsolete; dropped' },
}

/** Report-only annotation families, checked in order when no exact key matches. */
export const ADVICE_FAMILIES: readonly [RegExp, Advice][] = [
  [/^auth-tls-/, LISTENER_TLS],
  [/-snippet$/, SNIPPET],
  [/^auth-/, EXT_AUTH],
  [/^(global-rate-)?limit/, RATE_LIMIT],
  [/^proxy-ssl-/, BACKEND_TLS],
  [/^mirror-/, MIRROR],
  [/^proxy-buffer/, NOT_NEEDED],
  [/^session-cookie-/, AFFINITY],
  [/^opentelemetry-/, { severity: 'info', todo: 'tracing is configured on the Envoy proxy, not per route; dropped' }],
  [/^opentracing-/, { severity: 'info', todo: 'tracing is configured on the Envoy proxy, not per route; dropped' }],
  [/^(enable-)?hsts/, LISTENER_TLS],
]
