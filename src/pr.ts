/**
 * The PR bot: per app (or one branch for all), a commit on the base branch with exactly the migration's paths, then
 * optionally a push and a pull request. The migration is computed from the base commit's tree and commits are built
 * in a temporary index, so the user's checkout is never touched; local refs changed by a run that fails are put back.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { listLegacyApps } from './app.ts'
import { migrateAll, selectApps, type AppOutcome } from './batch.ts'
import type { Config } from './config.ts'
import { formatDiagnostics, type Diagnostic } from './diagnostics.ts'
import { MigrationError } from './errors.ts'
import { buildCommits, formatPatch, readCommitTree } from './git-commit.ts'
import { Git } from './git.ts'
import { openOrUpdatePullRequest, parseGitHubRemote, parseRepoSlug, type GitHubRepo } from './github.ts'
import { collisions, loadConfig } from './migrate.ts'
import { commitMessage, prBody, prTitle } from './pr-body.ts'
import { RefJournal, settleLocal, settleRemote } from './pr-branches.ts'
import { MemoryVfs } from './vfs.ts'
import { Workspace } from './workspace.ts'

/** Options of {@link runPr}, as the `pr` command resolves them. */
export interface PrOptions {
  /** Repository root (absolute); may be a folder inside a larger git work tree. */
  repoDir: string
  /** Legacy app folders relative to `repoDir`; empty with `all`. */
  apps: readonly string[]
  all?: boolean
  includeDisabled?: boolean
  clusters?: readonly string[]
  base: string
  branchPrefix: string
  singleBranch?: boolean
  push?: boolean
  remote: string
  /** `owner/repo`; default: derived from the remote's URL. */
  github?: string
  allowDirty?: boolean
  /** Write one mbox patch per app here instead of making branches. */
  formatPatchDir?: string
  /** Where to write the description(s); `{app}` is replaced when there are several. Default: stdout. */
  bodyFile?: string
  config?: unknown
  vars?: readonly string[]
  only?: readonly string[]
  skip?: readonly string[]
  env: Readonly<Record<string, string | undefined>>
  /** Progress and results, for a person (stderr). */
  log: (line: string) => void
  /** Descriptions when there is no `bodyFile` (stdout). */
  out: (text: string) => void
}

/** One branch and pull request. */
interface Unit {
  branch: string
  /** `{app}` in file names. */
  label: string
  apps: AppOutcome[]
}

