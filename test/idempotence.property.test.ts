/**
 * Idempotence on generated apps: legacy apps built from the shapes the corpus has (an app-template HelmRelease with
 * ingress values, or a raw Deployment + Service + Ingress; a SOPS Secret with fake ciphertext; a ks.yaml substituting
 * from the cluster secrets; the volsync and gatus templates; kustomize `images:`) in the repository of
 * examples/home-ops. Migrated, the patch applies with git; migrated again, nothing changes. A refused migration is
 * refused the same way twice, with located errors.
 */
import fc from 'fast-check'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatDiagnostics } from '../src/diagnostics.ts'
import { migrate, type MigrateResult } from '../src/migrate.ts'
import { applyChanges, gitApply, readTree } from './helpers.ts'

const EXAMPLE = readTree(path.resolve(__dirname, '../examples/home-ops'))
/** The example repository without its legacy apps: configuration, Flux root, templates, components, repositories. */
const BASE = Object.fromEntries(Object.entries(EXAMPLE).filter(([p]) => !p.startsWith('cluster-cd/apps/bitty/')))

interface AppSpec {
  name: string
  namespace: string
  workload: 'helm' | 'raw'
  image: string
  tag: string
  port: number
  ingress: 'none' | 'nginx' | 'internal' | 'external'
  /** The host is `${GATUS_SUBDOMAIN}.${SECRET_DOMAIN}` (with the gatus template), else `<name>.${SECRET_DOMAIN}`. */
  gatus: boolean
  volsync: boolean
  secret: boolean
  tz: boolean
  /** A variable nothing defines (`${MOTD}`): the migration refuses the app. */
  undefinedVar: boolean
  memory: boolean
  /** Raw apps: a kustomize `images:` entry retagging the image. */
  retag: boolean
  appTemplate: '3.7.3' | '4.1.1'
  dependsOn: string[]
  toAppTemplate: boolean
}

const spec: fc.Arbitrary<AppSpec> = fc.record({
  name: fc.constantFrom('webapp', 'indexer', 'notes', 'paperless', 'echo-server', 'radarr'),
  namespace: fc.constantFrom('default', 'downloads', 'home'),
  workload: fc.constantFrom('helm' as const, 'raw' as const),
  image: fc.constantFrom('ghcr.io/example/app', 'docker.io/library/nginx', 'ghcr.io/home-operations/radarr'),
  tag: fc.constantFrom('1.2.3', 'v2.0.0', '61e9540', '2024.10.1', 'latest'),
  port: fc.constantFrom(80, 8080, 9696, 3000),
  ingress: fc.constantFrom('none' as const, 'nginx' as const, 'internal' as const, 'external' as const),
  gatus: fc.boolean(),
  volsync: fc.boolean(),
  secret: fc.boolean(),
  tz: fc.boolean(),
  undefinedVar: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  memory: fc.boolean(),
  retag: fc.boolean(),
  appTemplate: fc.constantFrom('3.7.3' as const, '4.1.1' as const),
  dependsOn: fc.subarray(['rook-ceph-cluster', 'external-secrets-stores', 'nginx-internal']),
  toAppTemplate: fc.boolean(),
})

const lines = (...ls: (string | false | undefined)[]) => ls.filter((l): l is string => typeof l === 'string').join('\n') + '\n'
const host = (s: AppSpec) => (s.gatus ? '${GATUS_SUBDOMAIN}.${SECRET_DOMAIN}' : `${s.name}.\${SECRET_DOMAIN}`)
const b64 = (v: string) => Buffer.from(v).toString('base64')
const enc = (v: string, iv: string) => `ENC[AES256_GCM,data:${b64(v)},iv:${iv.repeat(43)}=,tag:${iv.repeat(22)}==,type:str]`

