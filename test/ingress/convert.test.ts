import { describe, expect, it } from 'vitest'
import { convertIngress } from '../../src/ingress/index.ts'
import type { IngressContext } from '../../src/ingress/types.ts'
import { NG, byRule, expectEveryAnnotationReported, expectValidRoute, ingress, resolve, service } from './helpers.ts'

const ctx: IngressContext = { resolve, services: [service('demo', { http: 8080, metrics: 9090 }), service('api', { web: 3000 })] }

function convert(obj: unknown, c: IngressContext = ctx) {
  const res = convertIngress(obj, c)
  for (const r of res.routes) expectValidRoute(r)
  return res
}

describe('convertIngress: the common Bitty shape', () => {
  it('converts a cert-manager + externaldns Ingress into one route on envoy-internal', () => {
    const ann = { 'cert-manager.io/cluster-issuer': 'letsencrypt-prod', 'kubernetes.io/tls-acme': 'true', ingress: 'externaldns' }
    const res = convert(ingress({ annotations: ann, labels: { 'app.kubernetes.io/name': 'demo' }, rules: [{ host: 'demo.${SECRET_DOMAIN}', paths: [{ port: 'http' }] }], tls: true }))
    expect(res.routes).toEqual([
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'demo', namespace: 'default', labels: { 'app.kubernetes.io/name': 'demo' } },
        spec: {
          parentRefs: [{ name: 'envoy-internal', namespace: 'network', sectionName: 'https' }],
          hostnames: ['demo.rtrox.io'],
          rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'demo', port: 8080 }] }],
        },
      },
    ])
    expectEveryAnnotationReported(ann, res.findings)
    expect(byRule(res.findings, 'tls-dropped')).toHaveLength(1)
    expect(byRule(res.findings, 'class-dropped')).toHaveLength(1)
    expect(res.findings.filter((f) => f.severity !== 'info')).toEqual([])
  })

  it('names the object in every message', () => {
    const res = convert(ingress({ name: 'sonarr', namespace: 'downloads', rules: [{ host: 'sonarr.rtrox.io', paths: [{ port: 8989 }] }] }))
    for (const f of res.findings) expect(f.message.startsWith('Ingress downloads/sonarr: ')).toBe(true)
  })
})

