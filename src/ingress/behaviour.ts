import type { CorsPolicy, FindingPath, RequestRedirect, RouteTimeouts } from './types.ts'

/** Prefix of ingress-nginx annotations. */
export const NGINX = 'nginx.ingress.kubernetes.io/'

/** Canary settings of an Ingress (`canary*` annotations). */
export interface Canary {
  weight?: number
  total: number
}

/**
 * What an Ingress's annotations ask of every route built from it. Filled by {@link readAnnotations}; every
 * annotation has already been reported (translated, carried, dropped or not converted) when this exists.
 */
export interface Behaviour {
  /** Paths are nginx regexes (`use-regex`, or a `rewrite-target` on the Ingress). */
  regex: boolean
  rewriteTarget?: string
  /** `permanent-`/`temporal-redirect`: every rule redirects instead of proxying. */
  redirect?: RequestRedirect
  appRoot?: string
  wwwRedirect: boolean
  upstreamVhost?: string
  forwardedPrefix?: string
  cors?: CorsPolicy
  timeouts?: RouteTimeouts
  serverAliases: string[]
  /** Annotations carried onto the HTTPRoute (external-dns keys, foreign keys), values resolved. */
  routeAnnotations: Record<string, string>
  /** Set when this Ingress is a canary of another (`canary: "true"`). */
  canary?: Canary
  /** The external-dns `…/target` annotation (dropped: external-dns reads the target from the Gateway). */
  dnsTarget?: { value: string; at: FindingPath }
  /** The `kubernetes.io/ingress.class` annotation. */
  classAnnotation?: string
  /** An annotation makes any HTTPRoute wrong (ssl-passthrough, FastCGI): emit none. */
  blocking: boolean
}

/** A fresh behaviour with nothing requested. */
export function emptyBehaviour(): Behaviour {
  return { regex: false, wwwRedirect: false, serverAliases: [], routeAnnotations: {}, blocking: false }
}
