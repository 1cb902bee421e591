import { describe, expect, it } from 'vitest'
import { toAppTemplate, type Manifest } from '../../src/apptemplate/index.ts'
import { cronApp, hostApp, sidecarApp, statefulApp, webApp } from './fixtures.ts'
import { convertAndCheck, rules } from './helpers.ts'

const pod = (m: Manifest) => ((m.spec as any).template.spec) as any

describe.each(['4.4.0', '3.7.3'])('toAppTemplate (chart %s)', (chartVersion) => {
  it('converts a Deployment + Service + Ingress and renders back to the same workload', () => {
    const c = convertAndCheck(webApp(), { release: 'ledger', chartVersion })
    expect(c.result.ok).toBe(true)
    const v = c.result.values as any
    expect(v.controllers.ledger.strategy).toBe('Recreate')
    expect(v.controllers.ledger.annotations).toEqual({ 'reloader.stakater.com/auto': 'true' })
    const app = v.controllers.ledger.containers.app
    expect(app.image).toEqual({ repository: 'ghcr.io/acme/ledger', tag: '2.1.0' })
    expect(app.env).toEqual({ TZ: '${LOCAL_TZ}', LEDGER_PORT: '8000', DB_PASSWORD: { valueFrom: { secretKeyRef: { name: 'ledger-secret', key: 'password' } } } })
    expect(app.probes.liveness).toEqual({ enabled: true, custom: true, spec: { httpGet: { path: '/health', port: 8000 }, periodSeconds: 30 } })
    expect(app.probes.startup).toEqual({ enabled: false })
    expect(v.defaultPodOptions).toEqual({ securityContext: { fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch' }, enableServiceLinks: true })
    expect(v.service.app).toEqual({ controller: 'ledger', ports: { http: { port: 80, targetPort: 8000 } } })
    expect(v.persistence).toEqual({ config: { existingClaim: '${APP}', globalMounts: [{ path: '/config' }] } })
    expect(c.result.consumed).toEqual([0, 1])
    expect(c.result.kept).toEqual([{ index: 2, edits: [] }])
    expect(rules(c.result.findings)).toContain('info ingress-kept@2:metadata.name')
    expect(c.unexplained).toEqual([])
    expect(c.unmodelled).toEqual([])
  })

  it('hands Ingresses to the ingress converter seam, with the Service identifier, and checks the route it renders', () => {
    const seen: unknown[] = []
    const backend = chartVersion.startsWith('4') ? { identifier: 'app', port: 80 } : { name: 'app', port: 80 }
    const parentRefs = [{ name: 'envoy-internal', namespace: 'network', sectionName: 'https' }]
    const route = { hostnames: ['ledger.example.net'], parentRefs, rules: [{ backendRefs: [backend] }] }
    const expected = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'ledger' }, spec: { parentRefs, hostnames: ['ledger.example.net'], rules: [{ backendRefs: [{ name: 'ledger', port: 80 }] }] } }
    const c = convertAndCheck(webApp(), {
      release: 'ledger',
      chartVersion,
      convertIngress: (ing, ctx) => {
        seen.push(ctx.index, ctx.service('ledger'), ctx.service('other'), ctx.services.length)
        return { routes: { app: route }, findings: [{ severity: 'info', rule: 'tls-dropped', message: 'tls dropped', path: ['spec'] }], expected: { app: expected } }
      },
    })
    expect(seen).toEqual([2, { identifier: 'app', name: 'ledger', ports: { http: 80 } }, undefined, 1])
    expect((c.result.values as any).route).toEqual({ app: route })
    expect(c.result.consumed).toEqual([0, 1, 2])
    expect(c.result.identities.routes).toEqual({ 2: { app: expected } })
    expect(rules(c.result.findings)).toContain('info tls-dropped@2:spec')
    expect(rules(c.result.findings)).toContain('info ingress-converted@2:metadata.name')
    expect(c.unexplained).toEqual([])
    expect(c.unmodelled).toEqual([])
  })

  it('finds a route that renders another backend port than the Ingress reached, or another host than the converter gave', () => {
    const parentRefs = [{ name: 'envoy-internal', namespace: 'network' }]
    const id = chartVersion.startsWith('4') ? { identifier: 'app' } : { name: 'app' }
    const expected = { metadata: { name: 'ledger' }, spec: { parentRefs, hostnames: ['ledger.example.net'], rules: [{ backendRefs: [{ name: 'ledger', port: 80 }] }] } }
    const c = convertAndCheck(webApp(), {
      release: 'ledger',
      chartVersion,
      convertIngress: () => ({ routes: { app: { hostnames: ['other.example.net'], parentRefs, rules: [{ backendRefs: [{ ...id, port: 8080 }] }] } }, findings: [], expected: { app: expected } }),
    })
    expect(c.unexplained).toEqual([
      '2:spec.rules: route app hostnames ["ledger.example.net"] are rendered as ["other.example.net"]',
      expect.stringMatching(/^2:spec\.rules: route app rules .*"port":80.* are rendered as .*"port":8080/),
      '2:spec.rules[0].http.paths[0].backend.service: Service ledger port 80 is reached by no rendered route (as ledger:80)',
    ])
  })

  it('models a route without rules: 4.x routes to the only Service, 3.x to nothing', () => {
    const parentRefs = [{ name: 'envoy-internal', namespace: 'network' }]
    const expected = { metadata: { name: 'ledger' }, spec: { parentRefs, hostnames: ['ledger.example.net'], rules: [{ backendRefs: [{ name: 'ledger', port: 80 }] }] } }
    const c = convertAndCheck(webApp(), { release: 'ledger', chartVersion, convertIngress: () => ({ routes: { app: { hostnames: ['ledger.example.net'], parentRefs } }, findings: [], expected: { app: expected } }) })
    if (chartVersion.startsWith('4')) expect(c.unexplained).toEqual([])
    else expect(c.unexplained).toContain('2:spec.rules[0].http.paths[0].backend.service: Service ledger port 80 is reached by no rendered route (as ledger:80)')
  })

  it('keeps an Ingress raw, its backend renamed, when the converter reports errors or gives no route', () => {
    const m = webApp()
    ;(m[1].metadata as any).name = 'ledger-web'
    ;(m[2].spec as any).rules[0].http.paths[0].backend.service.name = 'ledger-web'
    for (const conv of [{ routes: { app: {} }, findings: [{ severity: 'error' as const, rule: 'snippet', message: 'no', path: ['metadata'] }], expected: {} }, { routes: {}, findings: [], expected: {} }]) {
      const c = convertAndCheck(m, { release: 'ledger', chartVersion, convertIngress: () => conv })
      expect(c.result.ok).toBe(true)
      expect((c.result.values as any).route).toBeUndefined()
      expect(c.result.kept).toContainEqual({ index: 2, edits: [{ path: ['spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service', 'name'], value: 'ledger' }] })
      const kept = c.result.findings.find((f) => f.rule === 'ingress-kept')!
      expect(kept.message).toMatch(conv.findings.length > 0 ? /cannot become route values \(snippet\)/ : /gives no route/)
      expect(rules(c.result.findings)).not.toContain('error snippet@2:metadata')
    }
  })

  it('orders a sidecar after the app, mounts per container, renames the Service and rewrites the app\'s own reference', () => {
    const c = convertAndCheck(sidecarApp(), { release: 'tuner', chartVersion })
    expect(c.result.ok).toBe(true)
    const v = c.result.values as any
    const exporter = v.controllers.tuner.containers.exporter
    expect(exporter.dependsOn).toBe('app')
    expect(exporter.env.FULL).toEqual({ value: '$(URL)/api', dependsOn: ['URL'] })
    expect(v.controllers.tuner.containers.app.env.TUNER_URL).toBe('http://tuner:8080')
    expect(v.controllers.tuner.containers.app.image.tag).toBe('1.4@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef')
    expect(v.persistence.config.advancedMounts).toEqual({ tuner: { app: [{ path: '/config' }], exporter: [{ path: '/config/tuner.db', subPath: 'tuner.db', readOnly: true }] } })
    expect(v.persistence.media).toEqual({ type: 'nfs', server: '${NFS_SERVER}', path: '/export/media', advancedMounts: { tuner: { app: [{ path: '/media' }] } } })
    expect(v.persistence.tmp).toEqual({ type: 'emptyDir', medium: 'Memory', sizeLimit: '1Gi', globalMounts: [{ path: '/tmp' }] })
    expect(v.defaultPodOptions.labels).toEqual({ tier: 'media' })
    expect(v.defaultPodOptions.annotations).toEqual({ 'prometheus.io/scrape': 'false' })
    const ref = chartVersion.startsWith('4') ? { service: { identifier: 'app' } } : { serviceName: 'tuner' }
    expect(v.serviceMonitor.app).toEqual({ ...ref, labels: { release: 'prometheus' }, endpoints: [{ port: 'metrics', path: '/metrics', interval: '1m' }] })
    const r = rules(c.result.findings)
    expect(r).toContain('warning service-renamed@1:metadata.name')
    expect(r).toContain('info service-reference-updated@0:spec.template.spec.containers[0].env[0]')
    expect(r).toContain('info velero-dropped@0:metadata.annotations["backup.velero.io/backup-volumes"]')
    expect(r).toContain('info selector-label-dropped@0:spec.template.metadata.labels["app.kubernetes.io/componnet"]')
    expect(r).toContain('warning job-renamed@2:spec.jobLabel')
    expect(c.unexplained).toEqual([])
  })

  it('converts a StatefulSet named after the app with its volumeClaimTemplates', () => {
    const c = convertAndCheck(statefulApp(), { release: 'vault', chartVersion })
    const v = c.result.values as any
    expect(v.controllers.vault).toMatchObject({ type: 'statefulset', replicas: 3, strategy: 'RollingUpdate' })
    expect(v.controllers.vault.statefulset.volumeClaimTemplates).toEqual([{ name: 'data', accessMode: 'ReadWriteOnce', size: '10Gi', storageClass: 'ceph-block', globalMounts: [{ path: '/vault/data' }] }])
    expect(v.persistence).toBeUndefined()
    expect(c.unexplained).toEqual([])
  })

  it('keeps a renamed StatefulSet with claim templates raw: its claims would be new and empty', () => {
    const r = toAppTemplate(statefulApp('vault-db'), { release: 'vault', chartVersion })
    expect(r.ok).toBe(false)
    expect(r.values).toBeUndefined()
    expect(rules(r.findings)).toContain('error claim-templates-renamed@0:spec.volumeClaimTemplates')
    expect(rules(r.findings)).toContain('error statefulset-service-name@0:spec.serviceName')
  })

  it.each([
    ['pod template', (m: Manifest) => delete (m.spec as any).template, 'spec'],
    ['pod spec', (m: Manifest) => delete (m.spec as any).template.spec, 'spec.template'],
    ['containers', (m: Manifest) => delete pod(m).containers, 'spec.template.spec'],
  ])('refuses a workload without %s, at its place, and does not crash on its claim templates', (_name, cut, at) => {
    const app = statefulApp()
    cut(app[0])
    const r = toAppTemplate(app, { release: 'vault', chartVersion })
    expect(r.ok).toBe(false)
    expect(rules(r.findings)).toContain(`error no-containers@0:${at}`)
  })

  it('converts a CronJob, saying the Kubernetes defaults the chart does not share', () => {
    const c = convertAndCheck(cronApp(), { release: 'sweeper', chartVersion, generated: [{ kind: 'ConfigMap', name: 'sweeper-config', hashed: true }] })
    const v = c.result.values as any
    expect(v.controllers.sweeper).toMatchObject({ type: 'cronjob', cronjob: { schedule: '@daily', concurrencyPolicy: 'Allow', successfulJobsHistory: 3, ttlSecondsAfterFinished: 3600 } })
    expect(v.defaultPodOptions).toMatchObject({ labels: { 'k8s-app': 'sweeper' }, restartPolicy: 'OnFailure', automountServiceAccountToken: false })
    expect(v.persistence.config).toEqual({ type: 'configMap', name: 'sweeper-config', globalMounts: [{ path: '/etc/sweeper/config.yml', subPath: 'config.yml', readOnly: true }] })
    expect(c.result.unhash).toEqual([{ kind: 'ConfigMap', name: 'sweeper-config', hashed: true }])
    expect(rules(c.result.findings)).toContain('info namespace-dropped@0:metadata.namespace')
    expect(rules(c.result.findings)).toContain('warning generated-name@0:spec.jobTemplate.spec.template.spec.volumes[0].configMap.name')
    expect(c.result.kept).toEqual([{ index: 1, edits: [] }])
    expect(c.unexplained).toEqual([])
  })

  it('converts hostNetwork and privileged pods, keeping Kubernetes\' DNS policy', () => {
    const c = convertAndCheck(hostApp(), { release: 'radio', chartVersion })
    const v = c.result.values as any
    expect(v.defaultPodOptions).toMatchObject({ hostNetwork: true, dnsPolicy: 'ClusterFirst', labels: { app: 'radio' } })
    expect(v.controllers.radio.containers.app.securityContext).toEqual({ privileged: true })
    expect(v.persistence.stick).toEqual({ type: 'hostPath', hostPath: '/dev/serial/by-id/usb-radio', hostPathType: 'CharDevice', globalMounts: [{ path: '/dev/radio' }] })
    expect(v.service.app.ports).toEqual({ http: { port: 80, targetPort: 8091 }, ws: { port: 3000 } })
    expect(c.unexplained).toEqual([])
  })
})

describe('what app-template cannot express', () => {
  it('keeps the app raw with an error naming the field', () => {
    const m = webApp()
    pod(m[0]).shareProcessNamespace = true
    pod(m[0]).containers[0].volumeDevices = [{ name: 'x', devicePath: '/dev/x' }]
    const r = toAppTemplate(m, { release: 'ledger' })
    expect(r.ok).toBe(false)
    expect(r.values).toBeUndefined()
    const errors = r.findings.filter((f) => f.severity === 'error')
    expect(errors.map((f) => f.message)).toEqual(['pod field `shareProcessNamespace` has no app-template key', 'container ledger field `volumeDevices` has no app-template key'])
    expect(rules(errors)).toEqual(['error unsupported-field@0:spec.template.spec.shareProcessNamespace', 'error unsupported-field@0:spec.template.spec.containers[0].volumeDevices'])
  })

  it('refuses a kept NetworkPolicy that would stop selecting the pods', () => {
    const m = sidecarApp()
    m.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'tuner' }, spec: { podSelector: { matchLabels: { app: 'tuner' } } } })
    const r = toAppTemplate(m, { release: 'tuner' })
    expect(rules(r.findings.filter((f) => f.severity === 'error'))).toEqual(['error kept-selector@3:spec.podSelector.matchLabels'])
  })

  it('refuses a digest without a tag, a Service selecting two workloads and duplicate env names', () => {
    const m = webApp()
    const c = pod(m[0]).containers[0]
    c.image = 'ghcr.io/acme/ledger@sha256:abc'
    c.env.push({ name: 'TZ', value: 'UTC' })
    const r = toAppTemplate([...m, { ...structuredClone(m[0]), metadata: { name: 'ledger-2' } }], { release: 'ledger' })
    expect(new Set(r.findings.filter((f) => f.severity === 'error').map((f) => f.rule))).toEqual(new Set(['digest-only-image', 'duplicate-env', 'service-selector']))
  })
})