describe('path types', () => {
  const one = (path: string, pathType: string, annotations?: Record<string, string>) => convert(ingress({ annotations, rules: [{ host: 'a.rtrox.io', paths: [{ path, pathType }] }] }))

  it('maps Prefix to PathPrefix and Exact to Exact', () => {
    expect(one('/api', 'Prefix').routes[0].spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/api' } }])
    expect(one('/api', 'Exact').routes[0].spec.rules[0].matches).toEqual([{ path: { type: 'Exact', value: '/api' } }])
  })

  it('maps ImplementationSpecific to PathPrefix with an info that notes the string-prefix difference', () => {
    const res = one('/api', 'ImplementationSpecific')
    expect(res.routes[0].spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/api' } }])
    const [f] = byRule(res.findings, 'path-implementation-specific')
    expect(f.severity).toBe('info')
    expect(f.message).toContain('plain string prefix')
    expect(f.path).toEqual(['spec', 'rules', 0, 'http', 'paths', 0])
  })

  it('refuses a Prefix path that is no valid Gateway API path, and leaves its host out', () => {
    const res = one('/a//b', 'Prefix')
    expect(res.routes).toEqual([])
    expect(byRule(res.findings, 'path-invalid')[0].severity).toBe('error')
    expect(byRule(res.findings, 'host-not-converted')).toHaveLength(1)
  })

  it('turns regex paths into case-insensitive prefix regexes with use-regex', () => {
    const res = one('/api/v[0-9]+', 'ImplementationSpecific', { [`${NG}use-regex`]: 'true' })
    expect(res.routes[0].spec.rules[0].matches).toEqual([{ path: { type: 'RegularExpression', value: '(?i)/api/v[0-9]+.*' } }])
    expect(byRule(res.findings, 'path-regex')[0].severity).toBe('warning')
  })

  it('keeps `/` a PathPrefix under regex mode, where `(?i)/.*` is the same match', () => {
    const res = one('/', 'Prefix', { [`${NG}use-regex`]: 'true' })
    expect(res.routes[0].spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }])
  })

  it('reads a missing pathType as ImplementationSpecific', () => {
    const obj = ingress({ rules: [{ host: 'a.rtrox.io', paths: [{ path: '/x' }] }] })
    delete ((obj.spec as any).rules[0].http.paths[0] as any).pathType
    const res = convert(obj)
    expect(res.routes[0].spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/x' } }])
    expect(byRule(res.findings, 'path-type-missing')).toHaveLength(1)
  })
})

describe('hosts', () => {
  const hosts = (...hs: (string | undefined)[]) => convert(ingress({ rules: hs.map((host) => ({ host, paths: [{}] })) }))

  it('resolves ${VAR} and ${VAR:-default} through the caller', () => {
    const res = hosts('hubble.${CLUSTER_NAME}.${SECRET_DOMAIN}', '${NOPE:-fallback}.rtrox.io')
    expect(res.routes[0].spec.hostnames).toEqual(['hubble.chongus.rtrox.io', 'fallback.rtrox.io'])
  })

  it('reports unresolved variables by name as an error and never guesses the host', () => {
    const res = hosts('${GATUS_SUBDOMAIN}.${SECRET_DOMAIN}', 'ok.rtrox.io')
    expect(res.routes[0].spec.hostnames).toEqual(['ok.rtrox.io'])
    const [f] = byRule(res.findings, 'host-unresolved')
    expect(f.severity).toBe('error')
    expect(f.message).toContain('`GATUS_SUBDOMAIN`')
    expect(f.message).not.toContain('`SECRET_DOMAIN`')
    expect(f.path).toEqual(['spec', 'rules', 0, 'host'])
  })

  it('treats placeholders as unresolved when no resolver is given', () => {
    const res = convertIngress(ingress({ rules: [{ host: 'a.${SECRET_DOMAIN}', paths: [{ port: 80 }] }] }), {})
    expect(res.routes).toEqual([])
    expect(byRule(res.findings, 'host-unresolved')[0].message).toContain('SECRET_DOMAIN')
  })

  it('lowercases hosts with an info', () => {
    const res = hosts('Demo.RTROX.io')
    expect(res.routes[0].spec.hostnames).toEqual(['demo.rtrox.io'])
    expect(byRule(res.findings, 'host-lowercased')).toHaveLength(1)
  })

  it('rejects IPs and invalid names', () => {
    const res = hosts('10.0.0.1', 'bad_host.rtrox.io', 'good.rtrox.io')
    expect(res.routes[0].spec.hostnames).toEqual(['good.rtrox.io'])
    expect(byRule(res.findings, 'host-invalid')).toHaveLength(2)
  })

  it('keeps wildcards and warns that Gateway wildcards match one or more labels', () => {
    const res = hosts('*.pds.rtrox.io')
    expect(res.routes[0].spec.hostnames).toEqual(['*.pds.rtrox.io'])
    const [f] = byRule(res.findings, 'host-wildcard')
    expect(f.severity).toBe('warning')
    expect(f.message).toContain('one or more labels')
  })

  it('emits a hostless route with a warning for a rule without host', () => {
    const res = hosts(undefined)
    expect(res.routes[0].spec.hostnames).toBeUndefined()
    expect(byRule(res.findings, 'host-missing')[0].severity).toBe('warning')
  })

  it('splits hosted and hostless rules into two routes and warns about precedence', () => {
    const res = hosts('a.rtrox.io', undefined)
    expect(res.routes.map((r) => [r.metadata.name, r.spec.hostnames])).toEqual([
      ['demo', ['a.rtrox.io']],
      ['demo-any-host', undefined],
    ])
    expect(byRule(res.findings, 'host-mixed')).toHaveLength(1)
  })

  it('reports hosts the internal listener cannot accept (the apex) and hosts the certificate misses', () => {
    const res = hosts('rtrox.io', 'a.b.rtrox.io')
    expect(byRule(res.findings, 'host-not-attached').map((f) => f.message)).toEqual([expect.stringContaining('`rtrox.io`')])
    expect(byRule(res.findings, 'host-not-covered-by-certificate').map((f) => f.message)).toEqual([expect.stringContaining('`a.b.rtrox.io`')])
    expect(byRule(res.findings, 'host-not-attached')[0].path).toEqual(['spec', 'rules', 0, 'host'])
  })
})

describe('grouping and limits', () => {
  it('keeps hosts with identical rules in one route, rules grouped by backend', () => {
    const paths = [{ path: '/', port: 'http' }, { path: '/api', service: 'api', port: 'web' }, { path: '/v2', service: 'api', port: 3000 }]
    const res = convert(ingress({ rules: [{ host: 'a.rtrox.io', paths }, { host: 'b.rtrox.io', paths }] }))
    expect(res.routes).toHaveLength(1)
    expect(res.routes[0].spec.hostnames).toEqual(['a.rtrox.io', 'b.rtrox.io'])
    expect(res.routes[0].spec.rules).toEqual([
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'demo', port: 8080 }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/api' } }, { path: { type: 'PathPrefix', value: '/v2' } }], backendRefs: [{ name: 'api', port: 3000 }] },
    ])
  })

  it('gives hosts with different rules their own routes, with distinct slugs for wildcard and apex', () => {
    const res = convert(
      ingress({
        rules: [
          { host: 'x.rtrox.io', paths: [{ port: 80 }] },
          { host: '*.x.rtrox.io', paths: [{ service: 'api', port: 80 }] },
          { host: 'y.rtrox.io', paths: [{ path: '/y', port: 80 }] },
        ],
      }),
    )
    expect(res.routes.map((r) => r.metadata.name)).toEqual(['demo', 'demo-wildcard-x-rtrox-io', 'demo-y-rtrox-io'])
    expect(byRule(res.findings, 'route-split')).toHaveLength(1)
  })

  it('merges repeated rules of one host and keeps the first backend of a conflicting duplicate', () => {
    const res = convert(ingress({ rules: [{ host: 'a.rtrox.io', paths: [{ path: '/x', port: 80 }] }, { host: 'a.rtrox.io', paths: [{ path: '/x/', service: 'api', port: 80 }] }] }))
    expect(res.routes[0].spec.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/x' } }], backendRefs: [{ name: 'demo', port: 80 }] }])
    expect(byRule(res.findings, 'path-duplicate')[0].loss).toBe(true)
  })

  it('splits more than 16 rules over several routes and reports it', () => {
    const paths = Array.from({ length: 20 }, (_, i) => ({ path: `/p${i}`, service: `svc${i}`, port: 80 }))
    const res = convert(ingress({ rules: [{ host: 'a.rtrox.io', paths }] }))
    expect(res.routes.map((r) => [r.metadata.name, r.spec.rules.length])).toEqual([
      ['demo', 16],
      ['demo-part-2', 4],
    ])
    expect(byRule(res.findings, 'limit-exceeded')[0].severity).toBe('warning')
  })

  it('splits more than 16 hostnames over several routes and reports it', () => {
    const rules = Array.from({ length: 18 }, (_, i) => ({ host: `h${i}.rtrox.io`, paths: [{ port: 80 }] }))
    const res = convert(ingress({ rules }))
    expect(res.routes.map((r) => [r.metadata.name, r.spec.hostnames!.length])).toEqual([
      ['demo', 16],
      ['demo-hosts-2', 2],
    ])
    expect(byRule(res.findings, 'limit-exceeded')).toHaveLength(1)
  })

  it('chunks more than 64 matches of one backend into several rules', () => {
    const paths = Array.from({ length: 70 }, (_, i) => ({ path: `/p${i}`, port: 80 }))
    const res = convert(ingress({ rules: [{ host: 'a.rtrox.io', paths }] }))
    expect(res.routes[0].spec.rules.map((r) => r.matches!.length)).toEqual([64, 6])
  })
})

describe('backends', () => {
  it('resolves named ports from the Service of the same namespace', () => {
    const res = convert(ingress({ rules: [{ host: 'a.rtrox.io', paths: [{ port: 'metrics' }] }] }))
    expect(res.routes[0].spec.rules[0].backendRefs).toEqual([{ name: 'demo', port: 9090 }])
  })

  it('errors on a named port without Service, and on a Service without that port', () => {
    for (const [svc, port] of [['ghost', 'http'], ['demo', 'nope']]) {
      const res = convert(ingress({ rules: [{ host: 'a.rtrox.io', paths: [{ service: svc, port }] }] }))
      expect(res.routes).toEqual([])
      const [f] = byRule(res.findings, 'backend-port-unresolved')
      expect(f.severity).toBe('error')
      expect(f.path).toEqual(['spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service', 'port'])
    }
  })

  it('does not take a Service of another namespace', () => {
    const res = convert(ingress({ namespace: 'media', rules: [{ host: 'a.rtrox.io', paths: [{ port: 'http' }] }] }))
    expect(res.routes).toEqual([])
  })

  it('reads string port numbers (failsafe YAML) as integers', () => {
    const obj = ingress({ rules: [{ host: 'a.rtrox.io', paths: [{}] }] })
    ;(obj.spec as any).rules[0].http.paths[0].backend.service.port = { number: '8080' }
    expect(convert(obj).routes[0].spec.rules[0].backendRefs).toEqual([{ name: 'demo', port: 8080 }])
  })

  it('errors on a resource backend', () => {
    const obj = ingress({})
    ;(obj.spec as any).rules[0].http.paths[0].backend = { resource: { kind: 'StorageBucket', name: 'b' } }
    expect(byRule(convert(obj).findings, 'backend-resource')[0].severity).toBe('error')
  })

  it('turns defaultBackend into a PathPrefix / rule for hosts without one', () => {
    const res = convert(ingress({ defaultBackend: { service: 'api', port: 'web' }, rules: [{ host: 'a.rtrox.io', paths: [{ path: '/x', port: 80 }] }] }))
    expect(res.routes[0].spec.rules).toEqual([
      { matches: [{ path: { type: 'PathPrefix', value: '/x' } }], backendRefs: [{ name: 'demo', port: 80 }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'api', port: 3000 }] },
    ])
  })

  it('turns a rule-less Ingress with a defaultBackend into a catch-all route and warns', () => {
    const obj = ingress({ defaultBackend: { service: 'api', port: 3000 } })
    ;(obj.spec as any).rules = []
    const res = convert(obj)
    expect(res.routes[0].spec.hostnames).toBeUndefined()
    expect(byRule(res.findings, 'default-backend-catch-all')).toHaveLength(1)
  })

  it('reads extensions/v1beta1 backends', () => {
    const obj = {
      apiVersion: 'extensions/v1beta1',
      kind: 'Ingress',
      metadata: { name: 'old', namespace: 'default', annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
      spec: { rules: [{ host: 'old.rtrox.io', http: { paths: [{ path: '/', backend: { serviceName: 'demo', servicePort: 'http' } }] } }] },
    }
    const res = convert(obj)
    expect(res.routes[0].spec.rules[0]).toEqual({ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'demo', port: 8080 }] })
    expect(byRule(res.findings, 'api-version-legacy')).toHaveLength(1)
  })
})