function helmRelease(s: AppSpec): string {
  return lines(
    '---',
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    `  name: ${s.name}`,
    'spec:',
    '  interval: 30m',
    '  chart:',
    '    spec:',
    '      chart: app-template',
    `      version: ${s.appTemplate}`,
    '      sourceRef:',
    '        kind: HelmRepository',
    '        name: bjw-s',
    '        namespace: flux-system',
    '  values:',
    '    controllers:',
    `      ${s.name}:`,
    '        containers:',
    '          app:',
    '            image:',
    `              repository: ${s.image}`,
    `              tag: ${s.tag}`,
    (s.tz || s.undefinedVar) && '            env:',
    s.tz && '              TZ: ${LOCAL_TZ}',
    s.undefinedVar && '              MOTD: ${MOTD}',
    s.secret && `            envFrom:\n              - secretRef:\n                  name: ${s.name}-secret`,
    s.memory && '            resources:\n              limits:\n                memory: 256Mi',
    '    service:',
    '      app:',
    `        controller: ${s.name}`,
    '        ports:',
    '          http:',
    `            port: ${s.port}`,
    s.ingress !== 'none' &&
      lines(
        '    ingress:',
        '      app:',
        `        className: ${s.ingress}`,
        '        hosts:',
        `          - host: "${host(s)}"`,
        '            paths:',
        '              - path: /',
        '                service:',
        '                  identifier: app',
        '                  port: http',
        '        tls:',
        `          - hosts: ["${host(s)}"]`,
      ).trimEnd(),
    s.volsync && `    persistence:\n      config:\n        existingClaim: ${s.name}`,
  )
}

