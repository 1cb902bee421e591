/** The helm-oci transform on small repositories: the cases the golden files do not show. */
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../src/migrate.ts'
import { joinImage, splitImage } from '../transforms/lib/images.ts'
import { readTree } from './helpers.ts'

const BASE = readTree(path.resolve(__dirname, '../golden/_base'))
const D = 'cluster-cd/apps/bitty/default'
const T = 'cluster-apps/chongus/default'
const DIGEST = `sha256:${'a'.repeat(64)}`

const ks = (app: string, sub = 'app') => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${app}
  namespace: flux-system
spec:
  targetNamespace: default
  path: ./cluster-cd/apps/\${CLUSTER_NAME}/default/${app}/${sub}
  sourceRef:
    kind: GitRepository
    name: home-ops-cd
`
const hr = (name: string, values = '', chart = 'app-template', source = 'bjw-s') => `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
spec:
  chart:
    spec:
      chart: ${chart}
      version: 3.7.3
      sourceRef:
        kind: HelmRepository
        name: ${source}
        namespace: flux-system
${values}`
const KIND = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n'
const kus = (...resources: string[]) => `${KIND}resources:\n${resources.map((r) => `  - ${r}\n`).join('')}`

/** Migrates app `web` of `files` (over the base tree). */
async function run(files: Record<string, string>, config?: unknown) {
  const repo = { ...BASE, [`${D}/kustomization.yaml`]: 'resources:\n  - ./web/ks.yaml\n', [`${D}/web/ks.yaml`]: ks('web'), ...files }
  const r = await migrate({ repo, apps: [`${D}/web`], config })
  const after = (p: string) => r.changes.find((c) => c.path === p)?.after
  const rules = r.diagnostics.filter((d) => d.ruleId.startsWith('helm-oci/')).map((d) => `${d.severity} ${d.ruleId}`)
  return { r, after, rules, diag: (rule: string) => r.diagnostics.find((d) => d.ruleId === `helm-oci/${rule}`) }
}

describe('helm-oci', () => {
  it('places chartRef where chart was, with interval first when the release had none', async () => {
    const { after } = await run({ [`${D}/web/app/kustomization.yaml`]: kus('./hr.yaml'), [`${D}/web/app/hr.yaml`]: hr('web', '  values: {}\n') })
    expect(after(`${T}/web/app/hr.yaml`)).toContain('spec:\n  interval: 1h\n  chartRef:\n    kind: OCIRepository\n    name: web\n  install:\n')
  })

  it('reports comments inside spec.chart, which go with it', async () => {
    const release = hr('web').replace('version: 3.7.3', 'version: 3.7.3 # pinned until the 4.x values are ready')
    const { diag } = await run({ [`${D}/web/app/kustomization.yaml`]: kus('./hr.yaml'), [`${D}/web/app/hr.yaml`]: release })
    expect(diag('chart-comment-dropped')).toMatchObject({ severity: 'info', loss: true, line: 8 })
  })

  it('refuses an OCIRepository name another file of the app already uses, and leaves the release alone', async () => {
    const taken = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: web\nspec:\n  url: oci://ghcr.io/x/y\n'
    const { r, diag } = await run({ [`${D}/web/app/kustomization.yaml`]: kus('./hr.yaml', './other.yaml'), [`${D}/web/app/hr.yaml`]: hr('web'), [`${D}/web/app/other.yaml`]: taken })
    expect(r.ok).toBe(false)
    expect(diag('ocirepository-name-taken')?.message).toContain(`already exists in ${D}/web/app/other.yaml`)
    expect(r.changes.find((c) => c.path === `${T}/web/app/hr.yaml`)?.after).toContain('chart:\n')
  })

  it('replaces a differing OCIRepository of the same name in the folder ocirepository.yaml, and says so', async () => {
    const stale = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: web\nspec:\n  url: oci://ghcr.io/bjw-s/helm/app-template\n  ref:\n    tag: 3.0.0\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep-me\n'
    const { after, diag } = await run({ [`${D}/web/app/kustomization.yaml`]: kus('./hr.yaml', './ocirepository.yaml'), [`${D}/web/app/hr.yaml`]: hr('web'), [`${D}/web/app/ocirepository.yaml`]: stale })
    expect(diag('ocirepository-replaced')).toMatchObject({ severity: 'warning', loss: true })
    const oci = after(`${T}/web/app/ocirepository.yaml`)!
    expect(oci).toContain('tag: 3.7.3')
    expect(oci).not.toContain('tag: 3.0.0')
    expect(oci).toContain('name: keep-me')
    expect(after(`${T}/web/app/kustomization.yaml`)!.match(/ocirepository/g)).toHaveLength(1)
  })

  it('names legacy.repositories when no HelmRepository is found at all, and reads the folders it names', async () => {
    const files = {
      'cluster-cd/repositories/helm/bjw-s.yaml': undefined as unknown as string,
      'flux/sources/charts.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: bjw-s\n  namespace: flux-system\nspec:\n  type: oci\n  url: oci://ghcr.io/bjw-s/helm\n',
      [`${D}/web/app/kustomization.yaml`]: kus('./hr.yaml'),
      [`${D}/web/app/hr.yaml`]: hr('web'),
    }
    const repo = Object.fromEntries(Object.entries(files).filter(([, v]) => v !== undefined))
    const missing = await run({ ...repo, 'cluster-cd/repositories/helm/bjw-s.yaml': 'kind: ConfigMap\n' })
    expect(missing.diag('helmrepository-not-found')?.hint).toContain('set legacy.repositories in .bitty2chongus.yaml')
    const found = await run({ ...repo, 'cluster-cd/repositories/helm/bjw-s.yaml': 'kind: ConfigMap\n' }, { legacy: { repositories: ['flux/sources'] } })
    expect(found.r.ok).toBe(true)
    expect(found.after(`${T}/web/app/ocirepository.yaml`)).toContain('url: oci://ghcr.io/bjw-s-labs/helm/app-template')
  })

  it('reports a repository file it cannot read when it may hold the repository named', async () => {
    const { diag } = await run({
      'cluster-cd/repositories/helm/broken.yaml': 'kind: HelmRepository\nmetadata: {name: bjw-s\n',
      [`${D}/web/app/kustomization.yaml`]: kus('./hr.yaml'),
      [`${D}/web/app/hr.yaml`]: hr('web'),
    })
    expect(diag('repository-file-unreadable')?.file).toBe('cluster-cd/repositories/helm/broken.yaml')
  })

  it('leaves a HelmRelease shared from outside the app, with a warning', async () => {
    const shared = 'cluster-cd/apps/base/web/helmrelease.yaml'
    const { r, diag } = await run({ [`${D}/web/app/kustomization.yaml`]: kus('../../../../base/web'), 'cluster-cd/apps/base/web/kustomization.yaml': kus('./helmrelease.yaml'), [shared]: hr('web') })
    expect(diag('shared-helmrelease')?.file).toBe(shared)
    expect(r.changes.map((c) => c.path)).not.toContain(shared)
    expect(r.changes.some((c) => c.path.endsWith('ocirepository.yaml'))).toBe(false)
  })

  it('lists the new file relative to the kustomization that lists the HelmRelease', async () => {
    const { after } = await run({ [`${D}/web/app/kustomization.yaml`]: kus('helm/hr.yaml'), [`${D}/web/app/helm/hr.yaml`]: hr('web') })
    expect(after(`${T}/web/app/kustomization.yaml`)).toContain('  - ./helm/hr.yaml\n  - ./helm/ocirepository.yaml\n')
    expect(after(`${T}/web/app/helm/ocirepository.yaml`)).toContain('name: web')
  })

  it('warns when no kustomization lists the HelmRelease as a resource', async () => {
    const { diag } = await run({ [`${D}/web/app/kustomization.yaml`]: `${KIND}crds:\n  - ./hr.yaml\n`, [`${D}/web/app/hr.yaml`]: hr('web') })
    expect(diag('ocirepository-not-listed')?.severity).toBe('warning')
  })

  it('adds the Reloader annotation only to controllers reading a Secret or ConfigMap without one', async () => {
    const values = `  values:
    controllers:
      main:
        containers:
          app:
            envFrom:
              - secret: web-secret
      sidecar:
        containers:
          app:
            image: {repository: ghcr.io/x/y, tag: 1.0.0@${DIGEST}}
      reloaded:
        annotations:
          secret.reloader.stakater.com/reload: web-secret
        containers:
          app:
            env:
              TOKEN: {secretKeyRef: {name: web-secret, key: token}}
    persistence:
      settings:
        type: configMap
        name: web-settings
        advancedMounts:
          main:
            app: [{path: /etc/web}]
