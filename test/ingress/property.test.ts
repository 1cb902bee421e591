import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { convertIngress } from '../../src/ingress/index.ts'
import type { HTTPRoute } from '../../src/ingress/types.ts'
import { ADVICE } from '../../src/ingress/annotation-table.ts'
import { NG, expectEveryAnnotationReported, expectValidRoute } from './helpers.ts'

interface Rule {
  host: string | null
  pathType: 'Prefix' | 'Exact'
  path: string
  backend: string
}

interface Model {
  rules: Rule[]
  defaultBackend?: string
}

// ---- Ingress semantics (Kubernetes spec, as ingress-nginx serves one Ingress) ----

const elements = (p: string) => p.split('/').filter((s) => s !== '')

function ingressPathScore(rule: Rule, path: string): number | undefined {
  if (rule.pathType === 'Exact') return rule.path === path ? elements(path).length : undefined
  const pe = elements(rule.path)
  const re = elements(path)
  return pe.every((e, i) => re[i] === e) && pe.length <= re.length ? pe.length : undefined
}

function ingressHostRules(m: Model, host: string): Rule[] {
  const exact = m.rules.filter((r) => r.host === host)
  if (exact.length > 0) return exact
  // An Ingress wildcard matches exactly one label.
  const wild = m.rules.filter((r) => r.host?.startsWith('*.') && host.endsWith(r.host.slice(1)) && !host.slice(0, -r.host.length + 1).includes('.'))
  if (wild.length > 0) return wild
  return m.rules.filter((r) => r.host === null)
}

/** Longest matching path; on a tie Exact beats Prefix, then the first listed wins. Nothing → default backend. */
function ingressRoute(m: Model, host: string, path: string): string | undefined {
  const rules = ingressHostRules(m, host)
  let best: { rule: Rule; score: number } | undefined
  for (const rule of rules) {
    const score = ingressPathScore(rule, path)
    if (score === undefined) continue
    if (!best || score > best.score || (score === best.score && rule.pathType === 'Exact' && best.rule.pathType !== 'Exact')) best = { rule, score }
  }
  const known = m.rules.some((r) => r.host === null) || rules.length > 0
  return best ? best.rule.backend : known ? m.defaultBackend : undefined
}

// ---- Gateway API semantics (HTTPRoute precedence: hostname, then Exact, then longest prefix) ----

function gatewayPathMatch(type: string, value: string, path: string): number | undefined {
  if (type === 'Exact') return value === path ? value.length : undefined
  if (type !== 'PathPrefix') throw new Error(`unexpected match type ${type}`)
  const v = value.replace(/\/+$/, '')
  return v === '' || path === v || path.startsWith(`${v}/`) ? v.length : undefined
}

function hostnameScore(hostnames: string[] | undefined, host: string): [number, number] | undefined {
  if (!hostnames) return [0, 0]
  let best: [number, number] | undefined
  for (const h of hostnames) {
    // A Gateway API wildcard matches one or more labels.
    const score: [number, number] | undefined = h === host ? [h.length, h.length] : h.startsWith('*.') && host.endsWith(h.slice(1)) ? [0, h.length] : undefined
    if (score && (!best || score[0] > best[0] || (score[0] === best[0] && score[1] > best[1]))) best = score
  }
  return best
}

function gatewayRoute(routes: HTTPRoute[], host: string, path: string): string | undefined {
  type C = { key: number[]; backend: string }
  const cands: C[] = []
  for (const route of routes) {
    const hs = hostnameScore(route.spec.hostnames, host)
    if (!hs) continue
    for (const rule of route.spec.rules) {
      for (const m of rule.matches ?? [{ path: { type: 'PathPrefix' as const, value: '/' } }]) {
        const len = gatewayPathMatch(m.path.type, m.path.value, path)
        if (len === undefined) continue
        const b = rule.backendRefs![0]
        cands.push({ key: [hs[0], hs[1], m.path.type === 'Exact' ? 1 : 0, len], backend: `${b.name}:${b.port}` })
      }
    }
  }
  cands.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return b.key[i] - a.key[i]
    return 0
  })
  return cands[0]?.backend
}

// ---- Generators ----

const segment = fc.constantFrom('a', 'b', 'ab', 'v1')
const path = fc.array(segment, { maxLength: 3 }).chain((segs) => fc.constantFrom(`/${segs.join('/')}`, segs.length > 0 ? `/${segs.join('/')}/` : '/'))
const backend = fc.constantFrom('s1:80', 's2:80', 's2:8080', 's3:443')
const hostedHost = fc.constantFrom('a.rtrox.io', 'b.rtrox.io', '*.w.rtrox.io')

function modelArb(hosted: boolean): fc.Arbitrary<Model> {
  const rule = fc.record({ host: hosted ? hostedHost : fc.constant(null), pathType: fc.constantFrom('Prefix' as const, 'Exact' as const), path, backend })
  return fc.record({ rules: fc.array(rule, { minLength: 1, maxLength: 8 }), defaultBackend: fc.option(backend, { nil: undefined }) })
}

