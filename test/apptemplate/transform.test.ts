import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli.ts'
import { migrate } from '../../src/migrate.ts'
import { cliIo, readTree, tempCopy } from '../helpers.ts'

const INPUT = path.resolve(__dirname, '../../golden/raw-to-app-template--basic/input')
const APP = 'cluster-cd/apps/bitty/default/ledger'
const HR = 'cluster-apps/chongus/default/ledger/app/helmrelease.yaml'

describe('raw-to-app-template', async () => {
  it('only says the app could be converted when --to-app-template is not given', async () => {
    const r = await migrate({ repo: readTree(INPUT), apps: [APP] })
    expect(r.changes.map((c) => c.path)).not.toContain(HR)
    expect(r.diagnostics.filter((d) => d.ruleId.startsWith('raw-to-app-template/')).map((d) => `${d.severity} ${d.ruleId}`)).toEqual(['info raw-to-app-template/raw-workloads'])
  })

  it('keeps a different helmrelease.yaml the user already wrote, unless --force', async () => {
    const tree = { ...readTree(INPUT), [HR]: '---\nkind: HelmRelease\n' }
    const r = await migrate({ repo: tree, apps: [APP], toAppTemplate: true })
    expect(r.ok).toBe(false)
    expect(r.diagnostics.map((d) => d.ruleId)).toContain('raw-to-app-template/target-exists')
    const forced = await migrate({ repo: tree, apps: [APP], toAppTemplate: true, force: true })
    expect(forced.diagnostics.map((d) => d.ruleId)).not.toContain('raw-to-app-template/target-exists')
    expect(forced.changes.find((c) => c.path === HR)?.after).toContain('kind: OCIRepository')
  })

  it('uses appTemplate.version, with the pre-2025 OCI location for versions only pushed there', async () => {
    const tree = readTree(INPUT)
    const r = await migrate({ repo: tree, apps: [APP], toAppTemplate: true, config: { variables: { SECRET_DOMAIN: 'example.net' }, appTemplate: { version: '3.7.2' } } })
    const oci = r.changes.find((c) => c.path.endsWith('/app/ocirepository.yaml'))!.after!
    expect(oci).toContain('tag: 3.7.2')
    expect(oci).toContain('url: oci://ghcr.io/bjw-s/helm/app-template')
    expect(r.diagnostics.find((d) => d.ruleId === 'raw-to-app-template/converted')?.message).toContain('app-template 3.7.2')
  })

  it('runs without the flag when the configuration says appTemplate.convert: true; the flag false still turns it off', async () => {
    const config = { variables: { SECRET_DOMAIN: 'example.net', LOCAL_TZ: 'Europe/Paris' }, appTemplate: { convert: true } }
    const on = await migrate({ repo: readTree(INPUT), apps: [APP], config })
    expect(on.ok).toBe(true)
    expect(on.changes.map((c) => c.path)).toContain(HR)
    const off = await migrate({ repo: readTree(INPUT), apps: [APP], config, toAppTemplate: false })
    expect(off.changes.map((c) => c.path)).not.toContain(HR)
    expect(off.diagnostics.find((d) => d.ruleId === 'raw-to-app-template/raw-workloads')?.message).toContain('appTemplate.convert: true')
  })

  it('reads appTemplate.convert from the configuration file; --no-to-app-template overrides it', async () => {
    const dir = tempCopy(INPUT)
    try {
      fs.appendFileSync(path.join(dir, '.bitty2chongus.yaml'), 'appTemplate:\n  convert: true\n')
      const on = cliIo(process.cwd())
      expect(await main(['migrate', APP, '--repo', dir], on.io)).toBe(0)
      expect(on.out()).toContain(`+++ b/${HR}`)
      const off = cliIo(process.cwd())
      expect(await main(['migrate', APP, '--repo', dir, '--no-to-app-template'], off.io)).toBe(0)
      expect(off.out()).not.toContain(HR)
      expect(off.out()).toContain('+++ b/cluster-apps/chongus/default/ledger/app/deployment.yaml')
      const file = path.join(dir, '.bitty2chongus.yaml')
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('convert: true', 'convert: maybe'))
      const bad = cliIo(process.cwd())
      expect(await main(['migrate', APP, '--repo', dir], bad.io)).toBe(2)
      expect(bad.err()).toContain('.bitty2chongus.yaml: appTemplate.convert must be true or false, not "maybe"')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reports (never edits) other apps that reach a renamed Service, at their file:line:col', async () => {
    const tree = readTree(path.resolve(__dirname, '../../golden/raw-to-app-template--host-network/input'))
    // Another namespace reaches it by its qualified name; an app of the same namespace by a bare URL.
    const player = 'cluster-cd/apps/bitty/default/player/app/deployment.yaml'
    tree[player] = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: player\nspec:\n  template:\n    spec:\n      containers:\n        - name: player\n          env:\n            - name: RADIO_URL\n              value: http://radio-ui.home.svc.cluster.local:8080/api\n            - name: PUBLIC\n              value: https://radio-ui.home.example.com\n'
    const tuner = 'cluster-apps/chongus/home/tuner/app/values.yaml'
    tree[tuner] = 'upstream: http://radio-ui:8080\nlabel: radio-ui\nother: radio-ui.home\n'
    // A shared file the app itself builds is the app's, not another app's.
    const shared = 'cluster-cd/apps/base/radio-extra/configmap.yaml'
    tree[shared] = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: radio-extra\ndata:\n  URL: http://radio-ui.home.svc:8080\n'
    tree['cluster-cd/apps/base/radio-extra/kustomization.yaml'] = 'resources:\n  - configmap.yaml\n'
    const k = 'cluster-cd/apps/bitty/home/radio/app/kustomization.yaml'
    tree[k] = tree[k].replace('resources:\n', 'resources:\n  - ../../../../base/radio-extra\n')
    const r = await migrate({ repo: tree, apps: ['cluster-cd/apps/bitty/home/radio'], toAppTemplate: true })
    expect(r.ok).toBe(true)
    // …so it is reported as the app's own kept manifest, not as another app.
    expect(r.diagnostics.filter((d) => d.file === shared).map((d) => `${d.ruleId}@${d.line}`)).toEqual(['raw-to-app-template/service-reference@6'])
    const found = r.diagnostics.filter((d) => d.ruleId === 'raw-to-app-template/service-reference-outside').map((d) => `${d.file}:${d.line}:${d.col} ${d.severity} ${d.message}`)
    expect(found).toEqual([
      `${tuner}:1:18 warning another app reaches Service radio-ui of radio as \`radio-ui\`, but app-template names it radio: this reference is not updated`,
      `${tuner}:3:8 warning another app reaches Service radio-ui of radio as \`radio-ui.home\`, but app-template names it radio: this reference is not updated`,
      `${player}:12:29 warning another app reaches Service radio-ui of radio as \`radio-ui.home.svc.cluster.local\`, but app-template names it radio: this reference is not updated`,
    ])
    expect(r.changes.map((c) => c.path)).not.toContain(player)
    expect(r.changes.map((c) => c.path)).not.toContain(tuner)
  })

  it('is selected from the command line with --to-app-template', async () => {
    const out: string[] = []
    const code = await main(['migrate', APP, '--repo', INPUT, '--to-app-template'], { stdout: (s) => out.push(s), stderr: () => {}, cwd: process.cwd(), readFile: (p) => fs.readFileSync(p, 'utf8'), resolve: (...p) => path.resolve(...p) })
    expect(code).toBe(0)
    expect(out.join('')).toContain(`+++ b/${HR}`)
  })
})