describe('kustomize images', () => {
  it('folds the matching images: entries into the values and says which were used', () => {
    const m = webApp()
    const c = convertAndCheck(m, { release: 'ledger', images: [{ name: 'ghcr.io/acme/ledgr', newTag: '9' }, { name: 'ghcr.io/acme/ledger', newTag: '2.2.0@sha256:feed' }] })
    expect((c.result.values as any).controllers.ledger.containers.app.image).toEqual({ repository: 'ghcr.io/acme/ledger', tag: '2.2.0@sha256:feed' })
    expect(c.result.imagesUsed).toEqual([1])
    expect(c.unexplained).toEqual([])
  })
})

describe('several controllers and other kinds', () => {
  const job = (kind: 'Job' | 'DaemonSet', name: string): Manifest => ({
    apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1',
    kind,
    metadata: { name },
    spec: {
      ...(kind === 'DaemonSet' ? { selector: { matchLabels: { app: name } } } : { backoffLimit: 2 }),
      template: {
        metadata: { labels: { app: name } },
        spec: {
          ...(kind === 'Job' ? { restartPolicy: 'Never' } : { tolerations: [{ operator: 'Exists' }] }),
          containers: [{ name, image: `ghcr.io/acme/${name}:1.0.0`, volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'shared' } }],
        },
      },
    },
  })

  it.each(['4.4.0', '3.7.3'])('puts pod options under each controller, names resources <release>-<id> and mounts per controller (chart %s)', (chartVersion) => {
    const m = [...webApp(), job('Job', 'ledger-migrate'), job('DaemonSet', 'ledger-agent')]
    pod(m[0]).volumes.push({ name: 'data', persistentVolumeClaim: { claimName: 'shared' } })
    pod(m[0]).containers[0].volumeMounts.push({ name: 'data', mountPath: '/data' })
    const c = convertAndCheck(m, { release: 'ledger', chartVersion })
    const v = c.result.values as any
    expect(v.defaultPodOptions).toBeUndefined()
    expect(v.controllers.ledger.pod.securityContext).toEqual({ fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch' })
    expect(v.controllers.migrate).toMatchObject({ type: 'job', job: { backoffLimit: 2 } })
    expect(v.controllers.agent).toMatchObject({ type: 'daemonset', pod: { tolerations: [{ operator: 'Exists' }] } })
    expect(v.persistence.data).toEqual({ existingClaim: 'shared', globalMounts: [{ path: '/data' }] })
    expect(v.persistence.config.advancedMounts).toEqual({ ledger: { app: [{ path: '/config' }] } })
    const names = c.rendered!.resources.map((r) => `${r.kind}/${(r.manifest.metadata as any).name}`)
    expect(names).toEqual(chartVersion.startsWith('4') ? ['Deployment/ledger', 'Job/ledger-migrate', 'DaemonSet/ledger-agent', 'Service/ledger'] : ['Deployment/ledger-ledger', 'Job/ledger-migrate', 'DaemonSet/ledger-agent', 'Service/ledger'])
    expect(c.unexplained).toEqual([])
  })

  it('carries a LoadBalancer Service with its address and external-dns annotation', () => {
    const m = webApp()
    Object.assign(m[1], { metadata: { name: 'ledger', annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'ledger.example.net' } } })
    Object.assign(m[1].spec as object, { type: 'LoadBalancer', loadBalancerIP: '10.0.0.5', externalTrafficPolicy: 'Local' })
    const c = convertAndCheck(m, { release: 'ledger' })
    expect((c.result.values as any).service.app).toMatchObject({ type: 'LoadBalancer', loadBalancerIP: '10.0.0.5', externalTrafficPolicy: 'Local', annotations: { 'external-dns.alpha.kubernetes.io/hostname': 'ledger.example.net' } })
    expect(c.unexplained).toEqual([])
  })

  it('refuses `{{` in a value, which Helm would evaluate', () => {
    const m = webApp()
    pod(m[0]).containers[0].args = ['--format={{.Name}}']
    expect(rules(toAppTemplate(m, { release: 'ledger' }).findings.filter((f) => f.severity === 'error'))).toEqual(['error helm-template@0:spec.template.spec.containers[0].args[0]'])
  })
})

describe('references to renamed workloads and substitution', () => {
  it('updates a kept HorizontalPodAutoscaler that names a renamed workload', () => {
    const m = webApp()
    ;(m[0].metadata as any).name = 'ledger-server'
    m.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'ledger' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ledger-server' } } })
    const r = toAppTemplate(m, { release: 'ledger' })
    expect(r.kept.find((k) => k.index === 3)).toEqual({ index: 3, edits: [{ path: ['spec', 'scaleTargetRef', 'name'], value: 'ledger' }] })
    expect(rules(r.findings)).toContain('warning workload-reference-updated@3:spec.scaleTargetRef.name')
  })

  it('refuses a manifest exempt from Flux substitution that holds ${…}', () => {
    const m = webApp()
    ;(m[0].metadata as any).annotations = { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' }
    expect(rules(toAppTemplate(m, { release: 'ledger' }).findings.filter((f) => f.severity === 'error'))).toEqual(['error substitution-disabled@0:metadata'])
  })
})
