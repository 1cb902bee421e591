import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrateAll } from '../src/batch.ts'
import { readTree } from './helpers.ts'
import { FLEET, NOTES, WEBAPP, git, gitState, pr, repoWithRemote } from './git-fixture.ts'

const fleet = readTree(FLEET)
const branches = (dir: string) => git(dir, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/migrate/').trim().split('\n').filter(Boolean)
const subjects = (dir: string, range: string) => git(dir, 'log', '--reverse', '--format=%s', range).trim().split('\n')

describe('pr', { timeout: 60_000 }, () => {
  it('commits one app on its own branch from main with exactly the changed paths, and leaves the checkout alone', async () => {
    const { dir } = repoWithRemote()
    const before = gitState(dir)
    const r = await pr(dir, [NOTES])
    expect(r.err).toMatch(/^migrate\/notes: branch created at [0-9a-f]{12} \(1 commit\(s\) on main\)$/m)
    expect(r.code).toBe(0)
    expect({ ...gitState(dir), branches: '' }).toEqual({ ...before, branches: '' })
    expect(branches(dir)).toEqual(['migrate/notes'])
    expect(git(dir, 'rev-parse', 'migrate/notes^').trim()).toBe(before.sha)
    expect(git(dir, 'log', '-1', '--format=%B', 'migrate/notes')).toBe(
      'feat(notes): migrate notes from bitty to chongus\n\nMoves cluster-cd/apps/bitty/default/notes to cluster-apps/chongus/default/notes.\n\nTransforms applied:\n- ks-layout: Moves the app into cluster-apps/chongus/<ns>/<app> and rewrites ks.yaml to the Chongus Kustomization rules.\n- helm-oci: Moves each HelmRelease chart from a central HelmRepository to an OCIRepository of its own (spec.chartRef) and folds kustomize images: into the images.\n- external-secret-v1: Upgrades ExternalSecrets to external-secrets.io/v1 with creationPolicy Owner and no stray namespace.\n\n',
    )
    const expected = (await migrateAll({ repo: fleet, apps: [NOTES] })).apps[0].changes
    const stat = git(dir, 'show', '--stat=200', '--format=', 'migrate/notes')
    for (const c of expected) expect(stat).toContain(c.path)
    expect(stat).toContain(`${expected.length} files changed`)
    for (const c of expected) expect(git(dir, 'show', `migrate/notes:${c.path}`)).toBe(c.after)
    expect(r.out).toMatch(/^Moves `cluster-cd\/apps\/bitty\/default\/notes` to `cluster-apps\/chongus\/default\/notes`/)
    expect(r.err).toContain('branches are local: --push pushes them and opens the pull requests')
  })

  it('does nothing on a second run', async () => {
    const { dir } = repoWithRemote()
    await pr(dir, [NOTES])
    const tip = git(dir, 'rev-parse', 'migrate/notes')
    const r = await pr(dir, [NOTES])
    expect(r.code).toBe(0)
    expect(r.err).toContain('migrate/notes: branch unchanged')
    expect(git(dir, 'rev-parse', 'migrate/notes')).toBe(tip)
  })

  it('pushes with --push, then finds the remote up to date; without a token it says what it would have done', async () => {
    const { dir, remote } = repoWithRemote()
    const r = await pr(dir, [NOTES, '--push'])
    expect(r.code).toBe(0)
    expect(git(remote, 'rev-parse', 'migrate/notes')).toBe(git(dir, 'rev-parse', 'migrate/notes'))
    expect(r.err).toContain('migrate/notes: pushed to origin')
    expect(r.err).toContain('migrate/notes: GITHUB_TOKEN is not set: would open (or update) a pull request on the repository of origin from migrate/notes into main: "feat(notes): migrate notes from bitty to chongus"')
    const again = await pr(dir, [NOTES, '--push'])
    expect(again.err).toContain('migrate/notes: origin is up to date')
    expect(git(remote, 'rev-parse', 'migrate/notes')).toBe(git(dir, 'rev-parse', 'migrate/notes'))
  })

  it('reuses the branch an earlier run pushed from another clone instead of pushing a twin', async () => {
    const { dir, remote } = repoWithRemote()
    await pr(dir, [NOTES, '--push'])
    const pushed = git(remote, 'rev-parse', 'migrate/notes')
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-clone-'))
    git(other, 'clone', '-q', remote, '.')
    const r = await pr(other, [NOTES, '--push'])
    expect(r.code).toBe(0)
    expect(r.err).toContain('migrate/notes: origin is up to date')
    expect(git(remote, 'rev-parse', 'migrate/notes')).toBe(pushed)
    expect(git(other, 'rev-parse', 'migrate/notes')).toBe(pushed)
  })

  it('refuses a dirty working tree naming the files; --allow-dirty migrates from main and leaves them alone', async () => {
    const { dir } = repoWithRemote()
    const hr = path.join(dir, NOTES, 'app/helmrelease.yaml')
    fs.appendFileSync(hr, '# local experiment\n')
    fs.writeFileSync(path.join(dir, 'scratch.txt'), 'mine\n')
    const before = gitState(dir)
    const r = await pr(dir, [NOTES])
    expect(r.code).toBe(2)
    expect(r.err).toContain(`the working tree has uncommitted changes: ${NOTES}/app/helmrelease.yaml, scratch.txt.`)
    expect(gitState(dir)).toEqual(before)
    const ok = await pr(dir, [NOTES, '--allow-dirty'])
    expect(ok.code).toBe(0)
    expect(gitState(dir).status).toBe(before.status)
    expect(fs.readFileSync(hr, 'utf8')).toContain('# local experiment')
    expect(git(dir, 'show', 'migrate/notes:cluster-apps/chongus/default/notes/app/helmrelease.yaml')).not.toContain('local experiment')
  })

  it('makes one branch per migrated app with --all, each on its own, and reports the app that failed', async () => {
    const { dir } = repoWithRemote()
    const r = await pr(dir, ['--all'])
    expect(r.code).toBe(1)
    expect(r.err).toContain(`${'cluster-cd/apps/bitty/default/broken'}: not migrated\n  cluster-cd/apps/bitty/default/broken/ks.yaml:9:9: error app/unresolved-path`)
    expect(branches(dir)).toEqual(['migrate/jukebox', 'migrate/notes', 'migrate/player', 'migrate/webapp'])
    for (const b of branches(dir)) expect(git(dir, 'rev-list', '--count', `main..${b}`).trim()).toBe('1')
    // Independent: each branch lists only its own app in the shared namespace kustomization.
    const ns = git(dir, 'show', 'migrate/webapp:cluster-apps/chongus/default/kustomization.yaml')
    expect(ns).toContain('./webapp/ks.yaml')
    expect(ns).not.toContain('./notes/ks.yaml')
    expect(r.out.match(/^<!-- migrate\/\w+ -->$/gm)).toEqual(['<!-- migrate/notes -->', '<!-- migrate/webapp -->', '<!-- migrate/jukebox -->', '<!-- migrate/player -->'])
  })

  it('chains one commit per app on one branch with --single-branch, giving the tree of migrate --all', async () => {
    const { dir } = repoWithRemote()
    const r = await pr(dir, ['--all', '--single-branch'])
    expect(r.code).toBe(1)
    expect(branches(dir)).toEqual(['migrate/all'])
    expect(subjects(dir, 'main..migrate/all')).toEqual(['notes', 'webapp', 'jukebox', 'player'].map((a) => `feat(${a}): migrate ${a} from bitty to chongus`))
    for (const c of (await migrateAll({ repo: fleet })).changes) {
      if (c.after === undefined) expect(git(dir, 'ls-tree', 'migrate/all', '--', c.path)).toBe('')
      else expect(git(dir, 'show', `migrate/all:${c.path}`)).toBe(c.after)
    }
    expect(r.out).toMatch(/^Migrates 4 apps from the legacy Bitty layout/)
  })

  it('rebuilds its own branch when the base moved, and never touches a branch someone else committed to', async () => {
    const { dir } = repoWithRemote()
    await pr(dir, [NOTES])
    fs.writeFileSync(path.join(dir, 'README.md'), 'home-ops\n')
    git(dir, 'add', 'README.md')
    git(dir, 'commit', '-q', '-m', 'docs: readme')
    const moved = await pr(dir, [NOTES])
    expect(moved.err).toContain('migrate/notes: branch updated')
    expect(git(dir, 'rev-parse', 'migrate/notes^')).toBe(git(dir, 'rev-parse', 'main'))
    // A reviewer's fix-up on the branch.
    const tree = git(dir, 'rev-parse', 'migrate/notes^{tree}').trim()
    const fixup = git(dir, 'commit-tree', tree, '-p', 'migrate/notes', '-m', 'fix: raise the memory limit').trim()
    git(dir, 'update-ref', 'refs/heads/migrate/notes', fixup)
    fs.writeFileSync(path.join(dir, 'README.md'), 'home-ops, again\n')
    git(dir, 'commit', '-qam', 'docs: again')
    const refused = await pr(dir, [NOTES])
    expect(refused.code).toBe(1)
    expect(refused.err).toContain("migrate/notes: branch migrate/notes has commits that are not bitty2chongus's; they are kept")
    expect(git(dir, 'rev-parse', 'migrate/notes').trim()).toBe(fixup)
  })

  it('refuses to move the branch that is checked out', async () => {
    const { dir } = repoWithRemote()
    await pr(dir, [NOTES])
    git(dir, 'checkout', '-q', 'migrate/notes')
    const before = gitState(dir)
    const r = await pr(dir, [NOTES, '--base', 'main'])
    expect(r.code).toBe(2)
    expect(r.err).toContain('branch migrate/notes is checked out: switch to another branch first')
    expect(gitState(dir)).toEqual(before)
  })

  it('writes one git-am-able patch per app with --format-patch, each on the base, and no branch', async () => {
    const { dir, remote } = repoWithRemote()
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-patches-'))
    const r = await pr(dir, [NOTES, WEBAPP, '--format-patch', out])
    expect(r.code).toBe(0)
    expect(fs.readdirSync(out).sort()).toEqual(['notes.patch', 'webapp.patch'])
    expect(branches(dir)).toEqual([])
    const mbox = fs.readFileSync(path.join(out, 'notes.patch'), 'utf8')
    expect(mbox).toMatch(/^From [0-9a-f]{40} /)
    expect(mbox).toContain('Subject: [PATCH] feat(notes): migrate notes from bitty to chongus')
    for (const app of ['notes', 'webapp']) {
      const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-am-'))
      git(clone, 'clone', '-q', remote, '.')
      git(clone, 'am', '-q', path.join(out, `${app}.patch`))
      expect(subjects(clone, 'origin/main..HEAD')).toEqual([`feat(${app}): migrate ${app} from bitty to chongus`])
      const ks = (await migrateAll({ repo: fleet, apps: [`cluster-cd/apps/bitty/default/${app}`] })).apps[0].changes.find((c) => c.path.endsWith(`${app}/ks.yaml`))!
      expect(fs.readFileSync(path.join(clone, ks.path), 'utf8')).toBe(ks.after)
    }
  })

  it('writes a numbered series with --single-branch --format-patch that git am applies in order', async () => {
    const { dir, remote } = repoWithRemote()
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-series-'))
    expect((await pr(dir, [NOTES, WEBAPP, '--single-branch', '--format-patch', out])).code).toBe(0)
    const files = fs.readdirSync(out).sort()
    expect(files).toEqual(['0001-notes.patch', '0002-webapp.patch'])
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-am-'))
    git(clone, 'clone', '-q', remote, '.')
    git(clone, 'am', '-q', ...files.map((f) => path.join(out, f)))
    const combined = (await migrateAll({ repo: fleet, apps: [NOTES, WEBAPP] })).changes
    for (const c of combined) expect(fs.readFileSync(path.join(clone, c.path), 'utf8')).toBe(c.after)
  })

  it('puts local branches back when a push fails', async () => {
    const { dir } = repoWithRemote()
    git(dir, 'remote', 'set-url', 'origin', path.join(os.tmpdir(), 'b2c-no-such-remote'))
    const before = gitState(dir)
    const r = await pr(dir, [NOTES, '--push'])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/git ls-remote --heads origin refs\/heads\/migrate\/notes failed: .*; local branches are as they were/)
    expect(gitState(dir)).toEqual(before)
  })

  it.each([
    [[], /give the legacy app folders to migrate, or --all/],
    [[NOTES, '--all'], /give the legacy app folders to migrate, or --all/],
    [[NOTES, '--base', 'nope'], /base nope is not a branch or commit of this repository/],
    [[NOTES, '--push', '--format-patch', 'x'], /cannot be used with --push/],
    [[NOTES, '--github', 'o/r'], /--github opens pull requests for pushed branches: add --push/],
    [[NOTES, '--github', 'not a slug', '--push'], /--github not a slug is not owner\/repo/],
    [[NOTES, '--push', '--remote', 'upstream'], /there is no remote upstream/],
    [[NOTES, '--push', '--remote', 'upstream', '--github', 'o/r'], /there is no remote upstream/],
    [['--all', '--body-file', 'body.md'], /pull requests would share --body-file .*body.md: put \{app\} in its name/],
  ])('exits 2 with a clear message for %j and changes nothing', async (argv, message) => {
    const { dir } = repoWithRemote()
    const before = gitState(dir)
    const r = await pr(dir, argv)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(message)
    expect(gitState(dir)).toEqual(before)
  })

  it('writes each description to --body-file with {app}', async () => {
    const { dir } = repoWithRemote()
    const bodies = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-bodies-'))
    const r = await pr(dir, [NOTES, WEBAPP, '--body-file', path.join(bodies, '{app}.md')])
    expect(r.out).toBe('')
    expect(fs.readdirSync(bodies).sort()).toEqual(['notes.md', 'webapp.md'])
    expect(fs.readFileSync(path.join(bodies, 'webapp.md'), 'utf8')).toMatch(/^Moves `cluster-cd\/apps\/bitty\/default\/webapp`/)
  })

  it('says there is nothing to do when every app is already migrated on the base', async () => {
    const { dir } = repoWithRemote()
    await pr(dir, [NOTES])
    git(dir, 'merge', '-q', '--ff-only', 'migrate/notes')
    const r = await pr(dir, [NOTES])
    expect(r.code).toBe(0)
    expect(r.err).toBe(`${NOTES}: nothing to migrate, already migrated on main\nnothing to migrate: every app is already migrated on main\n`)
  })
})
