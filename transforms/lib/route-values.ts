/**
 * bjw-s app-template `values.ingress.<id>` → `values.route.<id>`, edited in place: the `ingress` key is renamed
 * and each entry keeps its position, its `enabled` key and whatever comments can stay; `hosts` becomes
 * `hostnames`, `parentRefs` and (when the chart needs them) `rules`. An entry whose conversion has errors stays
 * under `ingress`, and the converted ones then move to a `route` map beside it.
 */
import { AnchoredValue, convertAppTemplateIngress, makeResolver, type AppTemplateRoute, type KeyPath, type Resource, type TransformContext, type YamlDoc } from '../../src/transform-api.ts'
import { anchorsUsedOutside } from './route-anchors.ts'
import { releaseOf, type GatewayTargets } from './route-charts.ts'
import { hasErrors, lostComments, reportFindings, reportLostComments, variablesFor } from './route-context.ts'

const VALUES = ['spec', 'values']
const INGRESS = [...VALUES, 'ingress']
const ROUTE = [...VALUES, 'route']

type Outcome = { id: string; kind: 'keep' | 'remove' } | { id: string; kind: 'convert'; routes: Record<string, AppTemplateRoute>; anchors: Map<string, string> }

/** Converts the `ingress` values of one app-template HelmRelease; returns the number of entries replaced. */
export function convertAppTemplateValues(ctx: TransformContext, hr: Resource, chartVersion: string, gateways: GatewayTargets): number {
  const doc = hr.doc
  const aliased = [VALUES, INGRESS].find((p) => doc.aliasOf(p) !== undefined)
  if (aliased) {
    refuse(ctx, hr, aliased, `\`${aliased.slice(1).join('.')}\` is an alias of another node; converting it would change that node too`)
    return 0
  }
  const variables = variablesFor(ctx, hr.file)
  const release = releaseOf(ctx, hr)
  const named = makeResolver({ variables })(release.name)
  const resolve = makeResolver({ variables, release: { ...release, name: 'value' in named ? named.value : release.name } })
  const values = doc.get(VALUES) as Record<string, unknown>
  const ingress = values.ingress as Record<string, unknown>
  const taken = new Set(doc.keys(ROUTE))
  const outcomes: Outcome[] = doc.keys(INGRESS).map((id) => {
    const entry = [...INGRESS, id]
    const res = convertAppTemplateIngress({ ...values, ingress: { [id]: ingress[id] } }, { chartVersion, gateways, resolve })
    reportFindings(ctx, res.findings, hr, VALUES)
    const at = { resource: hr, path: entry }
    const keep = (severity: 'info' | 'warning', message: string): Outcome => {
      ctx.report({ rule: 'ingress-kept', severity, message: `\`ingress.${id}\` ${message}`, at })
      return { id, kind: 'keep' }
    }
    if (hasErrors(res.findings)) return keep('info', 'stays as it is: no route is written while its conversion has errors')
    if (res.findings.some((f) => f.rule === 'ingress-disabled')) {
      ctx.report({ rule: 'ingress-removed', severity: 'info', message: `\`ingress.${id}\` is disabled: removed with the other ingress values (Chongus has no ingress controller)`, at })
      return { id, kind: 'remove' }
    }
    const ids = Object.keys(res.route)
    if (ids.length === 0) return keep('warning', 'gives no route and stays as it is')
    const clash = ids.find((r) => taken.has(r))
    const refused =
      doc.aliasOf(entry) !== undefined
        ? refuse(ctx, hr, entry, `\`ingress.${id}\` is an alias of another node; converting it would change that node too`)
        : clash !== undefined && refuse(ctx, hr, entry, `\`route.${clash}\` already exists; \`ingress.${id}\` is not converted`, 'route-exists')
    const anchors = refused ? undefined : hostAnchors(ctx, hr, entry, res.route[ids[0]], resolve)
    if (!anchors) return { id, kind: 'keep' }
    ctx.report({ rule: 'ingress-replaced', severity: 'info', message: `\`ingress.${id}\` replaced by ${ids.map((r) => `\`route.${r}\``).join(', ')}`, at })
    return { id, kind: 'convert', routes: res.route, anchors }
  })
  const converted = outcomes.filter((o) => o.kind === 'convert')
  if (converted.length === 0 && !outcomes.some((o) => o.kind === 'remove')) return 0
  const before = doc.render()
  // Located now: the `ingress` key is gone after the edits.
  const where = { file: hr.file, span: doc.span(INGRESS) }
  const rename = outcomes.every((o) => o.kind !== 'keep') && !doc.has(ROUTE)
  if (rename) doc.renameKey(INGRESS, 'route')
  else if (!doc.has(ROUTE)) doc.set(ROUTE, {}, { after: 'ingress' })
  const from = rename ? ROUTE : INGRESS
  for (const o of outcomes) {
    if (o.kind === 'remove') doc.delete([...from, o.id])
    if (o.kind !== 'convert') continue
    if (!rename) {
      doc.set([...ROUTE, o.id], doc.take([...INGRESS, o.id]))
      doc.delete([...INGRESS, o.id])
    }
    rewriteEntry(doc, [...ROUTE, o.id], o.id, o.routes, o.anchors)
  }
  for (const p of [INGRESS, ROUTE]) if (doc.has(p) && doc.keys(p).length === 0) doc.delete(p)
  reportLostComments(ctx, lostComments(before, doc.render()), `the ingress values of HelmRelease ${hr.ref.name}`, where)
  return converted.length
}

/** Reports an entry that cannot be edited in place: shared through YAML anchors/aliases, or clashing with a route. */
function refuse(ctx: TransformContext, hr: Resource, path: KeyPath, message: string, rule: 'values-shared' | 'route-exists' = 'values-shared'): true {
  const hint = rule === 'route-exists' ? 'rename the ingress entry or the existing route, then migrate again' : 'write the route values by hand, or expand the alias first'
  ctx.report({ rule, severity: 'error', message, hint, loss: true, at: { resource: hr, path } })
  return true
}

/**
 * Anchors on `hosts[].host` that other values alias move onto the matching hostname (the aliases then read the
 * resolved name, which is what the legacy cluster substituted there). Any other anchor used elsewhere stops the
 * conversion (undefined), since removing it would break the document.
 */
function hostAnchors(ctx: TransformContext, hr: Resource, entry: KeyPath, route: AppTemplateRoute, resolve: ReturnType<typeof makeResolver>): Map<string, string> | undefined {
  const out = new Map<string, string>()
  for (const [anchor, path] of anchorsUsedOutside(hr.doc, entry)) {
    const rel = path.slice(entry.length)
    const text = rel.length === 3 && rel[0] === 'hosts' && rel[2] === 'host' ? hr.doc.getString(path) : undefined
    const resolved = text === undefined ? undefined : resolve(text)
    const host = resolved && 'value' in resolved ? resolved.value.trim().toLowerCase() : undefined
    if (host === undefined || !route.hostnames.includes(host) || out.has(host)) {
      refuse(ctx, hr, path, `anchor \`&${anchor}\` inside \`ingress\` is aliased elsewhere in the values; removing the ingress would break that alias`)
      return undefined
    }
    out.set(host, anchor)
    ctx.report({ rule: 'anchor-moved', severity: 'warning', message: `anchor \`&${anchor}\` moves to hostname ${host}: its aliases elsewhere now read the resolved name instead of \`${text}\``, at: { resource: hr, path } })
  }
  return out
}