const model = fc.oneof({ weight: 4, arbitrary: modelArb(true) }, { weight: 1, arbitrary: modelArb(false) })
const requestHost = fc.constantFrom('a.rtrox.io', 'b.rtrox.io', 'x.w.rtrox.io', 'z.rtrox.io')
const requestPath = fc.array(fc.constantFrom('a', 'b', 'ab', 'v1', 'c'), { maxLength: 4 }).chain((segs) => fc.constantFrom(`/${segs.join('/')}`, `/${segs.join('/')}/`.replace('//', '/')))

function toIngress(m: Model): Record<string, unknown> {
  const be = (b: string) => {
    const [name, port] = b.split(':')
    return { service: { name, port: { number: Number(port) } } }
  }
  const spec: Record<string, unknown> = {
    ingressClassName: 'nginx',
    rules: m.rules.map((r) => ({ ...(r.host === null ? {} : { host: r.host }), http: { paths: [{ path: r.path, pathType: r.pathType, backend: be(r.backend) }] } })),
  }
  if (m.defaultBackend) spec.defaultBackend = be(m.defaultBackend)
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'gen', namespace: 'default' }, spec }
}

describe('conversion preserves routing (property)', () => {
  it('sends every (host, path) to the backend the Ingress would', () => {
    fc.assert(
      fc.property(model, fc.array(fc.tuple(requestHost, requestPath), { minLength: 1, maxLength: 12 }), (m, requests) => {
        const { routes, findings } = convertIngress(toIngress(m), {})
        expect(findings.filter((f) => f.severity === 'error')).toEqual([])
        for (const r of routes) expectValidRoute(r)
        for (const [host, p] of requests) expect(gatewayRoute(routes, host, p), `${host}${p}`).toBe(ingressRoute(m, host, p))
      }),
      { numRuns: 400 },
    )
  })

  it('is deterministic: the same input gives the same routes and findings', () => {
    fc.assert(
      fc.property(model, (m) => {
        const a = convertIngress(toIngress(m), {})
        const b = convertIngress(structuredClone(toIngress(m)), {})
        expect(JSON.stringify(b)).toBe(JSON.stringify(a))
      }),
      { numRuns: 200 },
    )
  })

  it('emits only valid hostnames, or an error for the host', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (host) => {
        const ing = toIngress({ rules: [{ host, pathType: 'Prefix', path: '/', backend: 's1:80' }] })
        const { routes, findings } = convertIngress(ing, {})
        for (const r of routes) expectValidRoute(r)
        const emitted = routes.flatMap((r) => r.spec.hostnames ?? [])
        if (host === '') expect(routes[0].spec.hostnames).toBeUndefined()
        else expect(emitted.length === 1 || findings.some((f) => f.severity === 'error' && f.path.join('.') === 'spec.rules.0.host')).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('never emits an invalid route nor drops an annotation silently, whatever the annotations', () => {
    const names = [
      ...Object.keys(ADVICE),
      'rewrite-target', 'use-regex', 'app-root', 'permanent-redirect', 'permanent-redirect-code', 'temporal-redirect', 'from-to-www-redirect',
      'ssl-redirect', 'upstream-vhost', 'x-forwarded-prefix', 'enable-cors', 'cors-allow-origin', 'cors-allow-methods', 'cors-allow-headers',
      'cors-max-age', 'proxy-read-timeout', 'proxy-send-timeout', 'proxy-body-size', 'backend-protocol', 'server-alias', 'canary', 'canary-weight', 'made-up',
    ].map((n) => `${NG}${n}`)
    const key = fc.oneof(fc.constantFrom(...names, 'external-dns.alpha.kubernetes.io/ttl', 'external-dns.kubernetes.io/target', 'example.com/x'), fc.string({ minLength: 1, maxLength: 12 }))
    const value = fc.oneof(fc.constantFrom('true', 'false', '0', '3600', '/', '/$2', '/x', 'https://a.rtrox.io/p', 'GET, POST', '*', '10m', 'HTTPS', 'b.rtrox.io'), fc.string({ maxLength: 20 }))
    const paths = fc.constantFrom('/', '/api', '/foo(/|$)(.*)', '/a/b')
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 8 }), paths, (annotations, p) => {
        const ing = toIngress({ rules: [{ host: 'a.rtrox.io', pathType: 'Prefix', path: p, backend: 's1:80' }] })
        ;(ing.metadata as Record<string, unknown>).annotations = annotations
        const { routes, findings } = convertIngress(ing, {})
        for (const r of routes) expectValidRoute(r)
        expectEveryAnnotationReported(annotations, findings)
      }),
      { numRuns: 500 },
    )
  })
})