describe('gateway choice', () => {
  const chosen = (res: ReturnType<typeof convert>) => res.routes[0].spec.parentRefs[0].name

  it('maps nginx to envoy-internal and nginx-external/external to envoy-external, always reporting it', () => {
    for (const [cls, gw] of [['nginx', 'envoy-internal'], ['nginx-external', 'envoy-external'], ['external', 'envoy-external']]) {
      const res = convert(ingress({ className: cls, rules: [{ host: 'a.rtrox.io', paths: [{ port: 80 }] }] }))
      expect(chosen(res)).toBe(gw)
      expect(res.routes[0].spec.parentRefs[0]).toMatchObject({ namespace: 'network', sectionName: 'https' })
      expect(byRule(res.findings, 'gateway-chosen')[0].message).toContain(cls)
    }
  })

  it('reads the kubernetes.io/ingress.class annotation when there is no ingressClassName', () => {
    const res = convert(ingress({ className: null, annotations: { 'kubernetes.io/ingress.class': 'nginx-external' } }))
    expect(chosen(res)).toBe('envoy-external')
    expect(byRule(res.findings, 'class-missing')).toEqual([])
  })

  it('routes a class-less Ingress to the default gateway with a warning, never skipping it', () => {
    const res = convert(ingress({ className: null }))
    expect(chosen(res)).toBe('envoy-internal')
    expect(byRule(res.findings, 'class-missing')[0].severity).toBe('warning')
  })

  it('sends a class-less Ingress with Cloudflare proxying to the external gateway', () => {
    const res = convert(ingress({ className: null, annotations: { 'external-dns.alpha.kubernetes.io/cloudflare-proxied': 'true' } }))
    expect(chosen(res)).toBe('envoy-external')
  })

  it('keeps the class choice but warns when an internal class carries public-exposure hints', () => {
    const res = convert(ingress({ annotations: { 'external-dns.alpha.kubernetes.io/target': 'abc.cfargotunnel.com' } }))
    expect(chosen(res)).toBe('envoy-internal')
    expect(byRule(res.findings, 'public-exposure-hint')).toHaveLength(1)
  })

  it('takes a user class map and gateways', () => {
    const res = convert(ingress({ className: 'traefik' }), { ...ctx, classes: { traefik: 'lab' }, gateways: { lab: { name: 'gw', namespace: 'infra' } } })
    expect(res.routes[0].spec.parentRefs).toEqual([{ name: 'gw', namespace: 'infra' }])
    const merged = convert(ingress({ className: 'nginx-external' }), { ...ctx, gateways: { internal: { name: 'gw', namespace: 'infra' } } })
    expect(merged.routes[0].spec.parentRefs[0].name).toBe('envoy-external')
  })

  it('warns on an unmapped class and uses the default gateway', () => {
    const res = convert(ingress({ className: 'traefik' }))
    expect(chosen(res)).toBe('envoy-internal')
    expect(byRule(res.findings, 'class-unknown')).toHaveLength(1)
  })

  it('errors when the class maps to a gateway that is not configured', () => {
    const res = convert(ingress({}), { ...ctx, classes: { nginx: 'missing' } })
    expect(res.routes).toEqual([])
    expect(byRule(res.findings, 'gateway-unknown')[0].severity).toBe('error')
  })
})

