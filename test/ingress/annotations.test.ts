import { describe, expect, it } from 'vitest'
import { ADVICE } from '../../src/ingress/annotation-table.ts'
import { convertIngress, formatDuration } from '../../src/ingress/index.ts'
import type { HTTPRoute, IngressContext } from '../../src/ingress/types.ts'
import { NG, byRule, expectEveryAnnotationReported, expectValidRoute, ingress, resolve, service } from './helpers.ts'

const ctx: IngressContext = { resolve, services: [service('demo', { http: 8080 })] }

function withAnnotations(annotations: Record<string, string>, paths: { path: string; port: number }[] = [{ path: '/', port: 80 }], c: IngressContext = ctx) {
  const res = convertIngress(ingress({ annotations, rules: [{ host: 'a.rtrox.io', paths }] }), c)
  for (const r of res.routes) expectValidRoute(r)
  expectEveryAnnotationReported(annotations, res.findings)
  return res
}

const rules = (r: HTTPRoute[]) => r[0].spec.rules

describe('rewrite-target', () => {
  it('without capture becomes ReplaceFullPath, and paths become nginx regexes', () => {
    const res = withAnnotations({ [`${NG}rewrite-target`]: '/' }, [{ path: '/app', port: 80 }])
    expect(rules(res.routes)).toEqual([
      {
        matches: [{ path: { type: 'RegularExpression', value: '(?i)/app.*' } }],
        filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/' } } }],
        backendRefs: [{ name: 'demo', port: 80 }],
      },
    ])
  })

  it('`/$2` with `/foo(/|$)(.*)` becomes PathPrefix + ReplacePrefixMatch, one match per rule', () => {
    const res = withAnnotations({ [`${NG}rewrite-target`]: '/$2' }, [
      { path: '/foo(/|$)(.*)', port: 80 },
      { path: '/bar/baz(/|$)(.*)', port: 80 },
    ])
    expect(rules(res.routes)).toEqual(
      ['/foo', '/bar/baz'].map((p) => ({
        matches: [{ path: { type: 'PathPrefix', value: p } }],
        filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }],
        backendRefs: [{ name: 'demo', port: 80 }],
      })),
    )
    expect(byRule(res.findings, 'path-rewrite-prefix')).toHaveLength(2)
  })

  it('never ships `/$2` as a literal path (ingress2gateway bug 1)', () => {
    const res = withAnnotations({ [`${NG}rewrite-target`]: '/$2' }, [{ path: '/foo(/|$)(.*)', port: 80 }])
    expect(JSON.stringify(res.routes)).not.toContain('$2')
  })

  it('refuses other capture shapes with an error and no route', () => {
    for (const [target, path] of [['/$1', '/(.*)'], ['/x/$1', '/foo/(.*)'], ['/$2', '/foo/(.+)']]) {
      const res = withAnnotations({ [`${NG}rewrite-target`]: target }, [{ path, port: 80 }])
      expect(res.routes).toEqual([])
      expect(byRule(res.findings, 'rewrite-capture-unsupported')[0].severity).toBe('error')
    }
  })
})

