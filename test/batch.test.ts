import { execFileSync } from 'node:child_process'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrateAll } from '../src/batch.ts'
import { migrate } from '../src/migrate.ts'
import { applyChanges, gitRepo, readTree } from './helpers.ts'

export const FLEET = path.resolve(__dirname, 'fixtures/fleet')
const tree = readTree(FLEET)
const L = 'cluster-cd/apps/bitty'
const status = (r: Awaited<ReturnType<typeof migrateAll>>) => Object.fromEntries(r.apps.map((a) => [a.path.slice(L.length + 1), a.status]))

describe('migrateAll', { timeout: 30_000 }, () => {
  it('migrates every enabled app on its own: the failing one does not stop the others', async () => {
    const r = await migrateAll({ repo: tree })
    expect(status(r)).toEqual({ 'default/broken': 'failed', 'default/notes': 'migrated', 'default/webapp': 'migrated', 'media/jukebox': 'migrated', 'media/player': 'migrated' })
    expect(r.ok).toBe(false)
    const broken = r.apps.find((a) => a.name === 'broken')!
    expect(broken.diagnostics.map((d) => d.ruleId)).toEqual(['app/unresolved-path'])
    expect(broken.changes).toEqual([])
    // Nothing of the failed app survives in the combined result: its legacy entry stays enabled.
    expect(r.changes.some((c) => c.path.includes('/broken/'))).toBe(false)
    const legacyNs = applyChanges(tree, r.changes)[`${L}/default/kustomization.yaml`]
    expect(legacyNs).toContain('  - ./broken/ks.yaml')
    expect(legacyNs).toContain('# - ./webapp/ks.yaml')
  })

  it('includes the apps the legacy namespace kustomization comments out with includeDisabled', async () => {
    expect(status(await migrateAll({ repo: tree }))['default/retired']).toBeUndefined()
    const r = await migrateAll({ repo: tree, includeDisabled: true })
    expect(status(r)['default/retired']).toBe('migrated')
    expect(r.apps.find((a) => a.name === 'retired')!.enabled).toBe(false)
    expect((await migrateAll({ repo: tree, clusters: ['nope'] })).apps).toEqual([])
  })

  it('takes every app of a namespace whose kustomization does not parse, and fails each at the file\'s error', async () => {
    const ns = `${L}/media/kustomization.yaml`
    // player is commented out: unparsed, the file cannot say so, and a skipped app would go unseen.
    const r = await migrateAll({ repo: { ...tree, [ns]: `${tree[ns].replace('  - ./player/ks.yaml', '  # - ./player/ks.yaml')} bad: [\n` } })
    const media = r.apps.filter((a) => a.path.startsWith(`${L}/media/`))
    expect(media.map((a) => [a.name, a.status, a.enabled])).toEqual([
      ['jukebox', 'failed', true],
      ['player', 'failed', true],
    ])
    for (const a of media) expect(a.diagnostics.some((d) => d.file === ns && d.severity === 'error' && d.ruleId.startsWith('yaml/') && d.line !== undefined)).toBe(true)
    expect(status(r)['default/notes']).toBe('migrated')
  })

  it('updates a shared namespace kustomization once, with the entries in order', async () => {
    const out = applyChanges(tree, (await migrateAll({ repo: tree })).changes)
    expect(out['cluster-apps/chongus/default/kustomization.yaml']).toBe(
      '---\n# yaml-language-server: $schema=https://json.schemastore.org/kustomization\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n\nresources:\n  # games first, by habit\n  - ./atlas/ks.yaml\n  - ./notes/ks.yaml\n  - ./webapp/ks.yaml\n  - ./zulu/ks.yaml\n',
    )
  })

  it('gives a new namespace the privileged component when a later app of the run needs it', async () => {
    const out = applyChanges(tree, (await migrateAll({ repo: tree })).changes)
    const ns = out['cluster-apps/chongus/media/kustomization.yaml']
    expect(ns).toContain('  - ../../components/privileged-namespace\n')
    expect(ns).not.toContain('components/namespace\n')
    expect(ns).toContain('  - ./jukebox/ks.yaml\n  - ./player/ks.yaml\n')
  })

  it('gives the same files as one await migrate() of the apps that succeeded', async () => {
    const r = await migrateAll({ repo: tree })
    const ok = r.apps.filter((a) => a.status === 'migrated').map((a) => a.path)
    const direct = await migrate({ repo: tree, apps: ok })
    expect(direct.ok).toBe(true)
    expect(r.changes.map((c) => [c.path, c.after])).toEqual(direct.changes.map((c) => [c.path, c.after]))
    expect(r.patch).toBe(direct.patch)
  })

  it('produces one patch that git apply accepts and that gives the combined tree', async () => {
    const r = await migrateAll({ repo: tree })
    const dir = gitRepo(tree)
    execFileSync('git', ['apply', '--index', '-'], { cwd: dir, input: r.patch })
    expect(withoutGit(readTree(dir))).toEqual(applyChanges(tree, r.changes))
  })

  it('reports per app the transforms that changed something, with their files, and its own changes', async () => {
    const r = await migrateAll({ repo: tree })
    const notes = r.apps.find((a) => a.name === 'notes')!
    expect(notes.applied.map((t) => t.transform)).toEqual(['ks-layout', 'helm-oci', 'external-secret-v1'])
    expect(notes.applied[0].files).toContain('cluster-apps/chongus/default/notes/ks.yaml')
    expect(notes.changes.map((c) => `${c.status} ${c.path}`)).toEqual([
      'modified cluster-apps/chongus/default/kustomization.yaml',
      'added cluster-apps/chongus/default/notes/app/externalsecret.yaml',
      'added cluster-apps/chongus/default/notes/app/helmrelease.yaml',
      'added cluster-apps/chongus/default/notes/app/kustomization.yaml',
      'added cluster-apps/chongus/default/notes/app/ocirepository.yaml',
      'added cluster-apps/chongus/default/notes/ks.yaml',
      'modified cluster-cd/apps/bitty/default/kustomization.yaml',
    ])
    // The later app's change to the shared file starts from the earlier app's version of it.
    const webapp = r.apps.find((a) => a.name === 'webapp')!
    const shared = webapp.changes.find((c) => c.path === 'cluster-apps/chongus/default/kustomization.yaml')!
    expect(shared.before).toContain('./notes/ks.yaml')
    expect(shared.after).toContain('./webapp/ks.yaml')
  })

  it('keeps nothing with atomic when an app fails, and holds back the others', async () => {
    const r = await migrateAll({ repo: tree, atomic: true })
    expect(r.changes).toEqual([])
    expect(r.patch).toBe('')
    expect(new Set(r.apps.map((a) => a.status))).toEqual(new Set(['failed', 'held']))
    const fine = await migrateAll({ repo: tree, atomic: true, apps: [`${L}/default/notes`, `${L}/default/webapp`] })
    expect(fine.ok).toBe(true)
    expect(fine.changes.length).toBeGreaterThan(0)
  })

  it('calls onProgress once per app, in order', async () => {
    const seen: string[] = []
    await migrateAll({ repo: tree, onProgress: (done, total, app) => seen.push(`${done}/${total} ${app.split('/').at(-1)}`) })
    expect(seen).toEqual(['1/5 broken', '2/5 notes', '3/5 webapp', '4/5 jukebox', '5/5 player'])
  })

  it('refuses two apps that land in the same folder, in migrateAll and in migrate', async () => {
    const twin = { ...tree }
    for (const [p, text] of Object.entries(tree)) if (p.startsWith(`${L}/default/notes/`)) twin[p.replace('/bitty/', '/other/')] = text
    twin['cluster-cd/apps/other/default/kustomization.yaml'] = '---\nresources:\n  - ./notes/ks.yaml\n'
    const r = await migrateAll({ repo: twin })
    const notes = r.apps.filter((a) => a.name === 'notes')
    expect(notes.map((a) => a.status)).toEqual(['failed', 'failed'])
    expect(notes[0].diagnostics[0].message).toBe(
      'both cluster-cd/apps/bitty/default/notes and cluster-cd/apps/other/default/notes would migrate to cluster-apps/chongus/default/notes',
    )
    expect(status(r)['default/webapp']).toBe('migrated')
    const direct = await migrate({ repo: twin, apps: [`${L}/default/notes`, 'cluster-cd/apps/other/default/notes/ks.yaml'] })
    expect(direct.ok).toBe(false)
    expect(direct.diagnostics.filter((d) => d.ruleId === 'app/target-collision')).toHaveLength(2)
  })

  it('copes with namespace kustomizations whose entries are all commented out (an empty value)', async () => {
    const t = { ...tree }
    t['cluster-apps/chongus/default/kustomization.yaml'] = '---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  # - ./old/ks.yaml\n'
    t[`${L}/media/kustomization.yaml`] = '---\nresources:\n  # - ./jukebox/ks.yaml\n'
    const r = await migrateAll({ repo: t, includeDisabled: true, apps: undefined })
    expect(status(r)['default/notes']).toBe('migrated')
    expect(r.apps.find((a) => a.name === 'jukebox')!.enabled).toBe(false)
    expect(applyChanges(t, r.changes)['cluster-apps/chongus/default/kustomization.yaml']).toBe(
      '---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./notes/ks.yaml\n  - ./retired/ks.yaml\n  - ./webapp/ks.yaml\n  # - ./old/ks.yaml\n',
    )
  })

  it('says a migrated app is unchanged when run again on the result', async () => {
    const once = applyChanges(tree, (await migrateAll({ repo: tree })).changes)
    const again = await migrateAll({ repo: once, includeDisabled: true, apps: [`${L}/default/notes`, `${L}/media/player`] })
    expect(again.apps.map((a) => a.status)).toEqual(['unchanged', 'unchanged'])
    expect(again.changes).toEqual([])
  })
})

const withoutGit = (t: Record<string, string>) => Object.fromEntries(Object.entries(t).filter(([p]) => !p.startsWith('.git/')))
