/** Small helpers over plain Kubernetes data, shared by the converter and the model. */
import type { Obj } from './types.ts'

/** Whether a value is a plain object (not null, not an array). */
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
/** The value as an object, or `{}`. */
export const obj = (v: unknown): Obj => (isObj(v) ? v : {})
/** The value as an array, or `[]`. */
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
/** The value when it is a string. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/** A string map (labels, annotations, selectors); non-string values become their text. */
export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, x] of Object.entries(obj(v))) if (x !== undefined && x !== null) out[k] = String(x)
  return out
}

/** Structural equality of plain data. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]))
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined)
    const kb = Object.keys(b).filter((k) => b[k] !== undefined)
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]))
  }
  return false
}

/** Whether a matchLabels selector selects these labels (an empty selector selects nothing here: no Service means everything). */
export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector)
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k])
}

/** A port given as a number (or a numeric string); undefined for a port name. */
export function portNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v
  if (typeof v === 'string' && /^[0-9]+$/.test(v)) return Number(v)
  return undefined
}

/** Velero's backup annotations and hooks: Chongus backs up with volsync. */
export const isVeleroKey = (k: string): boolean => /(^|\.)backup\.velero\.io\//.test(k)

/** Drops undefined entries (keeps key order). */
export function compact<T extends Obj>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]
  return o
}

/** `$(VAR)` references of a Kubernetes env value or argument (`$$(VAR)` is an escape). */
export function varRefs(s: string): string[] {
  const out: string[] = []
  const re = /\$(\$|\(([A-Za-z_][A-Za-z0-9_.-]*)\))/g
  for (let m = re.exec(s); m; m = re.exec(s)) if (m[2]) out.push(m[2])
  return out
}

/**
 * Kahn's topological order with alphabetical ties, as app-template orders containers and env entries
 * (Helm ranges over a map by sorted key; `dependsOn` moves an item after the items it names).
 */
export function kahn(ids: readonly string[], dependsOn: (id: string) => readonly string[]): string[] | undefined {
  const pending = new Set(ids)
  const out: string[] = []
  while (pending.size > 0) {
    const ready = [...pending].filter((id) => dependsOn(id).every((d) => !pending.has(d) || d === id)).sort()
    if (ready.length === 0) return undefined
    out.push(ready[0])
    pending.delete(ready[0])
  }
  return out
}

/** `dependsOn` as a list (app-template accepts a string or a list). */
export const depList = (v: unknown): string[] => (typeof v === 'string' ? [v] : arr(v).filter((x): x is string => typeof x === 'string'))

/** Formats a key path for messages: `spec.template.spec.containers[0].env[2]`. */
export function fmtPath(path: readonly (string | number)[]): string {
  let s = ''
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) s += s ? `.${seg}` : seg
    else s += `[${JSON.stringify(seg)}]`
  }
  return s
}
