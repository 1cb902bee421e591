import { HTTPRoute as HTTPRouteModel } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute'
import { describe, expect, it } from 'vitest'
import { convertAppTemplateIngress, type AppTemplateRoute } from '../../src/ingress/index.ts'
import { NG, byRule, expectEveryAnnotationReported, resolve } from './helpers.ts'

/** Renders a route value roughly as app-template would (identifier → Service name) and validates it. */
function expectRenderable(route: AppTemplateRoute): void {
  const rules = (route.rules ?? [{ backendRefs: [{ name: 'demo', port: 1 }] }]).map((r) => ({
    ...r,
    backendRefs: r.backendRefs?.map((b) => ({ name: b.identifier ?? b.name!, port: b.port, weight: b.weight ?? 1 })),
  }))
  const m = new HTTPRouteModel({ metadata: { name: 'x' }, spec: { hostnames: route.hostnames, parentRefs: route.parentRefs, rules } as never })
  expect(() => m.validate()).not.toThrow()
  for (const r of route.rules ?? []) for (const b of r.backendRefs ?? []) expect(Number.isInteger(b.port)).toBe(true)
}

const oneService = { app: { controller: 'demo', ports: { http: { port: '9000' } } } }
const values = (ingress: Record<string, unknown>, service: Record<string, unknown> = oneService) => ({ service, ingress: { app: ingress } })
const hostApp = (host = '{{ .Release.Name }}.${SECRET_DOMAIN}', service: Record<string, unknown> = { identifier: 'app', port: 'http' }, path = '/') => ({
  className: 'nginx',
  hosts: [{ host, paths: [{ path, service }] }],
  tls: [{ hosts: [host] }],
})

function convert(v: unknown, chartVersion: string) {
  const res = convertAppTemplateIngress(v, { chartVersion, resolve })
  for (const r of Object.values(res.route)) expectRenderable(r)
  return res
}

describe('app-template 4.x', () => {
  it('omits rules when one Service and `/` make the chart default route identically', () => {
    const res = convert(values(hostApp()), '4.4.0')
    expect(res.route).toEqual({
      app: { hostnames: ['demo.rtrox.io'], parentRefs: [{ name: 'envoy-internal', namespace: 'network', sectionName: 'https' }] },
    })
    expect(byRule(res.findings, 'rules-omitted')).toHaveLength(1)
    expect(res.dropped).toEqual([
      ['ingress', 'app', 'className'],
      ['ingress', 'app', 'tls'],
    ])
  })

  it('writes rules with `identifier` and an integer port when several Services exist', () => {
    const service = { app: { ports: { http: { port: 8000, primary: true } } }, tika: { ports: { tika: { port: 80 } } } }
    const ing = { className: 'nginx', hosts: [{ host: 'paper.rtrox.io', paths: [{ path: '/', service: { identifier: 'app', port: 'http' } }, { path: '/tika', service: { identifier: 'tika' } }] }] }
    const res = convert(values(ing, service), '4.4.0')
    expect(res.route.app.rules).toEqual([
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ identifier: 'app', port: 8000 }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/tika' } }], backendRefs: [{ identifier: 'tika', port: 80 }] },
    ])
  })

  it('writes rules when the path is not `/` or the port is not the primary one', () => {
    expect(convert(values(hostApp('a.rtrox.io', { identifier: 'app', port: 'http' }, '/ui')), '4.4.0').route.app.rules).toHaveLength(1)
    const twoPorts = { app: { ports: { http: { port: 80, primary: true }, admin: { port: 81 } } } }
    expect(convert(values(hostApp('a.rtrox.io', { identifier: 'app', port: 'admin' }), twoPorts), '4.4.0').route.app.rules).toEqual([
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ identifier: 'app', port: 81 }] },
    ])
  })

  it('auto-detects the only Service when a path names none', () => {
    const ing = { hosts: [{ host: 'a.rtrox.io', paths: [{ path: '/x' }] }] }
    expect(convert(values(ing), '4.1.1').route.app.rules![0].backendRefs).toEqual([{ identifier: 'app', port: 9000 }])
  })

  it('keeps a literal Service name with its integer port, and refuses a named port on it', () => {
    const ok = convert(values(hostApp('a.rtrox.io', { name: 'other', port: 8080 })), '4.4.0')
    expect(ok.route.app.rules![0].backendRefs).toEqual([{ name: 'other', port: 8080 }])
    const bad = convert(values(hostApp('a.rtrox.io', { name: 'other', port: 'http' })), '4.4.0')
    expect(bad.route).toEqual({})
    expect(byRule(bad.findings, 'backend-port-unresolved')[0].severity).toBe('error')
  })

  it('errors on a port name the Service does not have', () => {
    const res = convert(values(hostApp('a.rtrox.io', { identifier: 'app', port: 'nope' })), '4.4.0')
    expect(res.route).toEqual({})
    expect(byRule(res.findings, 'backend-port-unresolved')[0].path).toEqual(['ingress', 'app', 'hosts', 0, 'paths', 0, 'service', 'port'])
  })
})