/** Rewrites one entry in place: unrelated keys go, `annotations`/`labels` keep only what the route carries. */
function rewriteEntry(doc: YamlDoc, at: KeyPath, id: string, routes: Record<string, AppTemplateRoute>, anchors: Map<string, string>): void {
  const main = routes[id] ? id : Object.keys(routes)[0]
  const route = routes[main]
  for (const key of doc.keys(at)) {
    if (key === 'annotations' || key === 'labels') syncMap(doc, [...at, key], route[key])
    else if (key !== 'enabled' && key !== 'hosts') doc.delete([...at, key])
  }
  const hostnames = route.hostnames.map((h) => (anchors.has(h) ? new AnchoredValue(h, anchors.get(h)!) : h))
  // Placed where `hosts` was, in the order the owner writes them.
  if (hostnames.length > 0) doc.set([...at, 'hostnames'], hostnames, { before: 'hosts' })
  doc.set([...at, 'parentRefs'], route.parentRefs, { before: 'hosts' })
  if (route.rules) doc.set([...at, 'rules'], route.rules, { before: 'hosts' })
  doc.delete([...at, 'hosts'])
  if (main !== id) doc.renameKey(at, main)
  let prev = main
  for (const rid of Object.keys(routes).filter((r) => r !== main)) {
    doc.set([...at.slice(0, -1), rid], routes[rid], { after: prev })
    prev = rid
  }
}

function syncMap(doc: YamlDoc, path: KeyPath, want: Record<string, string> | undefined): void {
  if (!want || Object.keys(want).length === 0) return void doc.delete(path)
  if (!doc.isMap(path)) return doc.set(path, want)
  for (const k of doc.keys(path)) if (!(k in want)) doc.delete([...path, k])
  for (const [k, v] of Object.entries(want)) doc.set([...path, k], v)
}
