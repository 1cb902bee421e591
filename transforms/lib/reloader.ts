/**
 * `reloader.stakater.com/auto: "true"` on the app-template controllers that read a Secret or ConfigMap (through
 * `env`, `envFrom` or a `persistence` item of type secret/configMap), so Reloader restarts them when one changes.
 */
import type { KeyPath, Resource, TransformContext } from '../../src/transform-api.ts'

const AUTO = 'reloader.stakater.com/auto'
const VALUES: KeyPath = ['spec', 'values']
const REFS: Record<string, 'Secret' | 'ConfigMap'> = {
  secretRef: 'Secret',
  secretKeyRef: 'Secret',
  secret: 'Secret',
  configMapRef: 'ConfigMap',
  configMapKeyRef: 'ConfigMap',
  configMap: 'ConfigMap',
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** `Kind name` of every Secret/ConfigMap reference below `v` (an env or envFrom value). */
function refsIn(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) for (const x of v) refsIn(x, out)
  if (!isObj(v)) return
  for (const [k, x] of Object.entries(v)) {
    const kind = REFS[k]
    if (kind === undefined) refsIn(x, out)
    else if (typeof x === 'string') out.add(`${kind} ${x}`)
    else if (isObj(x)) out.add(`${kind} ${String(x.name ?? x.identifier ?? '(unnamed)')}`)
  }
}

/** Secrets and ConfigMaps `persistence` mounts into controller `id` (every controller unless advancedMounts says otherwise). */
function mounted(values: Obj, id: string, out: Set<string>): void {
  if (!isObj(values.persistence)) return
  for (const [name, p] of Object.entries(values.persistence)) {
    if (!isObj(p) || String(p.enabled) === 'false') continue
    const kind = p.type === 'secret' ? 'Secret' : p.type === 'configMap' ? 'ConfigMap' : undefined
    if (!kind) continue
    const everywhere = p.advancedMounts === undefined || p.globalMounts !== undefined
    if (everywhere || (isObj(p.advancedMounts) && id in p.advancedMounts)) out.add(`${kind} ${String(p.name ?? p.identifier ?? name)}`)
  }
}

/** Adds the annotation to each controller of an app-template release that consumes a Secret/ConfigMap and lacks a Reloader annotation. */
export function addReloader(ctx: TransformContext, hr: Resource): void {
  const values = hr.doc.get(VALUES)
  if (!isObj(values) || !isObj(values.controllers)) return
  for (const [id, c] of Object.entries(values.controllers)) {
    if (!isObj(c)) continue
    const annotations = isObj(c.annotations) ? c.annotations : {}
    if (Object.keys(annotations).some((k) => k.includes('reloader.stakater.com/'))) continue
    const used = new Set<string>()
    for (const group of ['containers', 'initContainers']) {
      const list = c[group]
      if (isObj(list)) for (const container of Object.values(list)) if (isObj(container)) refsIn([container.env, container.envFrom], used)
    }
    mounted(values, id, used)
    if (used.size === 0) continue
    const path = [...VALUES, 'controllers', id]
    const shape = hr.doc.typeAt([...path, 'annotations'])
    if (shape === 'scalar' || shape === 'seq') {
      ctx.report({
        rule: 'reloader-not-added',
        severity: 'warning',
        message: `controller ${id} reads ${[...used].sort().join(', ')}, but its annotations are not a map: ${AUTO} was not added`,
        hint: `make annotations a map and add ${AUTO}: "true", or Reloader will not restart it when they change`,
        at: { resource: hr, path: [...path, 'annotations'] },
      })
      continue
    }
    ctx.report({
      rule: 'reloader-added',
      severity: 'info',
      message: `controller ${id} reads ${[...used].sort().join(', ')}: added ${AUTO}: "true" so Reloader restarts it when they change`,
      at: { resource: hr, path },
    })
    if (hr.doc.has([...path, 'annotations'])) hr.doc.set([...path, 'annotations', AUTO], 'true')
    else hr.doc.set([...path, 'annotations'], { [AUTO]: 'true' }, { before: hr.doc.keys(path)[0] })
  }
}