describe('app-template 3.x', () => {
  it('always writes rules, with the identifier as backendRef `name` and an integer port', () => {
    const res = convert(values(hostApp()), '3.7.3')
    expect(res.route.app.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'app', port: 9000 }] }])
    expect(byRule(res.findings, 'rules-kept')).toHaveLength(1)
  })

  it('requires a service on every path', () => {
    const res = convert(values({ hosts: [{ host: 'a.rtrox.io', paths: [{ path: '/' }] }] }), '3.7.3')
    expect(res.route).toEqual({})
    expect(byRule(res.findings, 'backend-missing')[0].message).toContain('3.x')
  })
})

describe('shared behaviour', () => {
  it('chooses envoy-external for nginx-external and keeps both hosts of one route', () => {
    const ing = { className: 'nginx-external', hosts: ['pds.rtrox.io', '*.pds.rtrox.io'].map((host) => ({ host, paths: [{ path: '/', service: { identifier: 'app' } }] })) }
    const res = convert(values(ing), '4.4.0')
    expect(res.route.app.hostnames).toEqual(['pds.rtrox.io', '*.pds.rtrox.io'])
    expect(res.route.app.parentRefs[0].name).toBe('envoy-external')
    expect(byRule(res.findings, 'host-wildcard')).toHaveLength(1)
  })

  it('reports every annotation and carries external-dns ones onto the route', () => {
    const annotations = { 'external-dns.alpha.kubernetes.io/cloudflare-proxied': 'true', [`${NG}proxy-body-size`]: '0', 'cert-manager.io/cluster-issuer': 'x' }
    const res = convert(values({ ...hostApp('a.rtrox.io'), className: 'nginx-external', annotations }), '4.4.0')
    expect(res.route.app.annotations).toEqual({ 'external-dns.alpha.kubernetes.io/cloudflare-proxied': 'true' })
    expectEveryAnnotationReported(annotations, res.findings, ['ingress', 'app', 'annotations'])
  })

  it('puts translated filters and timeouts into rules, so rules are written even for `/`', () => {
    const res = convert(values({ ...hostApp('a.rtrox.io'), annotations: { [`${NG}proxy-read-timeout`]: '3600' } }), '4.4.0')
    expect(res.route.app.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ identifier: 'app', port: 9000 }], timeouts: { request: '3600s' } }])
    expect(res.dropped).toContainEqual(['ingress', 'app', 'annotations'])
  })

  it('errors on an unresolved host variable and emits no route for it', () => {
    const res = convert(values(hostApp('${GATUS_SUBDOMAIN}.${SECRET_DOMAIN}')), '4.4.0')
    expect(res.route).toEqual({})
    expect(byRule(res.findings, 'host-unresolved')[0].message).toContain('GATUS_SUBDOMAIN')
  })

  it('skips disabled ingresses with an info and reports unknown keys', () => {
    const res = convert({ service: oneService, ingress: { off: { enabled: 'false' }, app: { ...hostApp('a.rtrox.io'), nameOverride: 'x' } } }, '3.7.3')
    expect(Object.keys(res.route)).toEqual(['app'])
    expect(byRule(res.findings, 'ingress-disabled')).toHaveLength(1)
    expect(byRule(res.findings, 'key-not-converted')[0].path).toEqual(['ingress', 'app', 'nameOverride'])
  })

  it('refuses chart versions before 3.x', () => {
    expect(byRule(convert(values(hostApp()), '2.6.0').findings, 'chart-version-unsupported')).toHaveLength(1)
  })
})
