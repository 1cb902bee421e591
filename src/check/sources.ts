/** Chart sources: no HelmRepository, a chartRef to the app's own OCIRepository, which has a `ref`. */
import type { Resource } from '../workspace.ts'
import type { CheckContext } from './context.ts'
import type { RuleName } from './rules.ts'
import type { AppModel } from './model.ts'

/** The rules of {@link sourceRules}. */
export const SOURCE_RULES = ['helm-repository', 'chart-ref', 'shared-oci-repository', 'oci-ref'] as const satisfies readonly RuleName[]
type SourceRule = (typeof SOURCE_RULES)[number]

/** HelmRepository, chartRef, OCIRepository ref and duplicate OCIRepository rules of one app. */
export function sourceRules(ctx: CheckContext<SourceRule>, app: AppModel): void {
  const ocis = app.resources.filter((r) => r.ref.kind === 'OCIRepository' && r.ref.apiVersion.startsWith('source.toolkit.fluxcd.io/'))
  for (const r of app.resources) {
    if (r.ref.kind === 'HelmRepository' && r.ref.apiVersion.startsWith('source.toolkit.fluxcd.io/'))
      ctx.report(app, { rule: 'helm-repository', message: `HelmRepository ${r.ref.name}: Chongus has no HelmRepositories`, hint: 'give each app its own OCIRepository (app/ocirepository.yaml) and use chartRef', at: { resource: r } })
    if (r.ref.kind === 'HelmRelease' && r.ref.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) chartRef(ctx, app, r, ocis)
  }
  for (const o of ocis) {
    if (!o.doc.has(['spec', 'ref']))
      ctx.report(app, { rule: 'oci-ref', message: `OCIRepository ${o.ref.name} has no ref: Flux pulls the tag latest, which charts rarely publish`, hint: 'ref: {tag: <chart version>}', at: { resource: o, path: ['spec'] } })
  }
  const byName = new Map<string, Resource[]>()
  for (const o of ocis) byName.set(o.ref.name, [...(byName.get(o.ref.name) ?? []), o])
  for (const [name, list] of byName)
    if (list.length > 1)
      for (const o of list.slice(1))
        ctx.report(app, { rule: 'shared-oci-repository', message: `OCIRepository ${name} is defined ${list.length} times in the app`, hint: 'keep one OCIRepository per chart and app', at: { resource: o } })
}

function chartRef(ctx: CheckContext<SourceRule>, app: AppModel, hr: Resource, ocis: Resource[]): void {
  const doc = hr.doc
  if (doc.getString(['spec', 'chart', 'spec', 'sourceRef', 'kind']) === 'HelmRepository') {
    ctx.report(app, {
      rule: 'helm-repository',
      message: `HelmRelease ${hr.ref.name} takes chart ${doc.getString(['spec', 'chart', 'spec', 'chart']) ?? ''} from HelmRepository ${doc.getString(['spec', 'chart', 'spec', 'sourceRef', 'name']) ?? ''}`,
      hint: 'replace spec.chart by spec.chartRef {kind: OCIRepository, name: <app>} and add app/ocirepository.yaml',
      at: { resource: hr, path: ['spec', 'chart', 'spec', 'sourceRef'] },
    })
    return
  }
  if (!doc.has(['spec', 'chartRef'])) return
  const kind = doc.getString(['spec', 'chartRef', 'kind'])
  const name = doc.getString(['spec', 'chartRef', 'name']) ?? ''
  const ns = doc.getString(['spec', 'chartRef', 'namespace'])
  const names = ocis.map((o) => o.ref.name)
  const suggestion = names.length === 1 ? `name: ${names[0]}` : names.length ? `one of: ${names.join(', ')}` : 'add app/ocirepository.yaml and name it'
  if (kind !== 'OCIRepository') {
    ctx.report(app, { rule: 'chart-ref', message: `chartRef of ${hr.ref.name} is a ${kind ?? '(no kind)'}, not an OCIRepository`, hint: 'kind: OCIRepository', at: { resource: hr, path: ['spec', 'chartRef', 'kind'] } })
    return
  }
  if (ns !== undefined && ns !== app.namespace && ns !== hr.ref.namespace) {
    ctx.report(app, {
      rule: 'shared-oci-repository',
      message: `chartRef of ${hr.ref.name} reads OCIRepository ${ns}/${name}, shared from another namespace`,
      hint: 'give the app its own OCIRepository (app/ocirepository.yaml) and drop chartRef.namespace',
      at: { resource: hr, path: ['spec', 'chartRef', 'namespace'] },
    })
    return
  }
  if (!names.includes(name))
    ctx.report(app, {
      rule: 'chart-ref',
      message: `chartRef of ${hr.ref.name} names OCIRepository ${name}, which the app does not define (it defines: ${names.join(', ') || 'none'})`,
      hint: suggestion,
      at: { resource: hr, path: ['spec', 'chartRef', 'name'] },
    })
}

/** OCIRepositories defined by more than one app of the check run (same namespace and name). */
export function sharedSources(ctx: CheckContext<'shared-oci-repository'>, apps: readonly AppModel[]): void {
  const owners = new Map<string, AppModel[]>()
  for (const app of apps)
    for (const r of app.resources)
      if (r.ref.kind === 'OCIRepository') {
        const key = `${app.namespace}/${r.ref.name}`
        const list = owners.get(key) ?? []
        if (!list.includes(app)) owners.set(key, [...list, app])
      }
  for (const [key, list] of owners) {
    if (list.length < 2) continue
    for (const app of list.slice(1)) {
      const r = app.resources.find((x) => x.ref.kind === 'OCIRepository' && `${app.namespace}/${x.ref.name}` === key)!
      ctx.report(app, { rule: 'shared-oci-repository', message: `OCIRepository ${key} is also defined by ${list[0].dir}: the two apps overwrite each other`, hint: 'name each app\u2019s OCIRepository after the app', at: { resource: r } })
    }
  }
}
