import { describe, expect, it } from 'vitest'
import { compareWorkloads, fmtPath, renderAppTemplate, resourceName, selectorLabels, toAppTemplate } from '../../src/apptemplate/index.ts'
import { renderEnv } from '../../src/apptemplate/render-pod.ts'
import { hostApp, sidecarApp, webApp } from './fixtures.ts'

const paths = (ds: { at: { index: number; path: readonly (string | number)[] } }[]) => ds.map((d) => `${d.at.index}:${fmtPath(d.at.path)}`)

describe('app-template naming', () => {
  it('names a lone item after the release in 3.x and 4.x', () => {
    expect(resourceName('sonarr', 'app', 1, 3)).toBe('sonarr')
    expect(resourceName('sonarr', 'app', 1, 4)).toBe('sonarr')
  })

  it('suffixes the identifier when there are several; 4.x never doubles, 3.x keeps the primary service unsuffixed', () => {
    expect(resourceName('zwave', 'ws', 2, 4)).toBe('zwave-ws')
    expect(resourceName('zwave', 'zwave', 2, 4)).toBe('zwave')
    expect(resourceName('zwave', 'zwave', 2, 3)).toBe('zwave-zwave')
    expect(resourceName('zwave', 'zwave', 2, 3, true)).toBe('zwave')
  })

  it('selects pods by component in 3.x and by controller in 4.x', () => {
    expect(selectorLabels('a', 'main', 3)).toHaveProperty('app.kubernetes.io/component', 'main')
    expect(selectorLabels('a', 'main', 4)).toHaveProperty('app.kubernetes.io/controller', 'main')
  })

  it('renders two Services of a 4.x release as <release> and <release>-<id>', () => {
    const values = {
      controllers: { a: { containers: { app: { image: { repository: 'x', tag: '1' } } } } },
      service: { a: { controller: 'a', ports: { http: { port: 80 } } }, ws: { controller: 'a', ports: { ws: { port: 3000 } } } },
    }
    expect(renderAppTemplate(values, 'a', '4.4.0').resources.filter((r) => r.kind === 'Service').map((r) => (r.manifest.metadata as any).name)).toEqual(['a', 'a-ws'])
  })
})

describe('the model', () => {
  it('orders an env map alphabetically, then by dependsOn, and quotes scalars', () => {
    expect(renderEnv({ B: 1, A: { value: '$(C)', dependsOn: 'C' }, C: 'c' })).toEqual([
      { name: 'B', value: '1' },
      { name: 'C', value: 'c' },
      { name: 'A', value: '$(C)' },
    ])
  })

  it('derives container ports from Services and defaults targetPort to the port name', () => {
    const r = toAppTemplate(hostApp(), { release: 'radio' })
    const out = renderAppTemplate(r.values!, 'radio', '4.4.0')
    const deploy = out.resources.find((x) => x.kind === 'Deployment')!.manifest as any
    expect(deploy.spec.template.spec.containers[0].ports).toEqual([{ name: 'http', containerPort: 8091, protocol: 'TCP' }, { name: 'ws', containerPort: 3000, protocol: 'TCP' }])
    const svc = out.resources.find((x) => x.kind === 'Service')!.manifest as any
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8091, protocol: 'TCP' }, { name: 'ws', port: 3000, targetPort: 'ws', protocol: 'TCP' }])
    expect(svc.spec.selector).toEqual(selectorLabels('radio', 'radio', 4))
  })

  it('lists the values keys it does not render', () => {
    const out = renderAppTemplate({ controllers: { a: { containers: { app: { image: { repository: 'x', tag: '1' }, ports: [] } }, serviceAccount: {} } }, ingress: {} }, 'a', '4.4.0')
    expect(out.unmodelled).toEqual(['ingress', 'controllers.a.serviceAccount', 'controllers.a.containers.app.ports'])
  })
})

describe('compareWorkloads', () => {
  const convert = (m = webApp()) => {
    const r = toAppTemplate(m, { release: 'ledger' })
    return { m, r, values: structuredClone(r.values!) as any }
  }
  const diff = (m: ReturnType<typeof webApp>, values: unknown, ids: Parameters<typeof compareWorkloads>[2]) => paths(compareWorkloads(m, renderAppTemplate(values as any, 'ledger', '4.4.0'), ids))

  it('finds no difference but the reported container name for a faithful conversion', () => {
    const { m, r, values } = convert()
    expect(diff(m, values, r.identities)).toEqual(['0:spec.template.spec.containers[0].name'])
  })

  it('names the field path of every difference it finds', () => {
    const { m, r, values } = convert()
    const app = values.controllers.ledger.containers.app
    app.image.tag = '2.1.1'
    app.env.TZ = 'UTC'
    app.probes.readiness = { enabled: false }
    app.securityContext.runAsUser = 0
    values.service.app.ports.http.targetPort = 8001
    values.persistence.config.globalMounts[0].path = '/data'
    values.controllers.ledger.strategy = 'RollingUpdate'
    delete values.defaultPodOptions.enableServiceLinks
    expect(diff(m, values, r.identities)).toEqual([
      '0:spec.strategy.type',
      '0:spec.template.spec.enableServiceLinks',
      '0:spec.template.spec.containers[0].ports[0]',
      '1:spec.ports[0]',
      '0:spec.template.spec.containers[0].name',
      '0:spec.template.spec.containers[0].image',
      '0:spec.template.spec.containers[0].securityContext',
      '0:spec.template.spec.containers[0].env[0]',
      '0:spec.template.spec.containers[0].readinessProbe',
      '0:spec.template.spec.containers[0].volumeMounts[0]',
      '1:spec.ports[0]',
    ])
  })

  it('catches a Service pointing at the wrong controller and an env order that changes $(VAR) expansion', () => {
    const { m, r, values } = convert(sidecarApp())
    const exporter = values.controllers.tuner.containers.exporter
    exporter.env.FULL = '$(URL)/api'
    values.controllers.other = structuredClone(values.controllers.tuner)
    values.service.app.controller = 'other'
    expect(paths(compareWorkloads(m, renderAppTemplate(values, 'tuner', '4.4.0'), r.identities))).toEqual(
      expect.arrayContaining(['0:spec.template.spec.containers[1].env[2]', '1:spec.selector']),
    )
  })
})