describe('redirects', () => {
  it('permanent-redirect replaces every backend with a 301 RequestRedirect', () => {
    const res = withAnnotations({ [`${NG}permanent-redirect`]: 'https://new.rtrox.io/landing' }, [{ path: '/', port: 80 }, { path: '/x', port: 80 }])
    expect(rules(res.routes)).toEqual([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }, { path: { type: 'PathPrefix', value: '/x' } }],
        filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', hostname: 'new.rtrox.io', path: { type: 'ReplaceFullPath', replaceFullPath: '/landing' }, statusCode: 301 } }],
      },
    ])
  })

  it('keeps the path for a `$request_uri` target and honours the redirect code (warning past 302)', () => {
    const res = withAnnotations({ [`${NG}permanent-redirect`]: 'https://new.rtrox.io$request_uri', [`${NG}permanent-redirect-code`]: '308' })
    expect(rules(res.routes)[0].filters).toEqual([{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', hostname: 'new.rtrox.io', statusCode: 308 } }])
    expect(byRule(res.findings, 'redirect-code-needs-v1.5')).toHaveLength(1)
  })

  it('temporal-redirect is a 302', () => {
    const res = withAnnotations({ [`${NG}temporal-redirect`]: 'https://x.rtrox.io/' })
    expect((rules(res.routes)[0].filters![0] as any).requestRedirect.statusCode).toBe(302)
  })

  it('refuses redirect targets with a query string or nginx variables', () => {
    for (const url of ['https://x.rtrox.io/?a=1', 'https://$host/x']) {
      const res = withAnnotations({ [`${NG}permanent-redirect`]: url })
      expect(res.routes).toEqual([])
      expect(byRule(res.findings, 'redirect-unsupported')[0].severity).toBe('error')
    }
  })

  it('reports a redirect code without its redirect as dropped', () => {
    const res = withAnnotations({ [`${NG}permanent-redirect-code`]: '308' })
    expect(byRule(res.findings, 'annotation-dropped')).toHaveLength(1)
  })

  it('app-root adds a 302 from Exact / and leaves the other paths alone', () => {
    const res = withAnnotations({ [`${NG}app-root`]: '/web' })
    expect(rules(res.routes)).toEqual([
      { matches: [{ path: { type: 'Exact', value: '/' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: '/web' }, statusCode: 302 } }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'demo', port: 80 }] },
    ])
  })

  it('from-to-www-redirect adds a 301 route for the other host', () => {
    const res = withAnnotations({ [`${NG}from-to-www-redirect`]: 'true' })
    expect(res.routes.map((r) => [r.metadata.name, r.spec.hostnames, r.spec.rules])).toEqual([
      ['demo', ['a.rtrox.io'], expect.anything()],
      ['demo-www-redirect', ['www.a.rtrox.io'], [{ filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: 'a.rtrox.io', statusCode: 301 } }] }]],
    ])
  })

  it('from-to-www-redirect adds nothing when both hosts are already routed', () => {
    const res = convertIngress(ingress({ annotations: { [`${NG}from-to-www-redirect`]: 'true' }, rules: [{ host: 'a.rtrox.io', paths: [{}] }, { host: 'www.a.rtrox.io', paths: [{}] }] }), ctx)
    expect(res.routes.map((r) => r.metadata.name)).toEqual(['demo'])
    expect(byRule(res.findings, 'www-redirect-unneeded')).toHaveLength(1)
  })

  it('server-alias adds the aliases as hostnames of the same route', () => {
    const res = withAnnotations({ [`${NG}server-alias`]: 'b.rtrox.io, C.rtrox.io' })
    expect(res.routes[0].spec.hostnames).toEqual(['a.rtrox.io', 'b.rtrox.io', 'c.rtrox.io'])
  })

  it('ssl-redirect and force-ssl-redirect are no-ops with an info; ssl-redirect "false" warns', () => {
    const on = withAnnotations({ [`${NG}ssl-redirect`]: 'true', [`${NG}force-ssl-redirect`]: 'true' })
    expect(on.findings.filter((f) => f.path[2]?.toString().includes('ssl-redirect')).map((f) => f.severity)).toEqual(['info', 'info'])
    const off = withAnnotations({ [`${NG}ssl-redirect`]: 'false' })
    expect(byRule(off.findings, 'annotation-not-converted')[0].severity).toBe('warning')
  })
})

