/**
 * Workload rules, found with JSONPath queries over raw manifests and HelmRelease values: memory limits, pinned
 * images, no Velero, volsync for stateful apps.
 */
import { JSONPath } from 'jsonpath-plus'
import type { KeyPath } from '../document.ts'
import type { Resource } from '../workspace.ts'
import { enabledItems, isAppTemplate } from './app-template.ts'
import type { RuleName } from './rules.ts'
import type { CheckContext } from './context.ts'
import { substitute } from './envsubst.ts'
import type { AppModel, KsModel } from './model.ts'
import { valueOf } from './value.ts'

/** The rules this family reports. */
export const WORKLOAD_RULES = ['image-digest', 'memory-limit', 'velero', 'volsync', 'volsync-claim'] as const satisfies readonly RuleName[]
type WorkloadRule = (typeof WORKLOAD_RULES)[number]

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

const POD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'])
const RAW_CONTAINERS = '$..[containers,initContainers,ephemeralContainers][*]'
const APP_TEMPLATE_CONTAINERS = '$.spec.values.controllers.*[containers,initContainers].*'
/** Image maps of other charts' values (`image: {repository, tag}`). */
const CHART_IMAGES = '$.spec.values..image'
const ANNOTATIONS = '$..[annotations,podAnnotations]'
const DIGEST = /@sha256:[0-9a-f]{64}$/

/** Matches of a JSONPath query, as key paths into the document. */
export function query(json: unknown, path: string): { path: KeyPath; value: unknown }[] {
  if (json === null || typeof json !== 'object') return []
  const hits = JSONPath({ path, json: json as object, resultType: 'all', eval: false }) as { pointer: string; value: unknown }[]
  return hits.map((h) => {
    const segs = h.pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    const out: (string | number)[] = []
    let cur: unknown = json
    for (const s of segs) {
      const seg = Array.isArray(cur) ? Number(s) : s
      out.push(seg)
      cur = (cur as Record<string | number, unknown>)[seg]
    }
    return { path: out, value: h.value }
  })
}

interface Container {
  resource: Resource
  path: KeyPath
  name: string
  /** Image reference as `repo:tag@digest`, and the path of the part holding the tag. */
  image: string | undefined
  imagePath: KeyPath
  repository: string
  memoryLimit: boolean
}

/** kustomize `images:` overrides of the app's kustomizations: image name → the reference it becomes. */
function imageOverrides(ctx: CheckContext<WorkloadRule>, app: AppModel): (image: string) => string {
  const map = new Map<string, Obj>()
  for (const ks of app.kustomizations)
    for (const k of [...(ks.tree?.kustomizations ?? []), ...ks.components.flatMap((c) => c.tree?.kustomizations ?? [])])
      for (const doc of ctx.ws.file(k)?.yaml?.docs ?? []) for (const e of doc.items(['images'])) if (isObj(e) && typeof e.name === 'string') map.set(e.name, e)
  return (image) => {
    const name = image.replace(/@.*$/, '').replace(/:[^:/]*$/, '')
    const o = map.get(name)
    if (!o) return image
    const tag = typeof o.newTag === 'string' ? o.newTag : /:([^:/@]+)(@|$)/.exec(image)?.[1]
    const digest = typeof o.digest === 'string' ? o.digest : /@(.*)$/.exec(image)?.[1]
    return `${typeof o.newName === 'string' ? o.newName : name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`
  }
}