/** Runs the bot; 0 when every app was handled, 1 when any could not be migrated or its branch was refused. */
export async function runPr(o: PrOptions): Promise<0 | 1> {
  if (o.all === (o.apps.length > 0)) throw new MigrationError('USAGE', 'give the legacy app folders to migrate, or --all')
  if (o.formatPatchDir && o.push) throw new MigrationError('USAGE', '--format-patch writes patches instead of branches: it cannot be used with --push')
  const git = new Git(o.repoDir)
  const top = fs.realpathSync(await git.topLevel())
  const prefix = path.relative(top, fs.realpathSync(o.repoDir)).split(path.sep).join('/')
  if (!o.allowDirty) {
    const dirty = await git.dirtyFiles()
    if (dirty.length > 0) {
      const shown = dirty.slice(0, 20).join(', ') + (dirty.length > 20 ? ` and ${dirty.length - 20} more` : '')
      throw new MigrationError('DIRTY', `the working tree has uncommitted changes: ${shown}. Branches are made from ${o.base}, not from these files: commit or stash them, or pass --allow-dirty`)
    }
  }
  const base = await git.commit(o.base)
  if (!base) throw new MigrationError('USAGE', `base ${o.base} is not a branch or commit of this repository`)
  const gh = await gitHubTarget(git, o)
  const tree = await readCommitTree(git, base, prefix)
  const vfs = new MemoryVfs(tree.files)
  const config = loadConfig(vfs, o.config, o.vars)
  const common = { repo: vfs, config, only: o.only, skip: o.skip }
  const { units, failed, unchanged } = await plan(o, common, config)
  let bad = failed.length > 0
  for (const a of unchanged) o.log(`${a}: nothing to migrate, already migrated on ${o.base}\n`)
  for (const f of failed) o.log(`${f.path}: not migrated\n${indent(formatDiagnostics(f.diagnostics.filter((d) => d.severity === 'error')))}`)
  if (units.length === 0) {
    o.log(failed.length > 0 ? 'no app could be migrated\n' : `nothing to migrate: every app is already migrated on ${o.base}\n`)
    return bad ? 1 : 0
  }
  if (o.bodyFile && units.length > 1 && !o.bodyFile.includes('{app}')) throw new MigrationError('USAGE', `${units.length} pull requests would share --body-file ${o.bodyFile}: put {app} in its name`)
  const checkedOut = await git.checkedOut()
  for (const u of units) if (checkedOut.has(`refs/heads/${u.branch}`)) throw new MigrationError('USAGE', `branch ${u.branch} is checked out: switch to another branch first, so it can be updated safely`)
  const bodies = units.map((u) => ({ unit: u, title: prTitle(u.apps), body: prBody({ apps: u.apps, config, exists: (p) => vfs.read(p) !== undefined }) }))
  const journal = new RefJournal(git)
  const pushed: string[] = []
  try {
    for (const { unit, title, body } of bodies) {
      const shas = await buildCommits(git, base, unit.apps.map((a) => ({ message: commitMessage(a), changes: a.changes })), prefix, tree.modes)
      if (o.formatPatchDir) {
        fs.mkdirSync(o.formatPatchDir, { recursive: true })
        // A chain is numbered so that `git am <dir>/*.patch` applies it in order; per-app patches each apply to the base.
        const name = (i: number) => (o.singleBranch ? `${String(i + 1).padStart(4, '0')}-` : '') + `${unit.apps[i].name}.patch`
        for (const [i, sha] of shas.entries()) fs.writeFileSync(path.join(o.formatPatchDir, name(i)), await formatPatch(git, sha))
        o.log(`${unit.branch}: wrote ${shas.length} patch(es) to ${o.formatPatchDir}\n`)
        continue
      }
      const local = await settleLocal(git, journal, unit.branch, base, shas.at(-1)!)
      if ('refused' in local) {
        o.log(`${unit.branch}: ${local.refused}\n`)
        bad = true
        continue
      }
      o.log(`${unit.branch}: branch ${local.action} at ${local.tip.slice(0, 12)} (${unit.apps.length} commit(s) on ${o.base})\n`)
      if (!o.push) continue
      const remote = await settleRemote(git, journal, o.remote, unit.branch, base, local.tip)
      if ('refused' in remote) {
        o.log(`${unit.branch}: ${remote.refused}\n`)
        bad = true
        continue
      }
      if (remote.action !== 'up to date') pushed.push(unit.branch)
      o.log(`${unit.branch}: ${remote.action === 'up to date' ? `${o.remote} is up to date` : `${remote.action} to ${o.remote}`}\n`)
      await pullRequest(o, gh, unit.branch, title, body)
    }
  } catch (e) {
    const problems = await journal.rollback()
    const after = pushed.length > 0 ? ` (already pushed to ${o.remote}: ${pushed.join(', ')}; a rerun reuses them)` : ''
    const left = problems.length > 0 ? `; could not restore: ${problems.join('; ')}` : '; local branches are as they were'
    if (e instanceof MigrationError) throw new MigrationError(e.code, `${e.message}${after}${left}`, e.cause)
    throw new MigrationError('WRITE_FAILED', `${(e as Error).message}${after}${left}`, e)
  }
  if (!o.push && !o.formatPatchDir) o.log(`branches are local: --push pushes them and opens the pull requests\n`)
  for (const { unit, body } of bodies) {
    if (o.bodyFile) fs.writeFileSync(o.bodyFile.replace(/\{app\}/g, unit.label), body)
    else o.out((bodies.length > 1 ? `<!-- ${unit.branch} -->\n` : '') + body)
  }
  return bad ? 1 : 0
}

