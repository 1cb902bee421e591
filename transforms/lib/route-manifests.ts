/**
 * Raw Ingress manifests → HTTPRoute manifests. Each file's converted Ingresses leave it; their routes go to a
 * route file beside it ({@link routeFilePath}), listed where the file was listed. An Ingress whose conversion has
 * errors stays as it is.
 */
import { convertIngress, makeResolver, type HTTPRoute, type Resource, type TransformContext, type WFile } from '../../src/transform-api.ts'
import type { GatewayTargets } from './route-charts.ts'
import { hasErrors, reportFindings, reportLostComments, commentLines, variablesFor } from './route-context.ts'
import { listRouteFile, printRoutes, routeFilePath } from './route-files.ts'

const INGRESS_API = /^(networking\.k8s\.io|extensions)\//
const CANARY = 'nginx.ingress.kubernetes.io/canary'

const label = (r: Resource) => `Ingress ${r.ref.namespace ? `${r.ref.namespace}/` : ''}${r.ref.name}`

interface Converted {
  resource: Resource
  routes: HTTPRoute[]
}

/** Converts every raw Ingress of the app; returns the number converted. */
export function convertManifests(ctx: TransformContext, gateways: GatewayTargets): number {
  const ingresses = ctx.resources({ kind: 'Ingress' }).filter((r) => INGRESS_API.test(r.ref.apiVersion))
  if (ingresses.length === 0) return 0
  const services = [...ctx.resources({ kind: 'Service' }).map((r) => r.doc.get([])), ...appTemplateServices(ctx)]
  const objects = ingresses.map((r) => r.doc.get([]))
  const byFile = new Map<WFile, Converted[]>()
  ingresses.forEach((resource, i) => {
    const resolve = makeResolver({ variables: variablesFor(ctx, resource.file) })
    const res = convertIngress(objects[i], { gateways, resolve, services, ingresses: objects })
    reportFindings(ctx, res.findings, resource, [])
    const at = { resource, path: [] }
    if (hasErrors(res.findings)) {
      ctx.report({ rule: 'ingress-kept', severity: 'info', message: `${label(resource)} stays as it is: no HTTPRoute is written while its conversion has errors`, at })
      return
    }
    if (res.routes.length === 0 && resource.doc.getString(['metadata', 'annotations', CANARY])?.toLowerCase() !== 'true') {
      ctx.report({ rule: 'ingress-kept', severity: 'warning', message: `${label(resource)} gives no HTTPRoute and stays as it is`, hint: 'remove it once nothing routes through it', at })
      return
    }
    const list = byFile.get(resource.file) ?? []
    list.push({ resource, routes: res.routes })
    byFile.set(resource.file, list)
  })
  let count = 0
  for (const [file, converted] of byFile) count += replaceInFile(ctx, file, converted)
  return count
}

function replaceInFile(ctx: TransformContext, file: WFile, converted: Converted[]): number {
  const y = file.yaml!
  const routes = converted.flatMap((c) => c.routes)
  const text = printRoutes(routes)
  const target = routes.length > 0 ? routeFilePath(ctx, file.path, text) : undefined
  for (const c of converted) {
    reportLostComments(ctx, commentLines(c.resource.doc.source ?? ''), label(c.resource), { resource: c.resource, path: [] })
    const where = target ? `${c.routes.map((r) => `HTTPRoute ${r.metadata.name}`).join(', ')} in ${target}` : 'the route of its primary Ingress, which carries its weight'
    ctx.report({ rule: 'ingress-replaced', severity: 'info', message: `${label(c.resource)} replaced by ${where}`, at: { resource: c.resource, path: [] } })
    y.removeDocument(c.resource.doc)
  }
  const emptied = y.docs.every((d) => d.isEmpty)
  if (emptied) ctx.ws.delete(file.path)
  if (target) ctx.ws.write(target, text)
  if (target || emptied) listRouteFile(ctx, file.path, target, emptied)
  return converted.length
}

/**
 * The Services app-template HelmReleases of the app render, as Service objects with named ports, so that a raw
 * Ingress kept next to a release (e.g. after its workloads were converted) resolves named ports. app-template names
 * a single Service after the release, several `<release>-<id>`.
 */
function appTemplateServices(ctx: TransformContext): unknown[] {
  const out: unknown[] = []
  for (const hr of ctx.resources({ kind: 'HelmRelease' })) {
    const service = hr.doc.get(['spec', 'values', 'service'])
    if (!service || typeof service !== 'object' || Array.isArray(service)) continue
    const ids = Object.entries(service as Record<string, unknown>).filter(([, v]) => v && typeof v === 'object' && (v as { enabled?: unknown }).enabled !== 'false')
    const release = hr.ref.name
    for (const [id, v] of ids) {
      const ports = (v as { ports?: Record<string, { port?: unknown }> }).ports ?? {}
      out.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: ids.length === 1 ? release : `${release}-${id}` },
        spec: { ports: Object.entries(ports).map(([name, p]) => ({ name, port: Number(p?.port) })).filter((p) => Number.isInteger(p.port)) },
      })
    }
  }
  return out
}
