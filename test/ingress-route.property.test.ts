/**
 * Properties of the ingress-route transform on generated apps: what it writes is exactly what the converter
 * returns (the file or values edit loses nothing), and running it again on its output changes nothing.
 */
import fc from 'fast-check'
import { parse, parseAllDocuments } from 'yaml'
import { describe, expect, it } from 'vitest'
import { convertAppTemplateIngress, convertIngress, gatewayTargets } from '../src/ingress/index.ts'
import { applyChanges } from './helpers.ts'
import { migrate } from '../src/migrate.ts'
import { builtinTransforms } from '../transforms/index.ts'

const APP = 'cluster-cd/apps/bitty/default/demo'
const OUT = 'cluster-apps/chongus/default/demo/app'
const transforms = builtinTransforms.filter((t) => t.id === 'ks-layout' || t.id === 'ingress-route')
const KS = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: demo
  namespace: flux-system
spec:
  targetNamespace: default
  path: ./cluster-cd/apps/bitty/default/demo/app
  sourceRef: {kind: GitRepository, name: home-ops-cd}
`
const gateways = gatewayTargets({})

function repo(files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {
    'cluster-cd/apps/bitty/default/kustomization.yaml': 'resources:\n  - ./demo/ks.yaml\n',
    [`${APP}/ks.yaml`]: KS,
    [`${APP}/app/kustomization.yaml`]: `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${Object.keys(files).map((f) => `  - ./${f}\n`).join('')}`,
  }
  for (const [f, text] of Object.entries(files)) out[`${APP}/app/${f}`] = text
  return out
}

/** The Services the generated raw Ingresses route to: the migration's check wants every backendRef to name one the app renders. */
const SERVICES = ['svc-a', 'svc-b'].map((n) => `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${n}\nspec:\n  ports:\n    - port: 80\n`).join('')

const label = fc.constantFrom('web', 'api', 'docs', 'media', 'x1')
const host = fc.tuple(label, fc.constantFrom('rtrox.io', 'home.rtrox.io')).map(([a, b]) => `${a}.${b}`)
const segment = fc.constantFrom('a', 'b', 'kobo', 'api', 'v1')
const path = fc.array(segment, { maxLength: 3 }).map((s) => `/${s.join('/')}`)
const rule = fc.record({ host, paths: fc.array(fc.record({ path, exact: fc.boolean(), service: fc.constantFrom('svc-a', 'svc-b'), port: fc.integer({ min: 1, max: 65535 }) }), { minLength: 1, maxLength: 4 }) })
const klass = fc.constantFrom('nginx', 'nginx-external', undefined)

type Rule = { host: string; paths: { path: string; exact: boolean; service: string; port: number }[] }

function ingressYaml(name: string, className: string | undefined, rules: Rule[]): string {
  const lines = ['apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', `  name: ${name}`, 'spec:']
  if (className) lines.push(`  ingressClassName: ${className}`)
  lines.push('  rules:')
  for (const r of rules) {
    lines.push(`    - host: ${r.host}`, '      http:', '        paths:')
    for (const p of r.paths) lines.push(`          - path: ${p.path}`, `            pathType: ${p.exact ? 'Exact' : 'Prefix'}`, '            backend:', '              service:', `                name: ${p.service}`, `                port: {number: ${p.port}}`)
  }
  return `${lines.join('\n')}\n`
}

async function noChangesOnRerun(input: Record<string, string>, changes: { path: string; after?: string }[]): Promise<void> {
  const again = await migrate({ repo: applyChanges(input, changes), apps: [APP], transforms })
  expect(again.changes.map((c) => c.path)).toEqual([])
}

describe('ingress-route properties', () => {
  it('writes each raw Ingress as exactly the routes the converter gives, and is idempotent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(klass, fc.array(rule, { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 3 }), async (ings) => {
        const text = ings.map(([c, rules], i) => `---\n${ingressYaml(`ing-${i}`, c, rules)}`).join('')
        const input = repo({ 'ingress.yaml': text, 'service.yaml': SERVICES })
        const r = await migrate({ repo: input, apps: [APP], transforms })
        const expected = ings.flatMap(([c, rules], i) => convertIngress(parse(ingressYaml(`ing-${i}`, c, rules)), { gateways }).routes)
        expect(r.ok).toBe(true)
        const written = (parseAllDocuments(r.changes.find((c) => c.path === `${OUT}/httproute.yaml`)!.after!) as unknown as { toJS(): unknown }[]).map((d) => d.toJS())
        expect(written).toEqual(JSON.parse(JSON.stringify(expected)))
        expect(r.changes.some((c) => c.path === `${OUT}/ingress.yaml`)).toBe(false)
        await noChangesOnRerun(input, r.changes)
      }),
      { numRuns: 25 },
    )
  })

  it('writes app-template values as exactly the route entries the converter gives, and is idempotent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('3.7.3', '4.4.0'), fc.array(rule, { minLength: 1, maxLength: 3 }), klass, async (version, rules, className) => {
        const hosts = rules.map((r) => `          - host: ${r.host}\n            paths:\n${r.paths.map((p) => `              - path: ${p.path}\n                pathType: ${p.exact ? 'Exact' : 'Prefix'}\n                service: {identifier: ${p.service}, port: ${p.port}}\n`).join('')}`)
        const values = `    service:\n      svc-a:\n        controller: demo\n        ports: {http: {port: 80}}\n      svc-b:\n        controller: demo\n        ports: {http: {port: 81}}\n    ingress:\n      app:\n${className ? `        className: ${className}\n` : ''}        hosts:\n${hosts.join('')}`
        const text = `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: demo\nspec:\n  chart:\n    spec: {chart: app-template, version: ${version}}\n  values:\n${values}`
        const input = repo({ 'helmrelease.yaml': text })
        const r = await migrate({ repo: input, apps: [APP], transforms })
        expect(r.ok).toBe(true)
        const expected = convertAppTemplateIngress(parse(text).spec.values, { chartVersion: version, gateways }).route
        const written = parse(r.changes.find((c) => c.path === `${OUT}/helmrelease.yaml`)!.after!).spec.values
        expect(written.route).toEqual(JSON.parse(JSON.stringify(expected)))
        expect(written.ingress).toBeUndefined()
        await noChangesOnRerun(input, r.changes)
      }),
      { numRuns: 25 },
    )
  })
})