describe('labels and other objects', () => {
  it('drops the `ingress: externaldns` label with an info and keeps the others', () => {
    const res = convert(ingress({ labels: { ingress: 'externaldns', app: 'demo' } }))
    expect(res.routes[0].metadata.labels).toEqual({ app: 'demo' })
    expect(byRule(res.findings, 'label-dropped')).toHaveLength(1)
  })

  it('resolves variables in the name and label values, and errors instead of copying unresolved ones', () => {
    const ok = convert(ingress({ name: 'web-${CLUSTER_NAME}', labels: { cluster: '${CLUSTER_NAME}', app: '${APP}' } }))
    expect(ok.routes[0].metadata).toMatchObject({ name: 'web-chongus', labels: { cluster: 'chongus' } })
    expect(byRule(ok.findings, 'label-unresolved')[0].message).toContain('`APP`')
    const bad = convert(ingress({ name: '${APP}' }))
    expect(bad.routes).toEqual([])
    expect(byRule(bad.findings, 'name-unresolved')[0].severity).toBe('error')
  })

  it('refuses objects that are not Ingresses', () => {
    const res = convertIngress(service('demo', { http: 80 }), ctx)
    expect(res.routes).toEqual([])
    expect(byRule(res.findings, 'not-an-ingress')[0].severity).toBe('error')
  })
})
