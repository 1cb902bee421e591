/**
 * What a bjw-s app-template HelmRelease renders, as far as the rules need it: which chart major it uses and the
 * names of its Services (`lib/common/_determineResourceNameFromValues.tpl` in 4.x, `lib/service/_valuesToObject.tpl`
 * in 3.x).
 */
import type { Resource } from '../workspace.ts'
import type { AppModel } from './model.ts'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The OCIRepository a HelmRelease's chartRef names among the app's resources. */
export function chartSource(app: AppModel, hr: Resource): Resource | undefined {
  const name = hr.doc.getString(['spec', 'chartRef', 'name'])
  if (name === undefined || hr.doc.getString(['spec', 'chartRef', 'kind']) !== 'OCIRepository') return undefined
  return app.resources.find((r) => r.ref.kind === 'OCIRepository' && r.ref.name === name)
}

/** Whether the HelmRelease deploys app-template (by its chart, else by the shape of its values). */
export function isAppTemplate(app: AppModel, hr: Resource): boolean {
  const oci = chartSource(app, hr)
  if (oci) return /\/app-template\/?$/.test(oci.doc.getString(['spec', 'url']) ?? '')
  const chart = hr.doc.getString(['spec', 'chart', 'spec', 'chart'])
  if (chart !== undefined) return chart === 'app-template'
  return hr.doc.isMap(['spec', 'values', 'controllers'])
}

/** Chart major version (3 or 4+), from the OCIRepository ref or the chart version; 4 when unknown. */
export function chartMajor(app: AppModel, hr: Resource): number {
  const oci = chartSource(app, hr)
  const v = oci?.doc.getString(['spec', 'ref', 'tag']) ?? oci?.doc.getString(['spec', 'ref', 'semver']) ?? hr.doc.getString(['spec', 'chart', 'spec', 'version']) ?? ''
  const m = /(\d+)/.exec(v)
  return m ? Number(m[1]) : 4
}

/** The Helm release name: `spec.releaseName`, else the HelmRelease's name. */
export function releaseName(hr: Resource): string {
  return hr.doc.getString(['spec', 'releaseName']) ?? hr.ref.name
}

/** Enabled items of a values map (`service`, `route`, `ingress`...): id → values. */
export function enabledItems(hr: Resource, key: string): Map<string, Obj> {
  const out = new Map<string, Obj>()
  const v = hr.doc.get(['spec', 'values', key])
  if (!isObj(v)) return out
  for (const [id, item] of Object.entries(v)) if (isObj(item) && item.enabled !== 'false') out.set(id, item)
  return out
}

/** Service identifier → rendered Service name. */
export function serviceNames(app: AppModel, hr: Resource): Map<string, string> {
  const release = releaseName(hr)
  const services = enabledItems(hr, 'service')
  const major = chartMajor(app, hr)
  const out = new Map<string, string>()
  for (const [id, s] of services) {
    let name: string
    if (typeof s.forceRename === 'string') name = s.forceRename
    else if (typeof s.prefix === 'string' || typeof s.suffix === 'string') name = [s.prefix, release, s.suffix].filter((x) => typeof x === 'string' && x !== '').join('-')
    else if (major <= 3) {
      const primary = s.primary === 'true' || services.size === 1
      name = typeof s.nameOverride === 'string' ? `${release}-${s.nameOverride}` : primary ? release : `${release}-${id}`
    } else name = services.size === 1 || id === release ? release : `${release}-${id}`
    out.set(id, name)
  }
  return out
}
