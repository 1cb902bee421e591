import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Manifest } from '../../src/apptemplate/index.ts'
import { convertAndCheck } from './helpers.ts'

const ENV_NAMES = ['A', 'B', 'C', 'HOST', 'PORT', 'URL', 'TZ']
const envValue = fc.oneof(fc.constantFrom('x', '8080', 'true', '', 'a b'), fc.constantFrom(...ENV_NAMES).map((n) => `$(${n})/p`), fc.constantFrom('$$(A)', 'http://app:80'))
const envList = fc.uniqueArray(fc.record({ name: fc.constantFrom(...ENV_NAMES), value: envValue, secret: fc.boolean() }), { selector: (e) => e.name, maxLength: 6 }).map((l) =>
  l.map((e) => (e.secret ? { name: e.name, valueFrom: { secretKeyRef: { name: 's', key: e.name.toLowerCase() } } } : { name: e.name, value: e.value })),
)
const VOLUME_SOURCES = [
  { persistentVolumeClaim: { claimName: '${APP}' } },
  { emptyDir: {} },
  { emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
  { nfs: { server: 'nas', path: '/export' } },
  { configMap: { name: 'cm', defaultMode: 420 } },
  { secret: { secretName: 'sec' } },
]

/** A Deployment of 1–3 containers with random env, ports, mounts and probes, and a Service over some of its ports. */
const app = fc
  .record({
    containers: fc.integer({ min: 1, max: 3 }),
    volumes: fc.array(fc.constantFrom(...VOLUME_SOURCES.keys()), { maxLength: 4 }),
    envs: fc.array(envList, { minLength: 3, maxLength: 3 }),
    ports: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }),
    mounts: fc.array(fc.array(fc.record({ on: fc.boolean(), sub: fc.boolean(), ro: fc.boolean() }), { minLength: 4, maxLength: 4 }), { minLength: 3, maxLength: 3 }),
    exposed: fc.array(fc.constantFrom('name', 'number', 'absent', 'skip'), { minLength: 6, maxLength: 6 }),
    probes: fc.array(fc.constantFrom('none', 'name', 'number'), { minLength: 3, maxLength: 3 }),
    strategy: fc.constantFrom(undefined, 'Recreate', 'RollingUpdate'),
    serviceName: fc.constantFrom('app', 'app-web'),
    names: fc.uniqueArray(fc.constantFrom('app', 'alpha', 'mid', 'zeta', 'web'), { minLength: 3, maxLength: 3 }),
  })
  .map((g): Manifest[] => {
    let portNo = 8000
    let portIdx = 0
    const declared: { name: string; number: number }[] = []
    const containers = Array.from({ length: g.containers }, (_, ci) => {
      const ports = Array.from({ length: g.ports[ci] }, () => {
        const p = { name: `p${portIdx++}`, containerPort: portNo++ }
        declared.push({ name: p.name, number: p.containerPort })
        return p
      })
      const volumeMounts = g.volumes.flatMap((_, vi) => {
        const m = g.mounts[ci][vi]
        if (!m.on && !(ci === 0)) return []
        return [{ name: `v${vi}`, mountPath: `/mnt/v${vi}`, ...(m.sub ? { subPath: 'sub' } : {}), ...(m.ro ? { readOnly: true } : {}) }]
      })
      const probeKind = g.probes[ci]
      const c: Record<string, unknown> = { name: g.names[ci], image: `ghcr.io/acme/c${ci}:1.${ci}`, env: g.envs[ci] }
      if (ports.length > 0) c.ports = ports
      if (volumeMounts.length > 0) c.volumeMounts = volumeMounts
      if (probeKind !== 'none' && ports.length > 0) c.livenessProbe = { httpGet: { path: '/', port: probeKind === 'name' ? ports[0].name : ports[0].containerPort } }
      if (c.env && (c.env as unknown[]).length === 0) delete c.env
      return c
    })
    const servicePorts = declared
      .map((d, i) => ({ d, how: g.exposed[i] }))
      .filter((x) => x.how !== 'skip')
      .map(({ d, how }) => (how === 'name' ? { name: d.name, port: 80 + d.number - 8000, targetPort: d.name } : how === 'number' ? { name: d.name, port: 9000 + d.number - 8000, targetPort: d.number } : { name: d.name, port: d.number }))
    const labels = { app: 'app' }
    const deploy: Manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'app' },
      spec: {
        selector: { matchLabels: labels },
        ...(g.strategy ? { strategy: { type: g.strategy } } : {}),
        template: { metadata: { labels }, spec: { containers, ...(g.volumes.length > 0 ? { volumes: g.volumes.map((s, i) => ({ name: `v${i}`, ...VOLUME_SOURCES[s] })) } : {}) } },
      },
    }
    const out = [deploy]
    if (servicePorts.length > 0) out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: g.serviceName }, spec: { selector: labels, ports: servicePorts } })
    return out
  })

describe('conversion + model rendering', () => {
  it.each(['4.4.0', '3.7.3'])('is equivalent to the original for generated Deployments (chart %s)', (chartVersion) => {
    fc.assert(
      fc.property(app, (manifests) => {
        const c = convertAndCheck(manifests, { release: 'app', chartVersion })
        expect(c.result.findings.filter((f) => f.severity === 'error')).toEqual([])
        expect(c.unexplained).toEqual([])
        expect(c.unmodelled).toEqual([])
      }),
      { numRuns: 300 },
    )
  })
})
