/**
 * The parts of kustomize's `patches` that decide what a Flux root Kustomization injects into its children:
 * target selection (`api/types/selector.go`, `api/resmap` `Select`) and strategic merge of a patch into a
 * resource kustomize has no schema for (kyaml `merge2`).
 */
import { finding, type Finding, type FindingPath } from './finding.ts'
import { matchesSelector } from './label-selector.ts'

/** A patch target (`spec.patches[].target`). Name, namespace and GVK fields are anchored regular expressions. */
export interface PatchTarget {
  group?: string
  version?: string
  kind?: string
  name?: string
  namespace?: string
  labelSelector?: string
  annotationSelector?: string
}

type Obj = Record<string, unknown>

/** True for a plain map (not null, not a list). */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (isObj(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x
  return out
}

/** Group and version of an `apiVersion` (`v1` is the core group, ""). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/')
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) }
}

/**
 * Whether `target` selects `resource`. `namespaces` are the namespaces the resource is known by (kustomize
 * tries the original and the current one); a resource without one is in `default`.
 */
export function matchesTarget(
  target: PatchTarget,
  resource: unknown,
  path: FindingPath,
  namespaces: readonly string[] = [],
): { matches: boolean; findings: Finding[] } {
  const findings: Finding[] = []
  const r = isObj(resource) ? resource : {}
  const meta = isObj(r.metadata) ? r.metadata : {}
  const { group, version } = splitApiVersion(str(r.apiVersion) ?? '')
  const ns = [str(meta.namespace) || 'default', ...namespaces]

  const regex = (field: keyof PatchTarget, actual: readonly string[]): boolean => {
    const pattern = target[field]
    if (!pattern) return true
    let re: RegExp
    try {
      re = new RegExp(`^(?:${pattern})$`)
    } catch {
      findings.push(finding('error', 'invalid-target', `target \`${field}\` is not a valid regular expression`, { path: [...path, field] }))
      return false
    }
    return actual.some((a) => re.test(a))
  }
  const selector = (field: 'labelSelector' | 'annotationSelector', values: Record<string, string>): boolean => {
    const s = target[field]
    if (s === undefined) return true
    const m = matchesSelector(s, values)
    if (typeof m === 'boolean') return m
    findings.push(finding('error', 'invalid-selector', `target \`${field}\` is invalid: ${m.error} (at column ${m.offset + 1})`, { path: [...path, field] }))
    return false
  }

  const matches =
    regex('namespace', ns) &&
    regex('name', [str(meta.name) ?? '']) &&
    regex('group', [group]) &&
    regex('version', [version]) &&
    regex('kind', [str(r.kind) ?? '']) &&
    selector('labelSelector', stringMap(meta.labels)) &&
    selector('annotationSelector', stringMap(meta.annotations))
  return { matches, findings }
}

// kyaml merges a list of maps by the first of these fields that every element has, even without a schema.
const ASSOCIATIVE_KEYS = ['mountPath', 'devicePath', 'ip', 'type', 'topologyKey', 'name', 'containerPort']

function associativeKey(list: readonly unknown[]): string | undefined {
  if (list.length === 0 || !list.every(isObj)) return undefined
  return ASSOCIATIVE_KEYS.find((k) => list.every((e) => Object.hasOwn(e as Obj, k)))
}

const DELETED = Symbol('deleted')

/**
 * Strategic merge of `patch` into `target` for a resource kustomize has no schema for: maps merge, `null` and
 * `$patch: delete` remove, `$patch: replace` replaces, lists of maps merge by an inferred key (`name`, ...),
 * other lists are replaced. Other `$` directives are reported and ignored.
 */
export function strategicMerge(target: unknown, patch: unknown, path: FindingPath = []): { result: unknown; findings: Finding[] } {
  const findings: Finding[] = []
  const merged = merge(target, patch, path, findings)
  return { result: merged === DELETED ? undefined : merged, findings }
}

function merge(dest: unknown, patch: unknown, path: FindingPath, findings: Finding[]): unknown {
  if (patch === null) return DELETED
  if (isObj(patch)) {
    const directive = patch.$patch
    if (directive === 'delete') return DELETED
    if (directive === 'replace') return clean(patch, path, findings)
    if (!isObj(dest)) return clean(patch, path, findings)
    const out: Obj = { ...dest }
    for (const [k, v] of Object.entries(patch)) {
      if (k === '$patch') continue
      if (k.startsWith('$')) {
        findings.push(finding('warning', 'patch-directive-ignored', `patch directive \`${k}\` was not evaluated`, { path: [...path, k] }))
        continue
      }
      const m = merge(out[k], v, [...path, k], findings)
      if (m === DELETED) delete out[k]
      else out[k] = m
    }
    return out
  }
  if (Array.isArray(patch)) {
    const key = Array.isArray(dest) ? associativeKey([...dest, ...patch]) : undefined
    if (!key || !Array.isArray(dest)) return clean(patch, path, findings)
    const out: unknown[] = [...dest]
    for (const p of patch as Obj[]) {
      const i = out.findIndex((d) => (d as Obj)[key] === p[key])
      const m = merge(i < 0 ? undefined : out[i], p, [...path, i < 0 ? out.length : i], findings)
      if (m === DELETED) {
        if (i >= 0) out.splice(i, 1)
      } else if (i < 0) out.push(m)
      else out[i] = m
    }
    return out
  }
  return patch
}

/** A patch value as it lands where nothing is merged: without nulls or `$patch` keys. */
function clean(v: unknown, path: FindingPath, findings: Finding[]): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map((x, i) => clean(x, [...path, i], findings))
  if (!isObj(v)) return v
  const out: Obj = {}
  for (const [k, x] of Object.entries(v)) {
    if (k === '$patch' || x === null) continue
    if (k.startsWith('$')) {
      findings.push(finding('warning', 'patch-directive-ignored', `patch directive \`${k}\` was not evaluated`, { path: [...path, k] }))
      continue
    }
    out[k] = clean(x, [...path, k], findings)
  }
  return out
}