describe('filters merged into one each', () => {
  it('upstream-vhost, rewrite-target and x-forwarded-prefix give one URLRewrite and one RequestHeaderModifier', () => {
    const res = withAnnotations({ [`${NG}upstream-vhost`]: 'backend.local', [`${NG}rewrite-target`]: '/', [`${NG}x-forwarded-prefix`]: '/app' })
    expect(rules(res.routes)[0].filters).toEqual([
      { type: 'URLRewrite', urlRewrite: { hostname: 'backend.local', path: { type: 'ReplaceFullPath', replaceFullPath: '/' } } },
      { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Forwarded-Prefix', value: '/app' }] } },
    ])
  })

  it('treats empty values as unset and refuses values no filter can hold', () => {
    const empty = withAnnotations({ [`${NG}x-forwarded-prefix`]: '', [`${NG}rewrite-target`]: '' })
    expect(rules(empty.routes)[0].filters).toBeUndefined()
    expect(byRule(empty.findings, 'annotation-dropped')).toHaveLength(2)
    const bad = withAnnotations({ [`${NG}rewrite-target`]: '/a b' })
    expect(bad.routes).toEqual([])
    expect(byRule(bad.findings, 'annotation-not-convertible')[0].severity).toBe('error')
    const root = withAnnotations({ [`${NG}app-root`]: 'web' })
    expect(rules(root.routes)).toHaveLength(1)
    expect(byRule(root.findings, 'annotation-not-converted')).toHaveLength(1)
  })

  it('enable-cors gives a CORS filter with nginx defaults under the cors-* keys given', () => {
    const res = withAnnotations({ [`${NG}enable-cors`]: 'true', [`${NG}cors-allow-origin`]: 'https://a.rtrox.io, https://b.rtrox.io', [`${NG}cors-allow-credentials`]: 'false' })
    expect(rules(res.routes)[0].filters).toEqual([
      {
        type: 'CORS',
        cors: {
          allowOrigins: ['https://a.rtrox.io', 'https://b.rtrox.io'],
          allowMethods: ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS'],
          allowHeaders: ['DNT', 'Keep-Alive', 'User-Agent', 'X-Requested-With', 'If-Modified-Since', 'Cache-Control', 'Content-Type', 'Range', 'Authorization'],
          allowCredentials: false,
          maxAge: 1728000,
        },
      },
    ])
  })

  it('leaves CORS origins and headers the CRD would reject out of the filter, with a warning', () => {
    const res = withAnnotations({ [`${NG}enable-cors`]: 'true', [`${NG}cors-allow-origin`]: 'https://ok.rtrox.io, ftp://bad, https://a.rtrox.io/path', [`${NG}cors-allow-headers`]: 'X-Ok, Bad Header' })
    const cors = (rules(res.routes)[0].filters![0] as any).cors
    expect(cors.allowOrigins).toEqual(['https://ok.rtrox.io'])
    expect(cors.allowHeaders).toEqual(['X-Ok'])
    expect(byRule(res.findings, 'annotation-approximated')).toHaveLength(2)
  })

  it('refuses an upstream-vhost that is no precise hostname', () => {
    for (const v of ['$host', 'a..b', '*.x.io']) {
      const res = withAnnotations({ [`${NG}upstream-vhost`]: v })
      expect(rules(res.routes)[0].filters).toBeUndefined()
      expect(byRule(res.findings, 'annotation-not-converted')).toHaveLength(1)
    }
  })

  it('drops cors-* keys nginx ignores without enable-cors', () => {
    const res = withAnnotations({ [`${NG}cors-allow-origin`]: '*' })
    expect(rules(res.routes)[0].filters).toBeUndefined()
    expect(byRule(res.findings, 'annotation-dropped')).toHaveLength(1)
  })
})

describe('timeouts and body size', () => {
  it('turns proxy read/send timeouts into timeouts.request with an `s` and a warning', () => {
    const res = withAnnotations({ [`${NG}proxy-read-timeout`]: '3600', [`${NG}proxy-send-timeout`]: '120' })
    expect(rules(res.routes)[0].timeouts).toEqual({ request: '3600s' })
    expect(byRule(res.findings, 'annotation-approximated').every((f) => f.severity === 'warning' && f.loss)).toBe(true)
  })

  it('formats durations within five digits per unit', () => {
    expect(formatDuration(3600)).toBe('3600s')
    expect(formatDuration(99999)).toBe('99999s')
    expect(formatDuration(100000)).toBe('27h46m40s')
    expect(formatDuration(360000)).toBe('100h')
  })

  it('reports proxy-connect-timeout as a BackendTrafficPolicy', () => {
    const res = withAnnotations({ [`${NG}proxy-connect-timeout`]: '30' })
    expect(byRule(res.findings, 'annotation-not-converted')[0].message).toContain('connectTimeout: 30s')
    expect(rules(res.routes)[0].timeouts).toBeUndefined()
  })

  it('drops 0 and large body sizes with an info, and warns about a real cap', () => {
    const sev = (v: string) => withAnnotations({ [`${NG}proxy-body-size`]: v }).findings.find((f) => f.path[2] === `${NG}proxy-body-size`)!
    expect(sev('0').severity).toBe('info')
    expect(sev('500m').severity).toBe('info')
    const cap = sev('10m')
    expect(cap.severity).toBe('warning')
    expect(cap.hint).toContain('requestBuffer.limit')
  })
})

describe('canary', () => {
  const canary = ingress({ name: 'demo-canary', annotations: { [`${NG}canary`]: 'true', [`${NG}canary-weight`]: '20' }, rules: [{ host: 'a.rtrox.io', paths: [{ service: 'next', port: 80 }] }] })
  const primary = ingress({ rules: [{ host: 'a.rtrox.io', paths: [{ port: 80 }] }] })

  it('weights the canary backend into the primary route', () => {
    const res = convertIngress(primary, { ...ctx, ingresses: [primary, canary] })
    res.routes.forEach(expectValidRoute)
    expect(rules(res.routes)[0].backendRefs).toEqual([
      { name: 'demo', port: 80, weight: 80 },
      { name: 'next', port: 80, weight: 20 },
    ])
  })

  it('gives the canary Ingress no route of its own, and errors when its primary is missing', () => {
    const folded = convertIngress(canary, { ...ctx, ingresses: [primary, canary] })
    expect(folded.routes).toEqual([])
    expect(byRule(folded.findings, 'canary-folded')).toHaveLength(1)
    expect(byRule(folded.findings, 'gateway-chosen')).toEqual([])
    const orphan = convertIngress(canary, { ...ctx, ingresses: [canary] })
    expect(byRule(orphan.findings, 'canary-orphan')[0].severity).toBe('error')
  })

  it('reports header and cookie canaries as not converted', () => {
    const res = withAnnotations({ [`${NG}canary`]: 'true', [`${NG}canary-by-header`]: 'X-Canary', [`${NG}canary-by-cookie`]: 'c' })
    expect(byRule(res.findings, 'annotation-not-converted')).toHaveLength(2)
  })
})

describe('report-only annotations', () => {
  it('reports every advice-table annotation with its severity', () => {
    for (const [name, advice] of Object.entries(ADVICE)) {
      const res = withAnnotations({ [`${NG}${name}`]: 'x' })
      const f = res.findings.find((x) => x.path[2] === `${NG}${name}`)!
      expect(f.severity, name).toBe(advice.severity)
      expect(f.loss).toBe(true)
      if (advice.blocking) expect(res.routes).toEqual([])
    }
  })

  it('makes snippets errors but still emits the route', () => {
    const res = withAnnotations({ [`${NG}configuration-snippet`]: 'more_set_headers "X: y";' })
    expect(byRule(res.findings, 'annotation-not-convertible')[0].severity).toBe('error')
    expect(res.routes).toHaveLength(1)
  })

  it('points auth-url at a SecurityPolicy extAuth and says the route is unprotected', () => {
    const res = withAnnotations({ [`${NG}auth-url`]: 'http://oauth2-proxy/oauth2/auth' })
    expect(res.findings.find((f) => f.path[2] === `${NG}auth-url`)!.message).toMatch(/extAuth.*NOT protected/)
  })

  it('never prints the values of annotations it does not translate', () => {
    const res = withAnnotations({ [`${NG}auth-secret`]: 'super-secret-name', [`${NG}configuration-snippet`]: 'token abc123' })
    expect(JSON.stringify(res.findings)).not.toMatch(/super-secret-name|abc123/)
  })

  it('handles backend-protocol by value', () => {
    expect(byRule(withAnnotations({ [`${NG}backend-protocol`]: 'HTTPS' }).findings, 'annotation-not-converted')[0].message).toContain('BackendTLSPolicy')
    expect(byRule(withAnnotations({ [`${NG}backend-protocol`]: 'GRPC' }).findings, 'annotation-not-converted')[0].message).toContain('GRPCRoute')
    expect(byRule(withAnnotations({ [`${NG}backend-protocol`]: 'HTTP' }).findings, 'annotation-dropped')).toHaveLength(1)
    const fcgi = withAnnotations({ [`${NG}backend-protocol`]: 'FCGI' })
    expect(fcgi.routes).toEqual([])
    expect(byRule(fcgi.findings, 'annotation-not-convertible')).toHaveLength(1)
  })

  it('warns about unknown ingress-nginx annotations and families', () => {
    const res = withAnnotations({ [`${NG}made-up`]: 'x', [`${NG}auth-tls-secret`]: 'x', [`${NG}session-cookie-name`]: 'x' })
    expect(byRule(res.findings, 'annotation-unknown')).toHaveLength(1)
    expect(byRule(res.findings, 'annotation-not-converted')).toHaveLength(2)
  })
})

describe('external-dns, cert-manager and foreign annotations', () => {
  it('carries external-dns keys onto the route, normalises the prefix, and drops target', () => {
    const ann = {
      'external-dns.alpha.kubernetes.io/hostname': 'a.${SECRET_DOMAIN}',
      'external-dns.kubernetes.io/ttl': '60',
      'external-dns.alpha.kubernetes.io/cloudflare-proxied': 'false',
      'external-dns.alpha.kubernetes.io/target': 'ingress.rtrox.io',
    }
    const res = withAnnotations(ann)
    expect(res.routes[0].metadata.annotations).toEqual({
      'external-dns.alpha.kubernetes.io/hostname': 'a.rtrox.io',
      'external-dns.alpha.kubernetes.io/ttl': '60',
      'external-dns.alpha.kubernetes.io/cloudflare-proxied': 'false',
    })
    expect(res.findings.find((f) => f.path[2] === 'external-dns.alpha.kubernetes.io/target')!.rule).toBe('annotation-dropped')
  })

  it('warns when a dropped external-dns target differs from the gateway one', () => {
    const gateways = { internal: { name: 'envoy-internal', namespace: 'network', externalDnsTarget: 'internal.rtrox.io' } }
    const same = withAnnotations({ 'external-dns.alpha.kubernetes.io/target': 'internal.rtrox.io.' }, undefined, { ...ctx, gateways })
    expect(byRule(same.findings, 'dns-target-differs')).toEqual([])
    const other = withAnnotations({ 'external-dns.alpha.kubernetes.io/target': 'cho-ext.rtrox.io' }, undefined, { ...ctx, gateways })
    expect(byRule(other.findings, 'dns-target-differs')[0].severity).toBe('warning')
  })

  it('reports unlisted keys of known families by family', () => {
    const res = withAnnotations({ [`${NG}limit-new-thing`]: '1', [`${NG}auth-new-thing`]: 'x', [`${NG}location-snippet`]: 'x' })
    expect(res.findings.filter((f) => f.rule.startsWith('annotation-not-conv')).map((f) => f.severity)).toEqual(['warning', 'warning', 'error'])
    expect(byRule(res.findings, 'annotation-unknown')).toEqual([])
  })

  it('errors on a carried annotation with an unresolved variable instead of copying it', () => {
    const res = withAnnotations({ 'external-dns.alpha.kubernetes.io/hostname': 'a.${UNKNOWN}' })
    expect(res.routes[0].metadata.annotations).toBeUndefined()
    expect(byRule(res.findings, 'annotation-unresolved')[0].message).toContain('UNKNOWN')
  })

  it('drops cert-manager, tls-acme and kubectl annotations with an info, carries foreign ones', () => {
    const ann = {
      'cert-manager.io/cluster-issuer': 'letsencrypt-prod',
      'kubernetes.io/tls-acme': 'true',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'gethomepage.dev/enabled': 'true',
    }
    const res = withAnnotations(ann)
    expect(res.routes[0].metadata.annotations).toEqual({ 'gethomepage.dev/enabled': 'true' })
    expect(byRule(res.findings, 'annotation-dropped')).toHaveLength(3)
    expect(byRule(res.findings, 'annotation-carried')).toHaveLength(1)
  })
})

describe('annotation keys that are Object.prototype names', () => {
  it('carries `__proto__`, `constructor` and `toString` as plain keys instead of crashing or setting a prototype', () => {
    const annotations = JSON.parse('{"__proto__": "a", "constructor": "b", "toString": "c"}') as Record<string, string>
    const res = convertIngress(ingress({ annotations }), {})
    expect(res.routes).toHaveLength(1)
    const carried = res.routes[0].metadata.annotations!
    expect(Object.getPrototypeOf(carried)).toBe(Object.prototype)
    expect(Object.entries(carried)).toEqual([['__proto__', 'a'], ['constructor', 'b'], ['toString', 'c']])
  })
})
