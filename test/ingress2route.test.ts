/** `bitty2chongus ingress2route`, run in memory: files, standard input, exit codes and located notes. */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { main, type CliIo } from '../src/cli.ts'
import { ingressToRoutes } from '../src/index.ts'
import { BOOKS_SERVICE, expectValidRoute, printedRoutes } from './ingress/helpers.ts'

const INGRESS = `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: books
  namespace: media
  annotations:
    nginx.ingress.kubernetes.io/auth-url: https://auth.example.net/oauth2/auth
spec:
  ingressClassName: nginx
  rules:
    - host: books.\${SECRET_DOMAIN}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: books
                port:
                  name: http
`
const SERVICE = BOOKS_SERVICE

function setup(files: Record<string, string>, stdin?: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-i2r-'))
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text)
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    cwd: dir,
    readFile: (p) => fs.readFileSync(p, 'utf8'),
    resolve: (...p) => path.resolve(...p),
    readStdin: stdin === undefined ? undefined : async () => stdin,
  }
  return { io, out: () => out.join(''), err: () => err.join('') }
}


describe('ingress2route', () => {
  it('converts a file, resolving the named port from a Service in another file; warnings exit 0', async () => {
    const t = setup({ 'ingress.yaml': INGRESS, 'service.yaml': SERVICE })
    expect(await main(['ingress2route', 'ingress.yaml', 'service.yaml', '--var', 'SECRET_DOMAIN=rtrox.io'], t.io)).toBe(0)
    const [route] = printedRoutes(t.out())
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'envoy-internal', namespace: 'network', sectionName: 'https' }],
      hostnames: ['books.rtrox.io'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'books', port: 8083 }] }],
    })
    expectValidRoute(route)
    expect(t.err()).toContain('ingress.yaml:8:43: warning ingress-route/annotation-not-converted Ingress media/books: `nginx.ingress.kubernetes.io/auth-url`')
    expect(t.err()).toContain('ingress.yaml:21:19: info ingress-route/backend-port-resolved')
    expect(t.err()).not.toContain('no-ingress')
    expect(t.err()).toMatch(/1 HTTPRoute\(s\), 0 error\(s\), 1 warning\(s\)/)
  })

  it('reads standard input for -', async () => {
    const t = setup({}, `${INGRESS}---\n${SERVICE}`)
    expect(await main(['ingress2route', '-', '--var', 'SECRET_DOMAIN=rtrox.io'], t.io)).toBe(0)
    expect(printedRoutes(t.out()).map((r) => r.metadata.name)).toEqual(['books'])
    expect(t.err()).toContain('<stdin>:21:19: info ingress-route/backend-port-resolved')
  })

  it('attaches to the gateways given on the command line', async () => {
    const t = setup({ 'all.yaml': `${INGRESS.replace('ingressClassName: nginx', 'ingressClassName: nginx-external')}---\n${SERVICE}` })
    const argv = ['ingress2route', 'all.yaml', '--var', 'SECRET_DOMAIN=example.net', '--gateway', 'private/gw', '--external-gateway', 'public/gw/websecure']
    expect(await main(argv, t.io)).toBe(0)
    expect(printedRoutes(t.out())[0].spec.parentRefs).toEqual([{ name: 'public', namespace: 'gw', sectionName: 'websecure' }])
    // Another gateway than Chongus's: its listener hostname is unknown, so no `*.rtrox.io` attachment warning.
    expect(t.err()).not.toContain('host-not-attached')
  })

  it('exits 1 on errors and prints only the routes that converted', async () => {
    const other = INGRESS.replace('name: books\n  namespace', 'name: other\n  namespace').replace('books.${SECRET_DOMAIN}', 'other.${SECRET_DOMAIN}')
    const t = setup({ 'a.yaml': `${INGRESS}---\n${SERVICE}`, 'b.yaml': other.replace('name: http', 'name: missing') })
    expect(await main(['ingress2route', 'a.yaml', 'b.yaml', '--var', 'SECRET_DOMAIN=rtrox.io'], t.io)).toBe(1)
    expect(printedRoutes(t.out()).map((r) => r.metadata.name)).toEqual(['books'])
    expect(t.err()).toMatch(/b\.yaml:21:19: error ingress-route\/backend-port-unresolved .*`missing`/)
  })

  it('exits 1 on a host variable without a value, never printing a literal ${VAR}', async () => {
    const t = setup({ 'a.yaml': `${INGRESS}---\n${SERVICE}` })
    expect(await main(['ingress2route', 'a.yaml'], t.io)).toBe(1)
    expect(t.out()).toBe('')
    expect(t.err()).toMatch(/a\.yaml:12:13: error ingress-route\/host-unresolved .*`SECRET_DOMAIN`/)
  })

  it('warns when no input has an Ingress', async () => {
    const t = setup({ 'service.yaml': SERVICE })
    expect(await main(['ingress2route', 'service.yaml'], t.io)).toBe(0)
    expect(t.err()).toContain('warning ingress-route/no-ingress no Ingress in service.yaml')
  })

  it.each([
    [['ingress2route'], /missing required argument 'file/],
    [['ingress2route', 'nope.yaml'], /cannot read nope\.yaml/],
    [['ingress2route', 'a.yaml', '--gateway', 'only-a-name'], /--gateway only-a-name: expected NAME\/NAMESPACE/],
    [['ingress2route', 'a.yaml', '--external-gateway', 'A/b'], /--external-gateway A\/b: expected/],
    [['ingress2route', 'a.yaml', '--var', 'novalue'], /--var novalue: expected KEY=VALUE/],
    [['ingress2route', '-', '-'], /only once/],
  ])('exits 2 on bad usage: %j', async (argv, message) => {
    const t = setup({ 'a.yaml': INGRESS }, '')
    expect(await main(argv, t.io)).toBe(2)
    expect(t.err()).toMatch(message)
    expect(t.out()).toBe('')
  })

  it('exits 2 for - where standard input cannot be read', async () => {
    const t = setup({})
    expect(await main(['ingress2route', '-'], t.io)).toBe(2)
    expect(t.err()).toContain('standard input is not available')
  })
})

describe('ingressToRoutes (package root)', () => {
  it('locates findings by line and column, inside `kind: List` items too', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n${`${INGRESS}---\n${SERVICE}`
      .split('---\n')
      .filter(Boolean)
      .map((d) => `  - ${d.trimEnd().split('\n').join('\n    ')}\n`)
      .join('')}`
    const { findings } = ingressToRoutes(list, { resolve: (t) => ({ value: t.replace('${SECRET_DOMAIN}', 'rtrox.io') }) })
    expect(findings.find((f) => f.rule === 'backend-port-resolved')).toMatchObject({ document: 0, line: 23, col: 23 })
  })
})
