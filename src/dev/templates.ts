/** What `scaffold transform` writes: the transform module and the app its golden case starts from. */

/** `my-step` → `myStep`: the registry's name for the default import. */
export const camel = (id: string): string => id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())

/**
 * A working transform to start from: it shows the TSDoc the catalogue reads, declared rules, report-before-mutate
 * and a typed edit. `api` is where `defineTransform` comes from (`../src/transform-api.ts` here, the package elsewhere).
 */
export function transformTemplate(id: string, after: readonly string[], api: string): string {
  const afterLine = after.length ? `\n  after: [${after.map((a) => `'${a}'`).join(', ')}],` : ''
  return `/**
 * Sets \`spec.interval\` of every HelmRelease of the app to the configured \`target.interval\`.
 *
 * Reports: each interval it changes, with the old value.
 */
import { defineTransform } from '${api}'

export default defineTransform({
  id: '${id}',
  description: 'Sets spec.interval of every HelmRelease of the app to target.interval.',${afterLine}
  rules: { 'interval-changed': 'a HelmRelease interval was set to target.interval' },
  apply(ctx) {
    const interval = ctx.config.target.interval
    for (const r of ctx.resources({ kind: 'HelmRelease' })) {
      const before = r.doc.getString(['spec', 'interval'])
      if (before === undefined || before === interval) continue
      // Report first: the old value's position goes with it.
      ctx.report({
        rule: 'interval-changed',
        severity: 'info',
        message: \`HelmRelease \${r.ref.name}: interval \${before} → \${interval}\`,
        at: { resource: r, path: ['spec', 'interval'] },
      })
      r.doc.set(['spec', 'interval'], interval)
    }
  },
})
`
}

/** The golden case's description and app. */
export function caseTemplate(id: string, app: string): string {
  return `description: >-
  ${id} on a plain HelmRelease app (golden/_base plus ${app}), migrated by the pipeline up to ${id}.
apps:
  - ${app}
`
}

/** The app the skeleton case migrates, listed by golden/_base's namespace kustomization. */
export const SAMPLE_APP = 'cluster-cd/apps/bitty/default/webapp'

/** Its files, repository-relative. */
export const SAMPLE_APP_FILES: Record<string, string> = {
  [`${SAMPLE_APP}/ks.yaml`]: `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: &app webapp
  namespace: flux-system
spec:
  targetNamespace: default
  commonMetadata:
    labels:
      app.kubernetes.io/name: *app
  path: ./cluster-cd/apps/\${CLUSTER_NAME}/default/webapp/app
  prune: true
  sourceRef:
    kind: GitRepository
    name: home-ops-cd
  wait: false
  interval: 30m
  retryInterval: 1m
  timeout: 5m
`,
  [`${SAMPLE_APP}/app/kustomization.yaml`]: `---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ./helmrelease.yaml
  - ./ocirepository.yaml
`,
  [`${SAMPLE_APP}/app/ocirepository.yaml`]: `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: webapp
spec:
  interval: 1h
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
  ref:
    tag: 3.7.3
  url: oci://ghcr.io/bjw-s-labs/helm/app-template
`,
  [`${SAMPLE_APP}/app/helmrelease.yaml`]: `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: webapp
spec:
  interval: 30m
  chartRef:
    kind: OCIRepository
    name: webapp
  values:
    controllers:
      webapp:
        containers:
          app:
            image:
              repository: ghcr.io/example/webapp
              tag: 1.2.3
`,
}