function containers(app: AppModel, r: Resource, override: (image: string) => string): Container[] {
  const json = valueOf(r)
  if (POD_KINDS.has(r.ref.kind)) {
    return query(json, RAW_CONTAINERS).flatMap(({ path, value }) => {
      if (!isObj(value)) return []
      const image = typeof value.image === 'string' ? override(value.image) : undefined
      return [{ resource: r, path, name: String(value.name ?? path[path.length - 1]), image, imagePath: [...path, 'image'], repository: (image ?? '').replace(/@.*$/, '').replace(/:[^:/]*$/, ''), memoryLimit: hasMemoryLimit(value) }]
    })
  }
  if (r.ref.kind !== 'HelmRelease' || !isAppTemplate(app, r)) return []
  const defaults = r.doc.get(['spec', 'values', 'defaultContainerOptions'])
  return query(json, APP_TEMPLATE_CONTAINERS).flatMap(({ path, value }) => {
    if (!isObj(value) || value.enabled === 'false') return []
    const img = isObj(value.image) ? value.image : {}
    const repository = typeof img.repository === 'string' ? img.repository : ''
    const tag = typeof img.tag === 'string' ? img.tag : undefined
    const image = repository || tag ? `${repository}${tag ? `:${tag}` : ''}${typeof img.digest === 'string' ? `@${img.digest}` : ''}` : undefined
    return [{ resource: r, path, name: String(path[path.length - 1]), image, imagePath: [...path, 'image', tag !== undefined ? 'tag' : 'repository'], repository, memoryLimit: hasMemoryLimit(value) || hasMemoryLimit(defaults) }]
  })
}

function hasMemoryLimit(c: unknown): boolean {
  return isObj(c) && isObj(c.resources) && isObj(c.resources.limits) && typeof c.resources.limits.memory === 'string' && c.resources.limits.memory !== ''
}

/** Memory limit, image digest, Velero and volsync rules of one app. */
export function workloadRules(ctx: CheckContext<WorkloadRule>, app: AppModel): void {
  const override = imageOverrides(ctx, app)
  for (const r of app.resources) {
    for (const c of containers(app, r, override)) {
      const subject = `image:${c.repository || c.name}`
      if (!c.memoryLimit)
        ctx.report(app, { rule: 'memory-limit', message: `container ${c.name} of ${r.ref.kind} ${r.ref.name} has no memory limit`, hint: 'resources: {limits: {memory: <size>}} (requests alone do not cap it)', at: { resource: r, path: c.path }, subject, appWide: true })
      if (c.image !== undefined && !DIGEST.test(c.image) && !c.image.includes('${'))
        ctx.report(app, { rule: 'image-digest', message: `image ${c.image} is not pinned to a digest`, hint: 'pin it as <tag>@sha256:<digest>; Renovate keeps pinned digests up to date after merge', at: { resource: r, path: c.imagePath }, subject, appWide: true })
    }
    if (r.ref.kind === 'HelmRelease' && !isAppTemplate(app, r)) {
      for (const { path, value } of query(valueOf(r), CHART_IMAGES)) {
        if (!isObj(value) || typeof value.repository !== 'string' || typeof value.tag !== 'string') continue
        const ref = `${value.repository}:${value.tag}${typeof value.digest === 'string' ? `@${value.digest}` : ''}`
        if (!DIGEST.test(ref)) ctx.report(app, { rule: 'image-digest', message: `image ${ref} is not pinned to a digest`, hint: 'pin it as <tag>@sha256:<digest>', at: { resource: r, path: [...path, 'tag'] }, subject: `image:${value.repository}`, appWide: true })
      }
    }
    velero(ctx, app, r)
  }
  volsync(ctx, app)
}

