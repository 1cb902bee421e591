/** A raw Ingress of an app converted to app-template → `route.<id>` values naming the release's Services by identifier. */
import { describe, expect, it } from 'vitest'
import { ingressToAppTemplateRoutes, type RawAppTemplateContext, type ReleaseService } from '../../src/ingress/index.ts'
import { NG, ingress, resolve, service } from './helpers.ts'

const release = (services: Record<string, ReleaseService>, chartVersion = '4.4.0'): RawAppTemplateContext => ({
  chartVersion,
  release: 'wiki',
  resolve,
  services: [service('wiki', { http: 80 }), service('wiki-api', { api: 8080, grpc: 9000 }), service('search', { http: 7700 })],
  service: (n) => services[n],
  identifiers: Object.values(services).map((s) => s.identifier),
})
const WIKI: ReleaseService = { identifier: 'app', name: 'wiki', ports: { http: 80 } }
const API: ReleaseService = { identifier: 'api', name: 'wiki-api', ports: { api: 8080, grpc: 9000 } }

describe('ingressToAppTemplateRoutes', () => {
  it('leaves out the rules app-template 4.x writes itself for one single-port Service, and says so', () => {
    const res = ingressToAppTemplateRoutes(ingress({ name: 'wiki', rules: [{ host: 'wiki.${SECRET_DOMAIN}', paths: [{ path: '/', service: 'wiki', port: 'http' }] }] }), release({ wiki: WIKI }))
    expect(res.routes).toEqual({ app: { hostnames: ['wiki.rtrox.io'], parentRefs: [{ name: 'envoy-internal', namespace: 'network', sectionName: 'https' }] } })
    expect(res.findings.map((f) => f.rule)).toContain('rules-omitted')
    expect(res.expected.app.spec.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'wiki', port: 80 }] }])
  })

  it('writes rules with identifiers (4.x) or identifier names (3.x), a literal name for a Service not in the release, integer ports', () => {
    const ing = ingress({
      name: 'wiki-api',
      rules: [{ host: 'wiki.rtrox.io', paths: [{ path: '/api', service: 'wiki-api', port: 'grpc' }, { path: '/search', service: 'search', port: 7700 }] }],
    })
    const v4 = ingressToAppTemplateRoutes(ing, release({ wiki: WIKI, 'wiki-api': API }))
    expect(Object.keys(v4.routes)).toEqual(['api'])
    expect(v4.routes.api.rules!.map((r) => r.backendRefs)).toEqual([[{ identifier: 'api', port: 9000 }], [{ name: 'search', port: 7700 }]])
    // What the chart must render: the Services under the names it gives them.
    expect(v4.expected.api.spec.rules.map((r) => r.backendRefs)).toEqual([[{ name: 'wiki-api', port: 9000 }], [{ name: 'search', port: 7700 }]])
    const v3 = ingressToAppTemplateRoutes(ing, release({ wiki: WIKI, 'wiki-api': API }, '3.7.3'))
    expect(v3.routes.api.rules!.map((r) => r.backendRefs)).toEqual([[{ name: 'api', port: 9000 }], [{ name: 'search', port: 7700 }]])
  })

  it('refuses (no route) a literal backend name app-template 3.x would read as one of its identifiers', () => {
    const res = ingressToAppTemplateRoutes(ingress({ name: 'wiki', rules: [{ host: 'wiki.rtrox.io', paths: [{ path: '/', service: 'search', port: 7700 }] }] }), release({ wiki: { ...WIKI, identifier: 'search' } }, '3.7.3'))
    expect(res.routes).toEqual({})
    expect(res.findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual(['backend-ambiguous'])
  })

  it('keeps every finding of the ingress converter at its path in the Ingress, and drops the chart-owned labels', () => {
    const res = ingressToAppTemplateRoutes(
      ingress({ name: 'wiki', labels: { 'app.kubernetes.io/name': 'wiki-web', 'app.kubernetes.io/instance': 'wiki', team: 'docs' }, annotations: { [`${NG}proxy-read-timeout`]: '60', [`${NG}ssl-redirect`]: 'true' }, tls: true, rules: [{ host: 'wiki.rtrox.io', paths: [{ path: '/', service: 'wiki', port: 80 }] }] }),
      release({ wiki: WIKI }),
    )
    const at = (rule: string) => res.findings.filter((f) => f.rule === rule).map((f) => f.path.join('.'))
    expect(at('annotation-approximated')).toEqual([`metadata.annotations.${NG}proxy-read-timeout`])
    expect(at('tls-dropped')).toEqual(['spec.tls.0'])
    expect(at('label-dropped')).toEqual(['metadata.labels.app.kubernetes.io/name'])
    expect(res.routes.app.labels).toEqual({ team: 'docs' })
    expect(res.routes.app.rules![0].timeouts).toEqual({ request: '60s' })
  })
})
