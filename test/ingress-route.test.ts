/** The ingress-route transform on small in-memory repositories: the cases the golden files do not show. */
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { formatDiagnostics } from '../src/diagnostics.ts'
import { migrate } from '../src/migrate.ts'
import { builtinTransforms } from '../transforms/index.ts'

const APP = 'cluster-cd/apps/bitty/default/demo'
const OUT = 'cluster-apps/chongus/default/demo'
const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n'
const transforms = builtinTransforms.filter((t) => t.id === 'ks-layout' || t.id === 'variables' || t.id === 'ingress-route')

function ks(substitute: Record<string, string> = {}, labels = ''): string {
  const vars = Object.entries(substitute).map(([k, v]) => `      ${k}: ${v}\n`).join('')
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: demo
  namespace: flux-system
${labels}spec:
  targetNamespace: default
  path: ./cluster-cd/apps/bitty/default/demo/app
  sourceRef: {kind: GitRepository, name: home-ops-cd}
  interval: 30m
${vars ? `  postBuild:\n    substitute:\n${vars}` : ''}`
}

/** Migrates one app made of `files` (under app/) with a kustomization listing them. */
async function run(files: Record<string, string>, opts: { ks?: string; config?: string; extra?: Record<string, string> } = {}) {
  const repo: Record<string, string> = {
    '.bitty2chongus.yaml': opts.config ?? 'variables:\n  SECRET_DOMAIN: rtrox.io\n',
    'cluster-cd/apps/bitty/default/kustomization.yaml': 'resources:\n  - ./demo/ks.yaml\n',
    [`${APP}/ks.yaml`]: opts.ks ?? ks(),
    [`${APP}/app/kustomization.yaml`]: `${KUSTOMIZATION}resources:\n${Object.keys(files).filter((f) => !f.includes('values')).map((f) => `  - ./${f}\n`).join('')}${
      // Helm values files reach the release through a generated ConfigMap (`valuesFrom`).
      Object.keys(files).some((f) => f.includes('values')) ? 'configMapGenerator:\n  - name: demo-values\n    files: [values.yaml]\n' : ''
    }`,
  }
  for (const [f, text] of Object.entries(files)) repo[`${APP}/app/${f}`] = text
  Object.assign(repo, opts.extra)
  const r = await migrate({ repo, apps: [APP], transforms })
  const after = (f: string) => r.changes.find((c) => c.path === `${OUT}/app/${f}`)?.after
  return { r, after, diags: formatDiagnostics(r.diagnostics), values: (f = 'helmrelease.yaml') => parse(after(f) ?? '').spec.values }
}

const hr = (chart: string, values: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: demo
spec:
${chart}  values:
${values}`
const specChart = (version: string) => `  chart:\n    spec:\n      chart: app-template\n      version: ${version}\n      sourceRef: {kind: HelmRepository, name: bjw-s, namespace: flux-system}\n`
const oci = (tag: string, url = 'oci://ghcr.io/bjw-s-labs/helm/app-template') =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: demo\nspec:\n  interval: 1h\n  ref:\n    tag: ${tag}\n  url: ${url}\n`
const SERVICE = `    service:\n      app:\n        controller: demo\n        ports:\n          http:\n            port: 9000\n`
const ingress = (host: string, extra = '') => `    ingress:
      app:
        className: nginx${extra}
        hosts:
          - host: ${host}
            paths:
              - path: /
                service:
                  identifier: app
                  port: http
`

describe('ingress-route: app-template values', async () => {
  it('gives the owner’s thelounge route on app-template 4.x: hostnames and parentRefs, no rules', async () => {
    const { r, values } = await run(
      { 'ocirepository.yaml': oci('4.4.0'), 'helmrelease.yaml': hr('  chartRef:\n    kind: OCIRepository\n    name: demo\n', SERVICE + ingress('"${GATUS_SUBDOMAIN}.${SECRET_DOMAIN}"')) },
      { ks: ks({ GATUS_SUBDOMAIN: 'irc' }) },
    )
    expect(r.ok).toBe(true)
    expect(values().route).toEqual({ app: { hostnames: ['irc.rtrox.io'], parentRefs: [{ name: 'envoy-internal', namespace: 'network', sectionName: 'https' }] } })
    expect(values().ingress).toBeUndefined()
  })

  it('lets the Kustomization’s own substitute win over a cluster variable, as Flux does', async () => {
    const { values } = await run({ 'helmrelease.yaml': hr(specChart('4.4.0'), SERVICE + ingress('app.${SECRET_DOMAIN}')) }, { ks: ks({ SECRET_DOMAIN: 'home.arpa.example.net' }) })
    expect(values().route.app.hostnames).toEqual(['app.home.arpa.example.net'])
  })

  it('does not use cluster variables for a Kustomization the legacy root patch skipped', async () => {
    const labels = '  labels:\n    substitution.flux.home.arpa/disabled: "true"\n'
    // The legacy root, whose patch gives the cluster variables only to Kustomizations without that label.
    const root = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cluster-apps
  namespace: flux-system
spec:
  path: ./cluster-cd/apps/bitty
  sourceRef: {kind: GitRepository, name: home-ops-cd}
  patches:
    - patch: |-
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: not-used
        spec:
          postBuild:
            substituteFrom:
              - kind: Secret
                name: cluster-secrets
      target:
        group: kustomize.toolkit.fluxcd.io
        kind: Kustomization
        labelSelector: substitution.flux.home.arpa/disabled notin (true)
`
    const { r, diags } = await run({ 'helmrelease.yaml': hr(specChart('4.4.0'), SERVICE + ingress('app.${SECRET_DOMAIN}')) }, { ks: ks({}, labels), extra: { 'clusters/bitty/flux/apps.yaml': root } })
    expect(r.ok).toBe(false)
    expect(diags).toMatch(/error ingress-route\/host-unresolved .*`SECRET_DOMAIN`/)
  })

  it('moves a host anchor that other values alias onto the hostname, with a warning', async () => {
    const values = `${SERVICE}    env:\n      BASE_URL: *host\n`.replace('    env', '    controllers:\n      demo:\n        containers:\n          app:\n            env:\n              BASE_URL: *host\n    unused')
    const text = hr(specChart('4.4.0'), ingress('&host app.${SECRET_DOMAIN}') + values.replace(/    unused[\s\S]*$/, ''))
    const { r, after, diags } = await run({ 'helmrelease.yaml': text })
    expect(r.ok).toBe(true)
    expect(after('helmrelease.yaml')).toContain('hostnames:\n          - &host app.rtrox.io\n')
    expect(parse(after('helmrelease.yaml')!).spec.values.controllers.demo.containers.app.env.BASE_URL).toBe('app.rtrox.io')
    expect(diags).toContain('warning ingress-route/anchor-moved anchor `&host` moves to hostname app.rtrox.io')
  })

  it('refuses to remove another anchor that values alias elsewhere', async () => {
    const text = hr(specChart('4.4.0'), SERVICE + ingress('app.${SECRET_DOMAIN}', '\n        annotations: &ann\n          example.com/team: core') + '    podAnnotations: *ann\n')
    const { r, diags } = await run({ 'helmrelease.yaml': text })
    expect(r.ok).toBe(false)
    expect(diags).toMatch(/error ingress-route\/values-shared anchor `&ann` inside `ingress` is aliased elsewhere/)
  })

  it('keeps a failing entry under ingress and moves the converted one to a route map beside it', async () => {
    const both = SERVICE + ingress('app.${SECRET_DOMAIN}') + '      admin:\n        hosts:\n          - host: admin.${NOPE}\n            paths:\n              - path: /\n                service: {identifier: app, port: 9000}\n'
    const { r } = await run({ 'helmrelease.yaml': hr(specChart('4.4.0'), both) })
    expect(r.ok).toBe(false)
    const text = r.changes.find((c) => c.path.endsWith('/helmrelease.yaml'))!.after!
    const v = parse(text).spec.values
    expect(Object.keys(v.ingress)).toEqual(['admin'])
    expect(Object.keys(v.route)).toEqual(['app'])
    expect(text.indexOf('    route:')).toBeGreaterThan(text.indexOf('    ingress:'))
  })

  it('refuses to overwrite a route of the same id', async () => {
    const text = hr(specChart('4.4.0'), SERVICE + '    route:\n      app:\n        hostnames: [kept.rtrox.io]\n' + ingress('app.${SECRET_DOMAIN}'))
    const { r, diags } = await run({ 'helmrelease.yaml': text })
    expect(r.ok).toBe(false)
    expect(diags).toContain('error ingress-route/route-exists `route.app` already exists; `ingress.app` is not converted')
  })

  it('reports a chartRef whose OCIRepository is not in the app as an error', async () => {
    const { r, diags } = await run({ 'helmrelease.yaml': hr('  chartRef:\n    kind: OCIRepository\n    name: app-template\n    namespace: flux-system\n', SERVICE + ingress('app.${SECRET_DOMAIN}')) })
    expect(r.ok).toBe(false)
    expect(diags).toContain('error ingress-route/chart-unknown HelmRelease demo has ingress values, but its `chartRef` names OCIRepository flux-system/app-template, which is not among the app\'s files')
  })

  it('reports comments that the removed keys held', async () => {
    const { diags } = await run({ 'helmrelease.yaml': hr(specChart('3.7.3'), SERVICE + ingress('app.${SECRET_DOMAIN}', '\n        annotations:\n          # external-dns.alpha.kubernetes.io/target: ext.example.net')) })
    expect(diags).toContain('info ingress-route/comments-dropped 1 comment line(s) of the ingress values of HelmRelease demo have no place in the route and are dropped: `# external-dns.alpha.kubernetes.io/target: ext.example.net`')
  })
})

