/** Which chart a HelmRelease deploys, at which version, and under which release name. */
import type { KeyPath, Resource, TransformContext, gatewayTargets } from '../../src/transform-api.ts'

/** The gateways routes may attach to, by key (`internal`, `external`). */
export type GatewayTargets = ReturnType<typeof gatewayTargets>

/** A HelmRelease's chart as far as the migration can tell; `problem` says why it cannot. */
export interface ChartInfo {
  name?: string
  version?: string
  /** Where the chart is named (for findings). */
  at: KeyPath
  problem?: string
}

/**
 * The chart of a HelmRelease: `spec.chart.spec.{chart,version}`, or the OCIRepository its `chartRef` names among
 * the app's files (chart = last segment of its URL, version = `ref.tag`, else `ref.semver`).
 */
export function chartOf(ctx: TransformContext, hr: Resource): ChartInfo {
  const doc = hr.doc
  const spec = ['spec', 'chart', 'spec']
  if (doc.has(spec)) return { name: doc.getString([...spec, 'chart']), version: doc.getString([...spec, 'version']), at: [...spec, 'chart'] }
  const ref = ['spec', 'chartRef']
  if (!doc.has(ref)) return { at: ['spec'], problem: 'it names no chart (`spec.chart` or `spec.chartRef`)' }
  const kind = doc.getString([...ref, 'kind'])
  const name = doc.getString([...ref, 'name'])
  if (kind !== 'OCIRepository') return { at: ref, problem: `its \`chartRef\` is a ${kind ?? 'kind-less reference'}, whose chart the migration does not read` }
  const ns = doc.getString([...ref, 'namespace'])
  const oci = ctx.resources({ kind: 'OCIRepository' }).find((r) => {
    const own = r.ref.namespace
    return r.ref.name === name && (ns === undefined || own === ns || (own === undefined && ns === ctx.app.namespace))
  })
  if (!oci) return { at: ref, problem: `its \`chartRef\` names OCIRepository ${ns ? `${ns}/` : ''}${name}, which is not among the app's files` }
  const url = oci.doc.getString(['spec', 'url']) ?? ''
  const version = oci.doc.getString(['spec', 'ref', 'tag']) ?? oci.doc.getString(['spec', 'ref', 'semver'])
  return { name: url.replace(/\/+$/, '').split('/').pop() || undefined, version, at: ref }
}

/** Helm's release name (`spec.releaseName`, else `[<targetNamespace>-]<name>` as helm-controller names it) and namespace. */
export function releaseOf(ctx: TransformContext, hr: Resource): { name: string; namespace: string } {
  const doc = hr.doc
  const target = doc.getString(['spec', 'targetNamespace'])
  const name = doc.getString(['spec', 'releaseName']) ?? (target ? `${target}-${hr.ref.name}` : hr.ref.name)
  return { name, namespace: target ?? hr.ref.namespace ?? ctx.app.namespace }
}
