import { describe, expect, it } from 'vitest'
import { ingressToRoutes } from '../../src/ingress/index.ts'
import type { HTTPRoute } from '../../src/ingress/types.ts'
import { BOOKS_SERVICE, celViolations, expectValidRoute, printedRoutes, resolve } from './helpers.ts'

const STREAM = `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: &name books
  namespace: media
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt-prod
    ingress: "externaldns"
    nginx.ingress.kubernetes.io/proxy-read-timeout: "3600"
spec:
  ingressClassName: nginx
  rules:
    - host: &host books.\${SECRET_DOMAIN}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: *name
                port:
                  name: http
  tls:
    - hosts: [*host]
      secretName: books-tls
---
${BOOKS_SERVICE}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: books-kobo
  namespace: media
spec:
  ingressClassName: nginx
  rules:
    - host: books.\${SECRET_DOMAIN}
      http:
        paths:
          - path: /kobo
            pathType: Prefix
            backend:
              service:
                name: books
                port:
                  number: 8083
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: extra
  namespace: media
data:
  a: b
`


describe('ingressToRoutes', () => {
  it('converts every Ingress of a stream with the Services of the same stream', () => {
    const { yaml, findings } = ingressToRoutes(STREAM, { resolve })
    const routes = printedRoutes(yaml)
    expect(routes.map((r) => [r.metadata.name, r.spec.hostnames, r.spec.rules[0].backendRefs])).toEqual([
      ['books', ['books.rtrox.io'], [{ name: 'books', port: 8083 }]],
      ['books-kobo', ['books.rtrox.io'], [{ name: 'books', port: 8083 }]],
    ])
    routes.forEach(expectValidRoute)
    expect(yaml).toContain('port: 8083\n')
    expect(yaml).toContain('request: 3600s\n')
    expect(yaml.startsWith('# Converted from Ingress media/books\n---\n')).toBe(true)
    expect(findings.find((f) => f.rule === 'backend-port-resolved')!.document).toBe(0)
    expect(findings.find((f) => f.rule === 'not-an-ingress')!).toMatchObject({ severity: 'info', document: 3 })
  })

  it('reports a named port whose Service is missing from the stream', () => {
    const noService = STREAM.split('\n---\n').filter((d) => !d.includes('kind: Service')).join('\n---\n')
    const { yaml, findings } = ingressToRoutes(noService, { resolve })
    expect(printedRoutes(yaml).map((r) => r.metadata.name)).toEqual(['books-kobo'])
    expect(findings.find((f) => f.rule === 'backend-port-unresolved')).toMatchObject({ severity: 'error', document: 0 })
  })

  it('takes extra Services from the options', () => {
    const noService = STREAM.split('\n---\n').filter((d) => !d.includes('kind: Service')).join('\n---\n')
    const services = [{ kind: 'Service', metadata: { name: 'books', namespace: 'media' }, spec: { ports: [{ name: 'http', port: 8083 }] } }]
    expect(printedRoutes(ingressToRoutes(noService, { resolve, services }).yaml)).toHaveLength(2)
  })

  it('reports a broken document and converts the others', () => {
    const { yaml, findings } = ingressToRoutes(`${STREAM}---\nkind: [unclosed\n`, { resolve })
    expect(printedRoutes(yaml)).toHaveLength(2)
    expect(findings.find((f) => f.rule === 'yaml-parse')).toMatchObject({ severity: 'error', document: 4 })
  })

  it('warns when there is no Ingress at all', () => {
    const { yaml, findings } = ingressToRoutes('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n')
    expect(yaml).toBe('')
    expect(findings.map((f) => f.rule)).toEqual(['not-an-ingress', 'no-ingress'])
  })
})

describe('route validation used by these tests', () => {
  const base: HTTPRoute = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'x' },
    spec: { parentRefs: [{ name: 'gw', namespace: 'network' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 's', port: 80 }] }] },
  }

  it('rejects a string port, an upper-case hostname and a bare-number timeout', () => {
    for (const patch of [
      (r: any) => (r.spec.rules[0].backendRefs[0].port = 'http'),
      (r: any) => (r.spec.hostnames = ['A.rtrox.io']),
      (r: any) => (r.spec.rules[0].timeouts = { request: '3600' }),
    ]) {
      const r = structuredClone(base)
      patch(r)
      expect(() => expectValidRoute(r)).toThrow()
    }
  })

  it('flags the CEL rules the schema cannot check', () => {
    const r = structuredClone(base)
    r.spec.rules[0].matches = [{ path: { type: 'PathPrefix', value: '/foo(/|$)(.*)' } }, { path: { type: 'Exact', value: '/a' } }]
    r.spec.rules[0].filters = [
      { type: 'RequestRedirect', requestRedirect: { statusCode: 301 } },
      { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } },
    ]
    expect(celViolations(r)).toEqual([
      'rule 0: RequestRedirect with URLRewrite or backendRefs',
      'rule 0: ReplacePrefixMatch needs exactly one PathPrefix match',
      'rule 0: invalid path /foo(/|$)(.*)',
    ])
  })
})
