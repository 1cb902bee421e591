/**
 * Every route in the golden outputs validates against the Gateway API v1 HTTPRoute schema
 * (`@kubernetes-models/gateway-api`) and the CRD's CEL rules: raw HTTPRoute manifests as they are, and app-template
 * `values.route` entries as the HTTPRoute the chart renders from them (an `identifier` names the Service).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parseAllDocuments } from 'yaml'
import { describe, expect, it } from 'vitest'
import type { HTTPRoute } from '../../src/ingress/types.ts'
import { readTree } from '../helpers.ts'
import { expectValidRoute } from './helpers.ts'

const GOLDEN = path.resolve(__dirname, '../../golden')
type Obj = Record<string, any>

function routesOf(file: string, text: string): { where: string; route: HTTPRoute }[] {
  const out: { where: string; route: HTTPRoute }[] = []
  for (const doc of parseAllDocuments(text) as unknown as { toJS(): unknown }[]) {
    const o = doc.toJS() as Obj | null
    if (o?.kind === 'HTTPRoute') out.push({ where: `${file} ${o.metadata?.name}`, route: o as HTTPRoute })
    if (o?.kind !== 'HelmRelease') continue
    for (const [id, r] of Object.entries((o.spec?.values?.route ?? {}) as Obj)) {
      const rules = ((r.rules ?? []) as Obj[]).map((rule) => ({
        ...rule,
        ...(rule.backendRefs ? { backendRefs: (rule.backendRefs as Obj[]).map(({ identifier, ...b }) => ({ ...b, name: b.name ?? identifier })) } : {}),
      }))
      const spec = { parentRefs: r.parentRefs, ...(r.hostnames ? { hostnames: r.hostnames } : {}), rules }
      const metadata = { name: id, ...(r.annotations ? { annotations: r.annotations } : {}), ...(r.labels ? { labels: r.labels } : {}) }
      out.push({ where: `${file} values.route.${id}`, route: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata, spec } as HTTPRoute })
    }
  }
  return out
}

const cases = fs.readdirSync(GOLDEN).filter((d) => d.startsWith('ingress-route--'))
const found = cases.flatMap((c) => {
  const tree = readTree(path.join(GOLDEN, c, 'expected'))
  return Object.entries(tree)
    .filter(([p]) => /\.ya?ml$/.test(p) && p.startsWith('cluster-apps/'))
    .flatMap(([p, text]) => routesOf(`${c}/${p}`, text))
})

describe('routes in the golden outputs', () => {
  it('exist in every shape (raw manifests and app-template values)', () => {
    expect(found.filter((f) => f.where.includes('values.route')).length).toBeGreaterThanOrEqual(2)
    expect(found.filter((f) => !f.where.includes('values.route')).length).toBeGreaterThanOrEqual(6)
  })

  it.each(found.map((f) => [f.where, f.route] as const))('%s validates against the Gateway API schema', (_, route) => {
    expectValidRoute(route)
    expect(JSON.stringify(route)).not.toContain('${')
  })
})
