import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { cliIo, readTree, tempCopy } from './helpers.ts'

const FLEET = path.resolve(__dirname, 'fixtures/fleet')

describe('cli migrate --all', { timeout: 30_000 }, () => {
  it('prints one patch for the apps that succeeded, the diagnostics and a summary table; exit 1 as one failed', async () => {
    const t = cliIo(process.cwd())
    expect(await main(['migrate', '--all', '--repo', FLEET], t.io)).toBe(1)
    expect(t.out()).toContain('+++ b/cluster-apps/chongus/default/notes/ks.yaml')
    expect(t.out()).not.toMatch(/^diff --git .*\/broken\//m)
    const err = t.err()
    expect(err).toContain('error app/unresolved-path')
    expect(err).toContain(
      [
        'APP                   STATUS    FILES  ERRORS  WARNINGS',
        '────────────────────  ────────  ─────  ──────  ────────',
        'bitty/default/broken  failed        0       1         0',
        'bitty/default/notes   migrated      7       0         7',
        'bitty/default/webapp  migrated      6       0         3',
        'bitty/media/jukebox   migrated      5       0         1',
        'bitty/media/player    migrated      5       0         3',
        '5 app(s): 4 migrated, 1 failed, 0 unchanged; 19 file(s) changed',
      ].join('\n'),
    )
    // Piped stderr: no progress bar, no terminal control sequences.
    expect(err).not.toContain('\x1b')
  })

  it('draws a progress bar on a terminal, and none with --quiet', async () => {
    const tty = cliIo(process.cwd(), { stderrIsTTY: true, columns: 100 })
    await main(['migrate', '--all', '--repo', FLEET], tty.io)
    expect(tty.err()).toContain('[####################] 5/5  cluster-cd/apps/bitty/media/player')
    expect(tty.err()).toContain('\r\x1b[2K')
    const quiet = cliIo(process.cwd(), { stderrIsTTY: true })
    await main(['migrate', '--all', '--quiet', '--repo', FLEET], quiet.io)
    expect(quiet.err()).not.toContain('\x1b')
  })

  it('writes only the apps that succeeded with --write, and then has nothing left to do', async () => {
    const repo = tempCopy(FLEET)
    expect(await main(['migrate', '--all', '--repo', repo, '--write'], cliIo(process.cwd()).io)).toBe(1)
    const after = readTree(repo)
    expect(after['cluster-apps/chongus/default/notes/ks.yaml']).toContain('kind: Kustomization')
    expect(after['cluster-apps/chongus/default/broken/ks.yaml']).toBeUndefined()
    expect(after['cluster-cd/apps/bitty/default/kustomization.yaml']).toContain('  - ./broken/ks.yaml')
    const again = cliIo(process.cwd())
    expect(await main(['migrate', '--all', '--repo', repo], again.io)).toBe(1)
    expect(again.out()).toBe('')
    expect(again.err()).toContain('1 app(s): 0 migrated, 1 failed')
  })

  it('writes nothing with --atomic when an app fails', async () => {
    const repo = tempCopy(FLEET)
    const before = readTree(repo)
    const t = cliIo(process.cwd())
    expect(await main(['migrate', '--all', '--atomic', '--repo', repo, '--write'], t.io)).toBe(1)
    expect(t.out()).toBe('')
    expect(t.err()).toContain('4 held back (--atomic)')
    expect(readTree(repo)).toEqual(before)
  })

  it('takes disabled apps with --include-disabled and filters by --cluster', async () => {
    const t = cliIo(process.cwd())
    await main(['migrate', '--all', '--include-disabled', '--repo', FLEET, '--format', 'json'], t.io)
    const j = JSON.parse(t.out())
    expect(j.apps.map((a: { path: string }) => a.path.split('/').at(-1))).toEqual(['broken', 'notes', 'retired', 'webapp', 'jukebox', 'player'])
    expect(j.apps.find((a: { path: string }) => a.path.endsWith('retired'))).toMatchObject({ enabled: false, status: 'migrated', transforms: ['ks-layout'] })
    expect(j.ok).toBe(false)
    const none = cliIo(process.cwd())
    expect(await main(['migrate', '--all', '--cluster', 'chongus', '--repo', FLEET], none.io)).toBe(0)
    expect(none.err()).toContain('0 app(s)')
  })

  it.each([
    [['migrate', '--all', 'cluster-cd/apps/bitty/default/notes'], /app folders or --all, not both/],
    [['migrate'], /give the legacy app folders to migrate, or --all/],
    [['migrate', 'cluster-cd/apps/bitty/default/notes', '--include-disabled'], /--include-disabled needs --all/],
    [['migrate', 'cluster-cd/apps/bitty/default/notes', '--atomic'], /--atomic needs --all/],
    [['migrate', 'cluster-cd/apps/bitty/default/notes', '--cluster', 'bitty'], /--cluster needs --all/],
    [['migrate', '--all', '--to-namespace', 'x'], /cannot be used with --all/],
  ])('exits 2 with a clear message for %j', async (argv, message) => {
    const t = cliIo(process.cwd())
    expect(await main([...argv, '--repo', FLEET], t.io)).toBe(2)
    expect(t.err()).toMatch(message)
  })
})

describe('cli plan', { timeout: 30_000 }, () => {
  it('lists enabled and disabled apps with what a migration does and what blocks it; exit 1 while an enabled app is blocked', async () => {
    const t = cliIo(process.cwd())
    expect(await main(['plan', '--repo', FLEET], t.io)).toBe(1)
    expect(t.out()).toBe(
      [
        'APP                    ENABLED  TARGET           STATUS   FILES  WARNINGS  TRANSFORMS                               BLOCKED BY',
        '─────────────────────  ───────  ───────────────  ───────  ─────  ────────  ───────────────────────────────────────  ───────────────',
        'bitty/default/broken   yes      default/broken   blocked      0         0  -                                        unresolved path',
        'bitty/default/notes    yes      default/notes    ready        7         7  ks-layout, helm-oci, external-secret-v1  -',
        'bitty/default/retired  no       default/retired  ready        4         0  ks-layout                                -',
        'bitty/default/webapp   yes      default/webapp   ready        6         3  ks-layout, helm-oci                      -',
        'bitty/media/jukebox    yes      media/jukebox    ready        5         1  ks-layout                                -',
        'bitty/media/player     yes      media/player     ready        5         3  ks-layout                                -',
        '',
        '6 apps (5 enabled): 5 ready, 1 blocked, 0 up to date',
        '',
        'unresolved path (app/unresolved-path): 1',
        '  cluster-cd/apps/bitty/default/broken/ks.yaml:9:9: spec.path ./cluster-cd/apps/base/does-not-exist of Kustomization broken does not name a folder of the repository',
        '',
      ].join('\n'),
    )
  })

  it('exits 0 when only disabled apps are blocked, and shows migrated apps as up to date', async () => {
    const repo = tempCopy(FLEET)
    await main(['migrate', '--all', '--repo', repo, '--write'], cliIo(process.cwd()).io)
    const fs = await import('node:fs')
    const ns = path.join(repo, 'cluster-cd/apps/bitty/default/kustomization.yaml')
    fs.writeFileSync(ns, fs.readFileSync(ns, 'utf8').replace('  - ./broken/ks.yaml', '  # - ./broken/ks.yaml'))
    const t = cliIo(process.cwd())
    expect(await main(['plan', '--repo', repo], t.io)).toBe(0)
    expect(t.out()).toMatch(/bitty\/default\/notes +no +default\/notes +up to date +0/)
    expect(t.out()).toContain('6 apps (0 enabled): 1 ready, 1 blocked, 4 up to date')
  })

  it('gives Markdown and JSON', async () => {
    const md = cliIo(process.cwd())
    await main(['plan', '--repo', FLEET, '--format', 'markdown'], md.io)
    expect(md.out()).toContain('| app | enabled | target | status | files | warnings | transforms | blocked by |\n| --- | --- | --- | --- | ---: | ---: | --- | --- |\n')
    expect(md.out()).toContain('### unresolved path (`app/unresolved-path`): 1\n\n- **bitty/default/broken**: `cluster-cd/apps/bitty/default/broken/ks.yaml:9` spec.path ./cluster-cd/apps/base/does-not-exist')
    const js = cliIo(process.cwd())
    await main(['plan', '--repo', FLEET, '--format', 'json'], js.io)
    const j = JSON.parse(js.out())
    expect(j.summary).toEqual({ apps: 6, enabled: 5, ready: 5, blocked: 1, upToDate: 0, blockedEnabled: 1 })
    expect(j.blockers[0]).toMatchObject({ ruleId: 'app/unresolved-path', label: 'unresolved path' })
  })
})
