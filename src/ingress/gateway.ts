import { certificateCovers, hostsIntersect } from './hosts.ts'
import { asBool, code, type Reporter } from './report.ts'
import type { ConvertOptions, FindingPath, GatewayTarget, ParentRef } from './types.ts'

/** Chongus's two gateways (REFERENCE §2): the internal listener is `*.rtrox.io`, so it never takes the apex. */
export const DEFAULT_GATEWAYS: Readonly<Record<string, GatewayTarget>> = {
  internal: { name: 'envoy-internal', namespace: 'network', sectionName: 'https', listenerHostname: '*.rtrox.io', certificateHosts: ['rtrox.io', '*.rtrox.io'] },
  external: { name: 'envoy-external', namespace: 'network', sectionName: 'https', certificateHosts: ['rtrox.io', '*.rtrox.io'] },
}

/** A gateway as configured by the user: name, namespace and listener. */
export interface GatewayConfig {
  name: string
  namespace: string
  sectionName?: string
}

/**
 * Gateway targets from user configuration. What the converter knows of a default gateway's listener (hostname,
 * certificate) is kept only while the user still names that same gateway; another gateway is taken as given.
 */
export function gatewayTargets(refs: Readonly<Partial<Record<string, GatewayConfig>>>): Record<string, GatewayTarget> {
  const out: Record<string, GatewayTarget> = { ...DEFAULT_GATEWAYS }
  for (const [key, ref] of Object.entries(refs)) {
    if (!ref) continue
    const known = DEFAULT_GATEWAYS[key]
    const plain: GatewayTarget = { name: ref.name, namespace: ref.namespace }
    if (ref.sectionName !== undefined) plain.sectionName = ref.sectionName
    out[key] = known && known.name === ref.name && known.namespace === ref.namespace ? { ...known, ...plain } : plain
  }
  return out
}

/** Ingress class → gateway key. */
export const DEFAULT_CLASSES: Readonly<Record<string, string>> = {
  nginx: 'internal',
  'nginx-internal': 'internal',
  internal: 'internal',
  'nginx-external': 'external',
  external: 'external',
}

/** The gateway a route attaches to, and why. */
export interface GatewayChoice {
  key: string
  target: GatewayTarget
}

/** What decides the gateway of one Ingress. */
export interface GatewayInput {
  className: string | undefined
  classPath: FindingPath
  annotations: Readonly<Record<string, string>>
}

/** The parentRef for a target: `namespace` is always written, since it otherwise defaults to the route's own. */
export function parentRef(t: GatewayTarget): ParentRef {
  const ref: ParentRef = { name: t.name, namespace: t.namespace }
  if (t.sectionName !== undefined) ref.sectionName = t.sectionName
  return ref
}

/** Annotation keys whose presence says the host was meant to be public (Cloudflare proxy or tunnel). */
function publicHints(annotations: Readonly<Record<string, string>>): string[] {
  const hints: string[] = []
  for (const [k, v] of Object.entries(annotations)) {
    if (/^external-dns\.(alpha\.)?kubernetes\.io\/cloudflare-proxied$/.test(k) && asBool(v)) hints.push(k)
    else if (/^external-dns\.(alpha\.)?kubernetes\.io\/target$/.test(k) && /cfargotunnel\.com\.?$/i.test(v.trim())) hints.push(k)
    else if (/cloudflared|cloudflare-tunnel/i.test(k)) hints.push(k)
  }
  return hints
}

/**
 * Picks the gateway from the Ingress class (`spec.ingressClassName`, else the `kubernetes.io/ingress.class`
 * annotation). Class-less and unknown classes get the default gateway with a warning, never a skip; Cloudflare
 * hints choose the public gateway only when the class says nothing. The choice is always reported.
 */
