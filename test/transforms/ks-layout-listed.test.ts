/** ks-layout warns when the Chongus namespace already lists the app under the name of one of its releases. */
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../src/migrate.ts'
import { readTree } from '../helpers.ts'

const BASE = readTree(path.resolve(__dirname, '../../golden/ks-layout--basic/input'))
const APP = 'cluster-cd/apps/bitty/default/webapp'
const HR = `${APP}/app/helmrelease.yaml`
const NS = 'cluster-apps/chongus/default/kustomization.yaml'

describe('ks-layout: an app listed before under another name', () => {
  it('is reported at the entry named like the app\'s HelmRelease', async () => {
    const tree = { ...BASE, [HR]: BASE[HR].replace('  name: webapp', '  name: webapp-server'), [NS]: BASE[NS].replace('  - ./zulu/ks.yaml', '  - ./webapp-server/ks.yaml\n  - ./zulu/ks.yaml') }
    const r = await migrate({ repo: tree, apps: [APP], noVerify: true })
    const hits = r.diagnostics.filter((d) => d.ruleId === 'ks-layout/listed-under-other-name')
    expect(hits).toHaveLength(1)
    expect(hits[0]).toMatchObject({ severity: 'warning', file: NS, line: 9 })
    expect(hits[0].message).toContain('HelmRelease webapp-server')
  })

  it('is not reported for other entries, nor for the app\'s own name', async () => {
    const r = await migrate({ repo: BASE, apps: [APP] })
    expect(r.diagnostics.some((d) => d.ruleId === 'ks-layout/listed-under-other-name')).toBe(false)
  })
})