describe('ingress-route: manifests and values files', async () => {
  const ing = (name: string, annotations = '') => `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
${annotations}spec:
  ingressClassName: nginx
  rules:
    - host: web.\${SECRET_DOMAIN}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${name}
                port:
                  number: 80
`
  /** The Services the Ingresses route to: the migration's check wants every backendRef to name one the app renders. */
  const svc = (...names: string[]) => names.map((n) => `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${n}\nspec:\n  ports:\n    - port: 80\n`).join('')

  it('folds a canary Ingress into its primary’s route and removes both', async () => {
    const canary = '  annotations:\n    nginx.ingress.kubernetes.io/canary: "true"\n    nginx.ingress.kubernetes.io/canary-weight: "20"\n'
    const { r, after } = await run({ 'ingress.yaml': ing('web') + ing('web-next', canary), 'service.yaml': svc('web', 'web-next') })
    expect(r.ok).toBe(true)
    const routes = after('httproute.yaml')!.split('\n---\n').map((d) => parse(d))
    expect(routes).toHaveLength(1)
    expect(routes[0].spec.rules[0].backendRefs).toEqual([
      { name: 'web', port: 80, weight: 80 },
      { name: 'web-next', port: 80, weight: 20 },
    ])
    expect(r.changes.some((c) => c.path.endsWith('/ingress.yaml'))).toBe(false)
  })

  it('never overwrites an existing file of another content: the routes go to httproute-2.yaml', async () => {
    const { r, after } = await run({ 'httproute.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: unrelated\n', 'ingress.yaml': ing('web'), 'service.yaml': svc('web') })
    expect(r.ok).toBe(true)
    expect(after('httproute-2.yaml')).toContain('kind: HTTPRoute')
    expect(after('kustomization.yaml')).toBe(`${KUSTOMIZATION}resources:\n  - ./httproute.yaml\n  - ./httproute-2.yaml\n  - ./service.yaml\n`)
  })

  it('reports an Ingress the app renders from a shared legacy file as an error', async () => {
    const { r, diags } = await run({ 'service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n' }, {
      extra: {
        'cluster-cd/apps/base/shared/ingress.yaml': ing('web'),
        [`${APP}/app/kustomization.yaml`]: `${KUSTOMIZATION}resources:\n  - ./service.yaml\n  - ../../../../base/shared/ingress.yaml\n`,
      },
    })
    expect(r.ok).toBe(false)
    expect(diags).toContain('cluster-cd/apps/base/shared/ingress.yaml:2:1: error ingress-route/shared-ingress Ingress web comes from the shared legacy file cluster-cd/apps/base/shared/ingress.yaml')
  })

  it('warns about an ingress section in a Helm values file it does not edit', async () => {
    const { diags } = await run({ 'values.yaml': 'ingress:\n  enabled: true\n  hosts: [auth.example.net]\n', 'ingress.yaml': ing('web') })
    expect(diags).toMatch(/values\.yaml:2:3: warning ingress-route\/values-file-ingress .*values files are not converted/)
  })
})