export function chooseGateway(input: GatewayInput, opts: ConvertOptions, r: Reporter): GatewayChoice | undefined {
  const gateways = { ...DEFAULT_GATEWAYS, ...opts.gateways }
  const classes = { ...DEFAULT_CLASSES, ...opts.classes }
  const fallback = opts.defaultGateway ?? 'internal'
  const publicKey = opts.publicGateway ?? 'external'
  const hints = publicHints(input.annotations)
  let key: string
  let why: string
  if (input.className === undefined) {
    key = hints.length > 0 ? publicKey : fallback
    why = hints.length > 0 ? `it has no ingress class and ${hints.map(code).join(', ')} implies public exposure` : 'it has no ingress class (default gateway)'
    r.warn('class-missing', input.classPath, `no ingress class; routed to the ${code(key)} gateway`, {
      hint: 'check that this is the exposure the app had (set the class in the migration config to choose)',
    })
  } else if (classes[input.className] === undefined) {
    key = hints.length > 0 ? publicKey : fallback
    why = `its class ${code(input.className)} is not in the class map`
    r.warn('class-unknown', input.classPath, `ingress class ${code(input.className)} is not mapped to a gateway; routed to the ${code(key)} gateway`, {
      hint: 'add the class to the class map if another gateway is meant',
    })
  } else {
    key = classes[input.className]
    why = `its class ${code(input.className)} maps to ${code(key)}`
    if (hints.length > 0 && key !== publicKey) {
      r.warn('public-exposure-hint', input.classPath, `class ${code(input.className)} is internal but ${hints.map(code).join(', ')} suggests public exposure; kept the ${code(key)} gateway`, {
        hint: `map this class to ${code(publicKey)} if the app must be reachable from the internet`,
      })
    }
  }
  const target = gateways[key]
  if (!target) {
    r.error('gateway-unknown', input.classPath, `no gateway is configured under the key ${code(key)}; not converted`, { loss: true })
    return undefined
  }
  const section = target.sectionName === undefined ? '' : ` (listener ${code(target.sectionName)})`
  r.info('gateway-chosen', input.classPath, `attached to Gateway ${target.namespace}/${target.name}${section} because ${why}`)
  return { key, target }
}

/**
 * Reports hostnames the chosen listener will not accept (the route stays unattached for them, visible only in
 * its status) and hostnames the listener's certificate does not cover.
 */
export function checkHosts(hostnames: readonly string[], t: GatewayTarget, r: Reporter, where: (host: string) => FindingPath): void {
  for (const h of hostnames) {
    const at = where(h)
    if (t.listenerHostname !== undefined && !hostsIntersect(h, t.listenerHostname)) {
      r.warn('host-not-attached', at, `host ${code(h)} does not match the listener hostname ${code(t.listenerHostname)} of Gateway ${t.namespace}/${t.name}, so the route will not be accepted for it`, {
        hint: 'choose another gateway for this host, or add a listener',
        loss: true,
      })
    } else if (t.certificateHosts !== undefined && !t.certificateHosts.some((c) => certificateCovers(c, h))) {
      r.warn('host-not-covered-by-certificate', at, `host ${code(h)} is not covered by the certificate of Gateway ${t.namespace}/${t.name} (${t.certificateHosts.map(code).join(', ')})`, {
        hint: 'a TLS wildcard covers one label only: add the name to the gateway certificate',
      })
    }
  }
}

/** A dropped external-dns target that differs from the Gateway's means the DNS record will point elsewhere. */
export function checkDnsTarget(b: { dnsTarget?: { value: string; at: FindingPath } }, t: GatewayTarget, r: Reporter): void {
  if (!b.dnsTarget || t.externalDnsTarget === undefined) return
  if (b.dnsTarget.value.trim().replace(/\.$/, '') === t.externalDnsTarget.replace(/\.$/, '')) return
  r.warn('dns-target-differs', b.dnsTarget.at, `the external-dns target ${code(b.dnsTarget.value)} differs from ${code(t.externalDnsTarget)} on Gateway ${t.namespace}/${t.name}; the DNS record will follow the Gateway`, { loss: true })
}
