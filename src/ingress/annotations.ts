import { ADVICE, ADVICE_FAMILIES, type Advice } from './annotation-table.ts'
import { TRANSLATORS, TRANSLATOR_FAMILIES, type AnnotationCtx } from './annotation-translate.ts'
import { NGINX, emptyBehaviour, type Behaviour } from './behaviour.ts'
import { resolveText } from './hosts.ts'
import { asRecord, asText, code, type Reporter } from './report.ts'
import type { ConvertOptions, FindingPath } from './types.ts'

const EXTERNAL_DNS = /^external-dns\.(alpha\.)?kubernetes\.io\/(.+)$/

/** The annotations of an object as strings (failsafe YAML already gives strings; numbers and booleans are read as text). */
export function stringMap(v: unknown): Record<string, string> {
  const out: [string, string][] = []
  for (const [k, x] of Object.entries(asRecord(v) ?? {})) {
    const s = asText(x)
    if (s !== undefined) out.push([k, s])
  }
  // fromEntries defines every key as its own property, `__proto__` included (an assignment would set the prototype).
  return Object.fromEntries(out)
}

/** Sets `key` as an own property, even `__proto__`. */
export function setOwn(map: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true })
}

function carry(c: AnnotationCtx, key: string, why: string): void {
  const v = resolveText(c.value, c.opts.resolve)
  if ('unresolved' in v) {
    c.r.error('annotation-unresolved', c.at, `${code(c.key)} uses ${v.unresolved.map(code).join(', ')}, which has no value; not carried`, { loss: true })
    return
  }
  setOwn(c.b.routeAnnotations, key, v.value)
  c.r.info('annotation-carried', c.at, `${code(c.key)} carried onto the HTTPRoute${key === c.key ? '' : ` as ${code(key)}`}: ${why}`)
}

function advise(c: AnnotationCtx, a: Advice): void {
  if (a.blocking) c.b.blocking = true
  const rule = a.severity === 'error' ? 'annotation-not-convertible' : a.severity === 'info' ? 'annotation-dropped' : 'annotation-not-converted'
  c.r.report(a.severity, rule, c.at, `${code(c.key)} ${a.todo}`, { loss: true })
}

function nginxAnnotation(c: AnnotationCtx): void {
  const t = TRANSLATORS[c.name] ?? TRANSLATOR_FAMILIES.find(([re]) => re.test(c.name))?.[1]
  if (t) return t(c)
  const a = ADVICE[c.name] ?? ADVICE_FAMILIES.find(([re]) => re.test(c.name))?.[1]
  if (a) return advise(c, a)
  c.r.warn('annotation-unknown', c.at, `${code(c.key)} is not a known ingress-nginx annotation; not converted`, { loss: true })
}

function otherAnnotation(c: AnnotationCtx): void {
  const k = c.key
  const dns = EXTERNAL_DNS.exec(k)
  if (dns) {
    if (dns[2] === 'target') {
      c.b.dnsTarget = { value: c.value, at: c.at }
      return c.r.info('annotation-dropped', c.at, `${code(k)} dropped: external-dns reads the target from the Gateway for HTTPRoutes (was ${code(c.value)}; check the gateway's matches)`, { loss: true })
    }
    const prefix = c.opts.externalDnsPrefix ?? 'external-dns.alpha.kubernetes.io/'
    return carry(c, `${prefix}${dns[2]}`, 'external-dns reads it from HTTPRoutes (its `gateway-httproute` source must be on)')
  }
  if (k === 'kubernetes.io/ingress.class') {
    c.b.classAnnotation = c.value
    return c.r.info('annotation-dropped', c.at, `${code(k)} dropped: it chose the gateway`)
  }
  if (k.startsWith('cert-manager.io/') || k.startsWith('acme.cert-manager.io/') || k === 'kubernetes.io/tls-acme') {
    return c.r.info('annotation-dropped', c.at, `${code(k)} dropped: TLS is terminated by the Gateway listener, whose certificate cert-manager manages`)
  }
  if (k === 'ingress') return c.r.info('annotation-dropped', c.at, `${code(k)} dropped: the legacy external-dns selector for Ingresses`)
  if (k === 'kubectl.kubernetes.io/last-applied-configuration' || k.startsWith('meta.helm.sh/')) {
    return c.r.info('annotation-dropped', c.at, `${code(k)} dropped: it describes the old object's owner, not the new one`)
  }
  carry(c, k, 'check that whatever reads it also reads HTTPRoutes')
}

/**
 * Reports every annotation of an Ingress (translated, carried, dropped or not converted: never silently) and
 * returns what they ask of its routes. `at` is the key path of the annotations map inside the input.
 */
export function readAnnotations(annotations: unknown, at: FindingPath, r: Reporter, opts: ConvertOptions): Behaviour {
  const all = stringMap(annotations)
  const b = emptyBehaviour()
  for (const key of Object.keys(asRecord(annotations) ?? {})) {
    if (all[key] === undefined) {
      r.warn('annotation-not-converted', [...at, key], `${code(key)} has no scalar value; not converted`, { loss: true })
      continue
    }
    const c: AnnotationCtx = { key, name: key.slice(NGINX.length), value: all[key], at: [...at, key], all, b, r, opts }
    if (key.startsWith(NGINX)) nginxAnnotation(c)
    else otherAnnotation(c)
  }
  return b
}