function deployment(s: AppSpec): string {
  return lines(
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${s.name}`,
    '  labels:',
    `    app.kubernetes.io/name: ${s.name}`,
    'spec:',
    '  replicas: 1',
    '  selector:',
    '    matchLabels:',
    `      app.kubernetes.io/name: ${s.name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app.kubernetes.io/name: ${s.name}`,
    '    spec:',
    '      containers:',
    `        - name: ${s.name}`,
    `          image: ${s.image}:${s.tag}`,
    (s.tz || s.undefinedVar) && '          env:',
    s.tz && '            - name: TZ\n              value: ${LOCAL_TZ}',
    s.undefinedVar && '            - name: MOTD\n              value: ${MOTD}',
    s.secret && `          envFrom:\n            - secretRef:\n                name: ${s.name}-secret`,
    '          ports:',
    '            - name: http',
    `              containerPort: ${s.port}`,
    s.memory && '          resources:\n            limits:\n              memory: 256Mi',
    s.volsync && '          volumeMounts:\n            - name: config\n              mountPath: /config',
    s.volsync && `      volumes:\n        - name: config\n          persistentVolumeClaim:\n            claimName: ${s.name}`,
  )
}

function service(s: AppSpec): string {
  return lines('---', 'apiVersion: v1', 'kind: Service', 'metadata:', `  name: ${s.name}`, 'spec:', '  selector:', `    app.kubernetes.io/name: ${s.name}`, '  ports:', '    - name: http', `      port: ${s.port}`, '      targetPort: http')
}

function ingress(s: AppSpec): string {
  return lines(
    '---',
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    `  name: ${s.name}`,
    'spec:',
    `  ingressClassName: ${s.ingress}`,
    '  rules:',
    `    - host: "${host(s)}"`,
    '      http:',
    '        paths:',
    '          - path: /',
    '            pathType: Prefix',
    '            backend:',
    '              service:',
    `                name: ${s.name}`,
    '                port:',
    '                  name: http',
  )
}

function sopsSecret(s: AppSpec): string {
  return lines(
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `    name: ${s.name}-secret`,
    'type: Opaque',
    'stringData:',
    `    API_KEY: ${enc(`${s.name}-api-key-value`, 'A')}`,
    `    PASSWORD: ${enc(`${s.name}-password-value`, 'B')}`,
    'sops:',
    '    age:',
    '        - recipient: age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq',
    '          enc: |',
    '            -----BEGIN AGE ENCRYPTED FILE-----',
    '            ZmFrZSBmaWxlIGtleQ==',
    '            -----END AGE ENCRYPTED FILE-----',
    '    lastmodified: "2025-09-01T00:00:00Z"',
    `    mac: ${enc('mac', 'C')}`,
    '    unencrypted_regex: ^(kind)$',
    '    version: 3.9.1',
  )
}

function ksYaml(s: AppSpec): string {
  return lines(
    '---',
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    'metadata:',
    `  name: &app ${s.name}`,
    '  namespace: flux-system',
    'spec:',
    `  targetNamespace: ${s.namespace}`,
    '  commonMetadata:',
    '    labels:',
    '      app.kubernetes.io/name: *app',
    s.dependsOn.length > 0 && `  dependsOn:\n${s.dependsOn.map((d) => `    - name: ${d}`).join('\n')}`,
    `  path: ./cluster-cd/apps/\${CLUSTER_NAME}/${s.namespace}/${s.name}/app`,
    '  prune: true',
    '  sourceRef:',
    '    kind: GitRepository',
    '    name: home-ops-cd',
    '  wait: true',
    '  interval: 30m',
    '  postBuild:',
    '    substitute:',
    '      APP: *app',
    s.volsync && '      VOLSYNC_CAPACITY: 2Gi',
    s.gatus && '      GATUS_SUBDOMAIN: web',
  )
}

/** The legacy repository holding the app (and its namespace kustomization listing it). */
function legacyRepo(s: AppSpec): Record<string, string> {
  const dir = `cluster-cd/apps/bitty/${s.namespace}/${s.name}`
  const files: Record<string, string> = {}
  const resources: string[] = []
  const add = (name: string, text: string) => {
    files[`${dir}/app/${name}`] = text
    resources.push(`./${name}`)
  }
  if (s.secret) add('secret.sops.yaml', sopsSecret(s))
  if (s.workload === 'helm') add('helmrelease.yaml', helmRelease(s))
  else {
    add('deployment.yaml', deployment(s))
    add('service.yaml', service(s))
    if (s.ingress !== 'none') add('ingress.yaml', ingress(s))
  }
  if (s.volsync) resources.push('../../../../base/_templates/volsync')
  if (s.gatus) resources.push('../../../../base/_templates/gatus')
  const retag = s.workload === 'raw' && s.retag ? `images:\n  - name: ${s.image}\n    newTag: 9.9.9\n` : ''
  files[`${dir}/app/kustomization.yaml`] = lines('---', 'apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources:', ...resources.map((r) => `  - ${r}`)) + retag
  files[`${dir}/ks.yaml`] = ksYaml(s)
  files[`cluster-cd/apps/bitty/${s.namespace}/kustomization.yaml`] = lines('---', 'apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources:', `  - ./${s.name}/ks.yaml`)
  return { ...BASE, ...files }
}

const appOf = (s: AppSpec) => `cluster-cd/apps/bitty/${s.namespace}/${s.name}`
const run = (tree: Record<string, string>, s: AppSpec): Promise<MigrateResult> => migrate({ repo: tree, apps: [appOf(s)], toAppTemplate: s.workload === 'raw' && s.toAppTemplate })

describe('idempotence on generated legacy apps', () => {
  it('migrating, applying the patch with git and migrating again changes nothing; a refusal repeats itself', async () => {
    const outcomes = { migrated: 0, refused: 0 }
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const tree = legacyRepo(s)
        const first = await run(tree, s)
        const shown = formatDiagnostics(first.diagnostics)
        expect(first.diagnostics.filter((d) => d.ruleId.endsWith('/crashed')), shown).toEqual([])
        if (!first.ok) {
          outcomes.refused++
          // Refused cleanly: every error is located, and the same input is refused the same way.
          for (const d of first.diagnostics) if (d.severity === 'error') expect(d.file, shown).toBeTruthy()
          expect(formatDiagnostics((await run(tree, s)).diagnostics)).toBe(shown)
          return
        }
        outcomes.migrated++
        expect(first.changes.length, shown).toBeGreaterThan(0)
        const applied = gitApply(tree, first.patch)
        expect(applied).toEqual(applyChanges(tree, first.changes))
        const second = await run(applied, s)
        expect(second.changes.map((c) => c.path), formatDiagnostics(second.diagnostics)).toEqual([])
        expect(second.patch).toBe('')
      }),
      { numRuns: 40, seed: 20261210 },
    )
    // Both branches ran: mostly apps the migration takes, some it refuses (an undefined variable).
    expect(outcomes.migrated).toBeGreaterThan(20)
    expect(outcomes.refused).toBeGreaterThan(0)
  }, 120_000)
})