/** The GitHub repository to open pull requests on, checked before anything is changed. */
async function gitHubTarget(git: Git, o: PrOptions): Promise<GitHubRepo | undefined> {
  const slug = o.github === undefined ? undefined : parseRepoSlug(o.github)
  if (o.github !== undefined && !slug) throw new MigrationError('USAGE', `--github ${o.github} is not owner/repo`)
  if (o.github !== undefined && !o.push) throw new MigrationError('USAGE', '--github opens pull requests for pushed branches: add --push')
  if (!o.push) return undefined
  const url = await git.remoteUrl(o.remote)
  if (url === undefined) throw new MigrationError('USAGE', `there is no remote ${o.remote} to push to (see git remote -v, or --remote)`)
  if (slug) return slug
  const r = parseGitHubRemote(url)
  if (!r && o.env.GITHUB_TOKEN) throw new MigrationError('USAGE', `GITHUB_TOKEN is set, but remote ${o.remote} (${url}) is not on github.com: pass --github owner/repo`)
  return r
}

async function pullRequest(o: PrOptions, gh: GitHubRepo | undefined, branch: string, title: string, body: string): Promise<void> {
  const base = o.base.replace(new RegExp(`^(refs/heads/|refs/remotes/${o.remote}/|${o.remote}/)`), '')
  const token = o.env.GITHUB_TOKEN
  if (!token || !gh) {
    o.log(`${branch}: GITHUB_TOKEN is not set: would open (or update) a pull request on ${gh ? `${gh.owner}/${gh.repo}` : `the repository of ${o.remote}`} from ${branch} into ${base}: "${title}"\n`)
    return
  }
  const r = await openOrUpdatePullRequest({ ...gh, token, baseUrl: o.env.GITHUB_API_URL || undefined }, { head: branch, base, title, body })
  o.log(`${branch}: pull request #${r.number} ${r.action === 'unchanged' ? 'is up to date' : r.action}: ${r.url}\n`)
}

/** Which branches to make: per app (each migrated on its own from base) or one chain of commits for all. */
async function plan(o: PrOptions, common: { repo: MemoryVfs; config: Config; only?: readonly string[]; skip?: readonly string[] }, config: Config): Promise<{ units: Unit[]; failed: { path: string; diagnostics: Diagnostic[] }[]; unchanged: string[] }> {
  const failed: { path: string; diagnostics: Diagnostic[] }[] = []
  const unchanged: string[] = []
  const list = o.all ? selectApps(listLegacyApps(new Workspace(common.repo), config), o) : [...o.apps]
  if (o.singleBranch) {
    const batch = await migrateAll({ ...common, apps: list })
    for (const a of batch.apps) if (a.status === 'failed') failed.push(a)
    for (const a of batch.apps) if (a.status === 'unchanged') unchanged.push(a.path)
    const done = batch.apps.filter((a) => a.status === 'migrated')
    const label = o.all ? 'all' : done.map((a) => a.name).join('+')
    return { units: done.length > 0 ? [{ branch: `${o.branchPrefix}${label}`, label, apps: done }] : [], failed, unchanged }
  }
  const clash = collisions(list, config)
  const units: Unit[] = []
  for (const p of list) {
    const c = clash.get(p)
    if (c) {
      failed.push({ path: p, diagnostics: [{ severity: 'error', ruleId: c.rule, message: c.message, hint: c.hint, file: c.file }] })
      continue
    }
    const a = (await migrateAll({ ...common, apps: [p] })).apps[0]
    if (a.status === 'failed') failed.push(a)
    if (a.status === 'unchanged') unchanged.push(a.path)
    if (a.status === 'migrated') units.push({ branch: `${o.branchPrefix}${a.name}`, label: a.name, apps: [a] })
  }
  const byBranch = new Map<string, Unit[]>()
  for (const u of units) byBranch.set(u.branch, [...(byBranch.get(u.branch) ?? []), u])
  for (const [branch, us] of byBranch) {
    if (us.length < 2) continue
    for (const u of us) failed.push({ path: u.apps[0].path, diagnostics: [{ severity: 'error', ruleId: 'pr/branch-collision', message: `${us.map((x) => x.apps[0].path).join(' and ')} would share branch ${branch}`, hint: 'run them separately with different --branch-prefix values, or use --single-branch' }] })
  }
  return { units: units.filter((u) => byBranch.get(u.branch)!.length === 1), failed, unchanged }
}

const indent = (s: string) => s.split('\n').map((l) => (l ? `  ${l}` : l)).join('\n')
