/** References to Services that app-template renames: found in strings, rewritten inside the app, reported. */
import type { KeyPath, Obj } from './types.ts'
import { arr, isObj, obj } from './util.ts'

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * An in-cluster address of Service `name`: the bare name or `<name>.<ns>.svc[.cluster.local]`, with an optional port,
 * as a whole host (after start, `//`, `@`, a space or a separator; before a port, path, separator or the end).
 * `<name>.<something>` alone is not matched: it may be a public host name.
 */
function hostPattern(name: string): RegExp {
  return new RegExp(`(^|//|@|[\\s,;=])${esc(name)}(?=(\\.[a-z0-9-]+\\.svc(\\.cluster\\.local)?)?(:[0-9]+)?([/\\s,;?#]|$))`, 'g')
}

/** Rewrites in-cluster addresses of renamed Services in a string. */
export function rewriteHosts(value: string, renames: ReadonlyMap<string, string>): string {
  let out = value
  for (const [from, to] of renames) out = out.replace(hostPattern(from), (_m, pre: string) => `${pre}${to}`)
  return out
}

/** Key paths of every string in `v` that names a renamed Service. */
export function findHosts(v: unknown, renames: ReadonlyMap<string, string>, path: KeyPath = []): KeyPath[] {
  if (typeof v === 'string') return rewriteHosts(v, renames) !== v ? [path] : []
  if (Array.isArray(v)) return v.flatMap((x, i) => findHosts(x, renames, [...path, i]))
  if (isObj(v)) return Object.entries(v).flatMap(([k, x]) => findHosts(x, renames, [...path, k]))
  return []
}

/** Backend Services of an Ingress (`networking.k8s.io/v1`): name, port (`{number}` or `{name}`) and the key path of the name. */
export function ingressBackends(ingress: Obj): { path: KeyPath; name: string; port: Obj }[] {
  const spec = obj(ingress.spec)
  const out: { path: KeyPath; name: string; port: Obj }[] = []
  const dflt = obj(obj(spec.defaultBackend).service)
  if (typeof dflt.name === 'string') out.push({ path: ['spec', 'defaultBackend', 'service', 'name'], name: dflt.name, port: obj(dflt.port) })
  arr(spec.rules).forEach((r, ri) => {
    arr(obj(obj(r).http).paths).forEach((p, pi) => {
      const svc = obj(obj(obj(p).backend).service)
      if (typeof svc.name === 'string') out.push({ path: ['spec', 'rules', ri, 'http', 'paths', pi, 'backend', 'service', 'name'], name: svc.name, port: obj(svc.port) })
    })
  })
  return out
}

/** A mention of a renamed Service in a text: its offset, the text matched, and the old and new names. */
export interface Mention {
  offset: number
  text: string
  from: string
  to: string
}

/**
 * Mentions of renamed Services in a text outside their app: `<name>.<namespace>[.svc[.cluster.local]]` as a whole
 * host for any of `namespaces`, and, with `bare` (the text belongs to an app of the same namespace), the bare name
 * in a URL (`//<name>`, `@<name>`), which resolves there too. Other bare words are not taken for Service names.
 */
export function serviceMentions(text: string, renames: ReadonlyMap<string, string>, namespaces: readonly string[], bare: boolean): Mention[] {
  const out: Mention[] = []
  const ns = namespaces.map(esc).join('|')
  for (const [from, to] of renames) {
    const forms = [`(?<![A-Za-z0-9.-])${esc(from)}\\.(?:${ns})(?:\\.svc(?:\\.cluster\\.local)?)?(?![A-Za-z0-9-]|\\.[A-Za-z0-9])`]
    if (bare) forms.push(`(?<=//|@)${esc(from)}(?![A-Za-z0-9.-]|\\.[A-Za-z0-9])`)
    for (const m of text.matchAll(new RegExp(forms.join('|'), 'g'))) out.push({ offset: m.index, text: m[0], from, to })
  }
  return out.sort((a, b) => a.offset - b.offset)
}