`
    const { after, r } = await run({ [`${D}/web/app/kustomization.yaml`]: kus('./hr.yaml'), [`${D}/web/app/hr.yaml`]: hr('web', values) })
    const out = after(`${T}/web/app/hr.yaml`)!
    expect(out).toContain('      main:\n        annotations:\n          reloader.stakater.com/auto: "true"\n        containers:')
    expect(out.match(/reloader\.stakater\.com\/auto/g)).toHaveLength(1)
    expect(r.diagnostics.find((d) => d.ruleId === 'helm-oci/reloader-added')?.message).toBe(
      'controller main reads ConfigMap web-settings, Secret web-secret: added reloader.stakater.com/auto: "true" so Reloader restarts it when they change',
    )
  })

  it.each([
    ['a string', '        annotations: none\n'],
    ['a list', '        annotations:\n          - reloader\n'],
  ])('says so when a controller that needs the Reloader annotation has annotations that are %s', async (_name, annotations) => {
    const values = `  values:\n    controllers:\n      main:\n${annotations}        containers:\n          app:\n            envFrom: [{secret: web-secret}]\n`
    const { after, r } = await run({ [`${D}/web/app/kustomization.yaml`]: kus('./hr.yaml'), [`${D}/web/app/hr.yaml`]: hr('web', values) })
    expect(r.diagnostics.filter((d) => d.ruleId.endsWith('/crashed'))).toEqual([])
    expect(after(`${T}/web/app/hr.yaml`)).toContain(annotations)
    expect(r.diagnostics.find((d) => d.ruleId === 'helm-oci/reloader-not-added')).toMatchObject({
      severity: 'warning',
      message: 'controller main reads Secret web-secret, but its annotations are not a map: reloader.stakater.com/auto was not added',
    })
  })

  it('does not add Reloader annotations to charts other than app-template', async () => {
    const values = '  values:\n    controllers:\n      main:\n        containers:\n          app:\n            envFrom: [{secret: x}]\n'
    const repos = { 'cluster-cd/repositories/helm/jetstack.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: jetstack\n  namespace: flux-system\nspec:\n  url: https://charts.jetstack.io\n' }
    const { after } = await run({ ...repos, [`${D}/web/app/kustomization.yaml`]: kus('./hr.yaml'), [`${D}/web/app/hr.yaml`]: hr('web', values, 'cert-manager', 'jetstack') })
    expect(after(`${T}/web/app/hr.yaml`)).not.toContain('reloader')
  })

  it('flags a HelmRepository of the app that no release pulls from any more, not one still in use', async () => {
    const own = (name: string, url: string) => `---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: ${name}\nspec:\n  url: ${url}\n`
    const files = {
      [`${D}/web/app/kustomization.yaml`]: kus('./repos.yaml', './hr.yaml', './gw.yaml'),
      [`${D}/web/app/repos.yaml`]: own('jetstack', 'https://charts.jetstack.io') + own('angelnu', 'https://angelnu.github.io/helm-charts'),
      [`${D}/web/app/hr.yaml`]: hr('web', '', 'cert-manager', 'jetstack').replace('        namespace: flux-system\n', ''),
      [`${D}/web/app/gw.yaml`]: hr('gw', '', 'pod-gateway', 'angelnu').replace('        namespace: flux-system\n', ''),
    }
    const { r } = await run(files)
    expect(r.diagnostics.filter((d) => d.ruleId === 'helm-oci/helmrepository-unused').map((d) => d.message)).toEqual([
      'no HelmRelease of the app pulls from HelmRepository jetstack any more; Chongus has no HelmRepositories',
    ])
  })

  it('reports a chartRef into another namespace as a shared OCIRepository', async () => {
    const release = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  chartRef:\n    kind: OCIRepository\n    name: app-template\n    namespace: flux-system\n'
    const { diag, rules } = await run({ [`${D}/web/app/kustomization.yaml`]: kus('./hr.yaml'), [`${D}/web/app/hr.yaml`]: release })
    expect(diag('shared-ocirepository')?.severity).toBe('warning')
    expect(rules).not.toContain('warning helm-oci/chartref-unresolved')
  })

  it('moves an OCIRepository the app already holds from v1beta2 to v1', async () => {
    const release = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  chartRef:\n    kind: OCIRepository\n    name: web\n'
    const oci = '---\n# yaml-language-server: $schema=https://kube-schemas.pages.dev/source.toolkit.fluxcd.io/ocirepository_v1beta2.json\napiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: OCIRepository\nmetadata:\n  name: web\nspec:\n  interval: 5m\n  url: oci://ghcr.io/x/web\n  ref:\n    tag: 1.0.0\n'
    const { after, diag } = await run({ [`${D}/web/app/kustomization.yaml`]: kus('./hr.yaml', './oci.yaml'), [`${D}/web/app/hr.yaml`]: release, [`${D}/web/app/oci.yaml`]: oci })
    expect(after(`${T}/web/app/oci.yaml`)).toBe(oci.replace('apiVersion: source.toolkit.fluxcd.io/v1beta2', 'apiVersion: source.toolkit.fluxcd.io/v1'))
    expect(diag('ocirepository-v1')?.hint).toBe('point its schema comment at the v1 schema')
  })

  it('folds images: as kustomize applies them: newTag alone replaces a digest too; a registry port is no tag', async () => {
    const deploy = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: registry.lan:5000/web@${DIGEST}\n        - name: b\n          image: registry.lan:5000/tool\n`
    const images = `images:\n  - name: registry.lan:5000/web\n    newTag: "2.0"\n  - name: registry.lan:5000/tool\n    newTag: v3\n`
    const { r, after, rules } = await run({ [`${D}/web/app/kustomization.yaml`]: kus('./deploy.yaml') + images, [`${D}/web/app/deploy.yaml`]: deploy })
    const out = after(`${T}/web/app/deploy.yaml`)!
    expect(out).toContain('image: registry.lan:5000/web:2.0\n')
    expect(out).toContain('image: registry.lan:5000/tool:v3\n')
    expect(after(`${T}/web/app/kustomization.yaml`)).not.toContain('images:')
    // Unpinned images are reported once, by check/image-digest on the folded references, not by helm-oci.
    expect(rules).not.toContain('warning helm-oci/image-not-pinned')
    expect(r.diagnostics.filter((d) => d.ruleId === 'check/image-digest').map((d) => d.message)).toEqual([
      expect.stringContaining('image registry.lan:5000/web:2.0 is not pinned to a digest'),
      expect.stringContaining('image registry.lan:5000/tool:v3 is not pinned to a digest'),
    ])
  })

  it('splits and joins image references as kustomize reads them', () => {
    expect(splitImage('ghcr.io/a/b:1.2@sha256:x')).toEqual({ repository: 'ghcr.io/a/b', tag: '1.2@sha256:x' })
    expect(splitImage('host:5000/b')).toEqual({ repository: 'host:5000/b' })
    expect(splitImage('b@sha256:x')).toEqual({ repository: 'b', tag: '@sha256:x' })
    for (const s of ['ghcr.io/a/b:1.2@sha256:x', 'host:5000/b', 'b@sha256:x', 'nginx:1']) {
      const p = splitImage(s)
      expect(joinImage(p.repository, p.tag)).toBe(s)
    }
  })
})
