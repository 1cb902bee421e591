import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { cliIo, readTree, writeTree } from './helpers.ts'

const GOLDEN_INPUT = path.resolve(__dirname, '../golden/ks-layout--basic/input')
const APP = 'cluster-cd/apps/bitty/default/webapp'

const io = cliIo

function tempRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-cli-'))
  writeTree(dir, readTree(GOLDEN_INPUT))
  return dir
}

describe('cli migrate', () => {
  it('prints the patch on stdout and diagnostics on stderr, exit 0', async () => {
    const t = io(process.cwd())
    const code = await main(['migrate', APP, '--repo', GOLDEN_INPUT], t.io)
    expect(code).toBe(0)
    expect(t.out()).toContain('+++ b/cluster-apps/chongus/default/webapp/ks.yaml')
    expect(t.err()).toMatch(/ks.yaml:\d+:\d+: info ks-layout\/source-ref/)
    expect(t.err()).toMatch(/file\(s\) changed, 0 error\(s\)/)
  })

  it('writes the files with --write and then has nothing left to do', async () => {
    const repo = tempRepo()
    const before = readTree(repo)
    expect(await main(['migrate', APP, '--repo', repo, '--write'], io(process.cwd()).io)).toBe(0)
    const after = readTree(repo)
    expect(after['cluster-apps/chongus/default/webapp/ks.yaml']).toContain('sourceRef:')
    expect(after).not.toEqual(before)
    const again = io(process.cwd())
    expect(await main(['migrate', APP, '--repo', repo, '--check'], again.io)).toBe(0)
    expect(again.out()).toBe('')
  })

  it('accepts an app path relative to the current directory', async () => {
    const t = io(GOLDEN_INPUT)
    expect(await main(['migrate', APP], t.io)).toBe(0)
    expect(t.out()).toContain('webapp/ks.yaml')
  })

  it('gives JSON with changes, diagnostics and patch', async () => {
    const t = io(process.cwd())
    expect(await main(['migrate', APP, '--repo', GOLDEN_INPUT, '--format', 'json'], t.io)).toBe(0)
    const j = JSON.parse(t.out())
    expect(j.changes).toContainEqual({ path: 'cluster-apps/chongus/default/webapp/ks.yaml', status: 'added' })
    expect(j.diagnostics.some((d: { ruleId: string }) => d.ruleId === 'ks-layout/source-ref')).toBe(true)
    expect(j.patch).toContain('diff --git')
  })

  it('exits 1 and writes nothing when the migration has errors', async () => {
    const repo = tempRepo()
    fs.mkdirSync(path.join(repo, 'cluster-apps/chongus/default/webapp'), { recursive: true })
    fs.writeFileSync(path.join(repo, 'cluster-apps/chongus/default/webapp/ks.yaml'), 'hand: written\n')
    const before = readTree(repo)
    const t = io(process.cwd())
    expect(await main(['migrate', APP, '--repo', repo, '--write'], t.io)).toBe(1)
    expect(t.err()).toContain('error ks-layout/target-exists')
    expect(readTree(repo)).toEqual(before)
    expect(await main(['migrate', APP, '--repo', repo, '--write', '--force'], io(process.cwd()).io)).toBe(0)
    expect(readTree(repo)['cluster-apps/chongus/default/webapp/ks.yaml']).toContain('kind: Kustomization')
  })

  it.each([
    [['migrate', 'cluster-cd/apps/bitty/default/nope', '--repo', GOLDEN_INPUT], /has no ks.yaml/],
    [['migrate', 'somewhere/else', '--repo', GOLDEN_INPUT], /is not a legacy app folder/],
    [['migrate', APP, '--repo', '/nonexistent/repo'], /does not exist/],
    [['migrate', APP, '--repo', GOLDEN_INPUT, '--only', 'no-such-transform'], /unknown transform no-such-transform/],
    [['migrate', APP, '--repo', GOLDEN_INPUT, '--var', 'bad'], /expected KEY=VALUE/],
    [['migrate', APP, '--repo', GOLDEN_INPUT, '--format', 'xml'], /Allowed choices are text, json/],
    [['frobnicate'], /unknown command/],
  ])('exits 2 with a clear message for %j', async (argv, message) => {
    const t = io(process.cwd())
    expect(await main(argv, t.io)).toBe(2)
    expect(t.err()).toMatch(message)
    expect(t.err()).not.toMatch(/\n\s+at /)
  })

  it('reports a bad configuration key by name', async () => {
    const repo = tempRepo()
    fs.writeFileSync(path.join(repo, '.bitty2chongus.yaml'), 'variables:\n  SECRET_DOMAIN: 42\ngatways: {}\n')
    const t = io(process.cwd())
    expect(await main(['migrate', APP, '--repo', repo], t.io)).toBe(2)
    expect(t.err()).toContain('.bitty2chongus.yaml: gatways is not a known key')
  })

  it('prints its version', async () => {
    const t = io(process.cwd())
    expect(await main(['--version'], t.io)).toBe(0)
    expect(t.out().trim()).toBe(JSON.parse(fs.readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')).version)
  })

  describe('--doppler-template', () => {
    const SOPS_INPUT = path.resolve(__dirname, '../golden/sops-external-secret--opaque/input')

    it('writes the Doppler secrets to create as JSON with empty values, and lists them in the JSON output', async () => {
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-doppler-')), 'doppler.json')
      const t = io(process.cwd())
      expect(await main(['migrate', APP, '--repo', SOPS_INPUT, '--doppler-template', out, '--format', 'json'], t.io)).toBe(0)
      expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual({ WEBAPP: { WEBAPP_API_KEY: '', DB_PASSWORD: '' } })
      expect(JSON.parse(t.out()).doppler).toEqual([{ key: 'WEBAPP', properties: ['WEBAPP_API_KEY', 'DB_PASSWORD'] }])
      expect(JSON.parse(t.out()).patch).toMatch(/^# Create these Doppler secrets[^\n]*\n#   WEBAPP: WEBAPP_API_KEY, DB_PASSWORD\n/)
    })

    it('refuses a file inside the repository, even through a link, and writes nothing', async () => {
      const repo = tempRepo()
      const link = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-link-')), 'repo')
      fs.symlinkSync(repo, link)
      for (const target of [path.join(repo, 'doppler.json'), path.join(link, 'sub', 'doppler.json')]) {
        const t = io(process.cwd())
        expect(await main(['migrate', APP, '--repo', repo, '--doppler-template', target], t.io)).toBe(2)
        expect(t.err()).toMatch(/is inside the repository/)
        expect(fs.existsSync(target)).toBe(false)
      }
    })

    it('writes no template when the migration has errors', async () => {
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-doppler-')), 'doppler.json')
      const t = io(process.cwd())
      const input = path.resolve(__dirname, '../golden/variables--missing/input')
      expect(await main(['migrate', APP, '--repo', input, '--doppler-template', out], t.io)).toBe(1)
      expect(fs.existsSync(out)).toBe(false)
      expect(t.err()).toContain('Doppler template not written')
    })
  })
})