function velero(ctx: CheckContext<WorkloadRule>, app: AppModel, r: Resource): void {
  if (r.ref.apiVersion.startsWith('velero.io/')) {
    ctx.report(app, { rule: 'velero', message: `${r.ref.kind} ${r.ref.name} is a Velero resource: Chongus backs up with volsync`, hint: 'remove it; use the volsync component', at: { resource: r } })
    return
  }
  // A cheap test first: the recursive query is the costliest of the rules, and a Velero key is spelled in the text.
  if (!r.doc.render().includes('velero.io/')) return
  for (const { path, value } of query(valueOf(r), ANNOTATIONS)) {
    if (!isObj(value)) continue
    for (const k of Object.keys(value))
      if (/(^|\.)velero\.io\//.test(k))
        ctx.report(app, { rule: 'velero', message: `annotation ${k} of ${r.ref.kind} ${r.ref.name} is for Velero, which Chongus does not run`, hint: 'remove it (volsync needs no pod annotation)', at: { resource: r, path: [...path, k] }, subject: `annotation:${k}`, appWide: true })
  }
}

const usesVolsync = (ctx: CheckContext<WorkloadRule>, ks: KsModel) => ks.components.some((c) => c.dir === `${ctx.config.target.componentsDir}/volsync`)

/** Claims an app mounts: app-template `existingClaim`s and the `claimName`s of raw pod volumes. */
function claims(app: AppModel, r: Resource): { path: KeyPath; name: string; field: 'existingClaim' | 'claimName' }[] {
  const out: { path: KeyPath; name: string; field: 'existingClaim' | 'claimName' }[] = []
  if (r.ref.kind === 'HelmRelease' && isAppTemplate(app, r)) {
    for (const [id, p] of enabledItems(r, 'persistence')) if (typeof p.existingClaim === 'string') out.push({ path: ['spec', 'values', 'persistence', id, 'existingClaim'], name: p.existingClaim, field: 'existingClaim' })
  }
  // As for Velero: the recursive query only where the text spells the key.
  if (POD_KINDS.has(r.ref.kind) && r.doc.render().includes('persistentVolumeClaim'))
    for (const { path, value } of query(valueOf(r), '$..volumes[*].persistentVolumeClaim.claimName')) if (typeof value === 'string') out.push({ path, name: value, field: 'claimName' })
  return out
}

function volsync(ctx: CheckContext<WorkloadRule>, app: AppModel): void {
  const withVolsync = app.kustomizations.filter((k) => usesVolsync(ctx, k))
  const componentFiles = new Set(withVolsync.flatMap((k) => k.components.flatMap((c) => c.tree?.resources ?? [])))
  const ownPvcs = app.resources.filter((r) => r.ref.kind === 'PersistentVolumeClaim' && !componentFiles.has(r.file.path))
  for (const ks of app.kustomizations) {
    const evidence: { resource: Resource; path: KeyPath; what: string }[] = []
    for (const r of ks.resources) {
      if (r.ref.kind === 'PersistentVolumeClaim' && !componentFiles.has(r.file.path)) evidence.push({ resource: r, path: [], what: `PersistentVolumeClaim ${r.ref.name}` })
      for (const c of claims(app, r)) evidence.push({ resource: r, path: c.path, what: `claim ${c.name}` })
    }
    if (usesVolsync(ctx, ks)) {
      const vars = ks.substitute
      const claim = substitute('${VOLSYNC_CLAIM:-${APP}}', vars)
      for (const r of ks.resources)
        for (const c of claims(app, r)) {
          const name = substitute(c.name, vars)
          if (name === claim || ownPvcs.some((p) => substitute(p.ref.name, vars) === name)) continue
          ctx.report(app, {
            rule: 'volsync-claim',
            message: `${c.field} ${name} is not the claim the volsync component creates (${claim.includes('${') ? 'none: APP is not substituted' : claim})`,
            hint: `mount ${claim.includes('${') ? 'the claim named by VOLSYNC_CLAIM or APP' : claim}, or set VOLSYNC_CLAIM: ${name} in postBuild.substitute to keep the old claim`,
            at: { resource: r, path: c.path },
            subject: `claim:${c.name}`,
          })
        }
    } else if (evidence.length > 0 && withVolsync.length === 0) {
      const e = evidence[0]
      ctx.report(app, {
        rule: 'volsync',
        message: `${e.what} holds state, but Kustomization ${ks.name} does not use the volsync component: nothing backs it up`,
        hint: `add ../../../../components/volsync to spec.components (relative to spec.path) with VOLSYNC_CAPACITY in postBuild.substitute`,
        at: { resource: e.resource, path: e.path },
        subject: `volsync:${ks.name}`,
      })
    }
  }
}