describe('ingress-route: other charts', async () => {
  const other = (values: string) => hr('  chart:\n    spec:\n      chart: podinfo\n      version: 6.7.0\n      sourceRef: {kind: HelmRepository, name: podinfo}\n', values)

  it('refuses to guess whether the chart renders its ingress when `enabled` is not set', async () => {
    const { r, diags } = await run({ 'helmrelease.yaml': other('    service:\n      port: 9898\n    ingress:\n      hosts:\n        - host: pod.example.net\n') })
    expect(r.ok).toBe(false)
    expect(diags).toContain('error ingress-route/chart-ingress-unknown chart podinfo: `ingress.enabled` is not set')
  })

  it('reports a subchart’s enabled ingress values, which it does not convert', async () => {
    const { r, diags } = await run({ 'helmrelease.yaml': other('    grafana:\n      ingress:\n        enabled: true\n        hosts: [grafana.example.net]\n    loki:\n      ingress:\n        enabled: false\n') })
    expect(r.ok).toBe(true)
    expect(diags).toContain('warning ingress-route/nested-ingress-values HelmRelease demo: `grafana.ingress` configures an ingress of a subchart or component')
    expect(diags).not.toContain('`loki.ingress`')
  })

  it('needs a numeric service port for the backend', async () => {
    const { r, diags } = await run({ 'helmrelease.yaml': other('    ingress:\n      enabled: true\n      className: nginx\n      hosts:\n        - host: pod.example.net\n') })
    expect(r.ok).toBe(false)
    expect(diags).toContain('gives no numeric `service.port` for the backend; not converted')
  })

  it('names the Service <release>-<chart> when the release name does not contain the chart name', async () => {
    const values = '    fullnameOverride: ""\n    service:\n      port: 9898\n    ingress:\n      enabled: true\n      className: nginx\n      hosts:\n        - host: pod.${SECRET_DOMAIN}\n          paths:\n            - path: /\n              pathType: Prefix\n'
    const { r, after } = await run({ 'helmrelease.yaml': other(values) })
    expect(r.ok).toBe(true)
    expect(parse(after('httproute.yaml')!).spec.rules[0].backendRefs).toEqual([{ name: 'demo-podinfo', port: 9898 }])
  })
})
