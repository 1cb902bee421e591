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

  it('is selected from the command line with --to-app-template', async () => {
    const out: string[] = []
    const code = await main(['migrate', APP, '--repo', INPUT, '--to-app-template'], { stdout: (s) => out.push(s), stderr: () => {}, cwd: process.cwd(), readFile: (p) => fs.readFileSync(p, 'utf8'), resolve: (...p) => path.resolve(...p) })
    expect(code).toBe(0)
    expect(out.join('')).toContain(`+++ b/${HR}`)
  })
})
