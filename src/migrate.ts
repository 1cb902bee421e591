/** The library entry: migrate legacy apps of a repository into a set of file changes, diagnostics and a patch. */
import { appDirOf, discoverApp, targetDirOf, type App } from './app.ts'
import { CONFIG_FILE, DEFAULT_CONFIG, parseConfig, resolveConfig, withVars, type Config } from './config.ts'
import { countBySeverity, sortDiagnostics, type Diagnostic, type Finding } from './diagnostics.ts'
import { MigrationError } from './errors.ts'
import { toPatch, type Change } from './patch.ts'
import { runPipeline, selectTransforms, type AppliedObserver } from './pipeline.ts'
import type { Transform } from './transform-api.ts'
import { MemoryVfs, SnapshotVfs, type Vfs } from './vfs.ts'
import { collate, isWithin } from './paths.ts'
import { lineColOf } from './position.ts'
import { Workspace } from './workspace.ts'
import { dopplerTemplate, type DopplerEntry } from './secrets/index.ts'
import { builtinTransforms } from '../transforms/index.ts'
import { verifyMigration } from './verify.ts'

/** Options of {@link migrate}: the repository, the apps, the configuration and the pipeline. */
export interface MigrateOptions {
  /** The repository: a `Vfs`, or an in-memory tree of repository-relative paths to file contents. */
  repo: Vfs | Record<string, string>
  /** Legacy app folders (`cluster-cd/apps/<cluster>/<namespace>/<app>`), repository-relative. */
  apps: readonly string[]
  /** Configuration: an object as in `.bitty2chongus.yaml`, or a resolved `Config`. Default: the repository's file. */
  config?: unknown
  /** `KEY=VALUE` overrides of `variables`. */
  vars?: readonly string[]
  /** Put the apps in this Chongus namespace instead of the one the configuration maps their legacy namespace to. */
  toNamespace?: string
  /** The pipeline, in order: an array or a `pipeline(builtinTransforms)...` (default: the built-in one). */
  transforms?: Iterable<Transform>
  /** Run only these transforms (ids). */
  only?: readonly string[]
  /** Skip these transforms (ids). */
  skip?: readonly string[]
  /** Overwrite an existing Chongus app folder that differs from the migration. */
  force?: boolean
  /** Delete the legacy app folder and its entry instead of commenting the entry out. */
  removeSource?: boolean
  /** Do not let findings of `check` that the migration introduced block the result (they become warnings). */
  noVerify?: boolean
  /** Rewrite raw workloads (Deployment, Service, …) as one bjw-s app-template HelmRelease (default: `appTemplate.convert` of the configuration). */
  toAppTemplate?: boolean
}

/** What {@link migrate} returns: changed files, diagnostics, the patch, and whether it is safe to write. */
export interface MigrateResult {
  /** Changed files, sorted by path. */
  changes: Change[]
  /** Sorted by file, line, column and rule id. */
  diagnostics: Diagnostic[]
  /** Unified diff of `changes`. */
  patch: string
  /** False when any error diagnostic exists: nothing should be written. */
  ok: boolean
  /** Doppler secrets to create before deploying, one per key: JSON property names only, never values. */
  doppler: { key: string; properties: string[] }[]
}

/** Loads the configuration: an explicit value wins, else `.bitty2chongus.yaml` at the repository root, else defaults. */
export function loadConfig(vfs: Vfs, explicit?: unknown, vars: readonly string[] = []): Config {
  let c: Config
  if (explicit !== undefined) c = isResolved(explicit) ? explicit : resolveConfig(explicit, 'configuration')
  else {
    const text = vfs.read(CONFIG_FILE)
    c = text === undefined ? structuredClone(DEFAULT_CONFIG) : parseConfig(text, CONFIG_FILE)
  }
  return withVars(c, vars)
}

function isResolved(v: unknown): v is Config {
  return typeof v === 'object' && v !== null && 'target' in v && 'legacy' in v && 'gateways' in v && 'dependsOn' in v && 'secretStore' in v && 'charts' in v
}

/** What running apps needs, resolved once from {@link MigrateOptions}. */
export interface RunSetup {
  vfs: Vfs
  config: Config
  transforms: Transform[]
}

/** Resolves the repository, configuration and pipeline of a run (throws `MigrationError` on bad options). */
export function setUp(options: Omit<MigrateOptions, 'apps'>): RunSetup {
  const given = 'read' in options.repo && typeof options.repo.read === 'function' ? (options.repo as Vfs) : new MemoryVfs(options.repo as Record<string, string>)
  const vfs = given instanceof SnapshotVfs ? given : new SnapshotVfs(given)
  const config = loadConfig(vfs, options.config, options.vars)
  const transforms = selectTransforms([...(options.transforms ?? builtinTransforms)], options.only, options.skip)
  return { vfs, config, transforms }
}

/** Per-app options of {@link migrateApp}. */
export interface AppRunOptions {
  toNamespace?: string
  force?: boolean
  removeSource?: boolean
  toAppTemplate?: boolean
  /** Told which files each transform changed. */
  onApplied?: AppliedObserver
  /** Collects the Doppler secrets the app needs. */
  doppler?: DopplerEntry[]
}

/** Migrates one app into the shared draft `ws` and returns its findings (problems reading the app included). */
export function migrateApp(ws: Workspace, setup: RunSetup, appPath: string, options: AppRunOptions = {}): { app: App; findings: Finding[]; ran: boolean } {
  const app = discoverApp(ws, appPath, setup.config, options.toNamespace)
  const findings: Finding[] = app.problems.map((p) => ({ ...p, rule: p.rule.includes('/') ? p.rule : `app/${p.rule}` }))
  if (app.problems.some((p) => p.severity === 'error')) return { app, findings, ran: false }
  // A journal around the whole pipeline, kept (not undone): it lists what the app's run changed, each file rendered
  // once at the end rather than after every transform.
  ws.snapshot()
  let changed: Set<string>
  try {
    findings.push(...runPipeline(setup.transforms, ws, app, setup.config, { force: !!options.force, removeSource: !!options.removeSource, toAppTemplate: options.toAppTemplate ?? setup.config.appTemplate.convert }, { onApplied: options.onApplied, doppler: options.doppler }))
    changed = new Set(ws.journaled().map((c) => c.path))
  } finally {
    ws.commit()
  }
  findings.push(...undecodable(ws, changed, findings))
  findings.push(...unreadableShared(ws, app, findings))
  if (!options.force) findings.push(...conflicts(ws, app.targetDir))
  return { app, findings, ran: true }
}

/**
 * Shared files (outside the app's folders) the run tried to read as YAML and could not: what the transforms needed
 * from them (a chart source, a component, variables) is missing, so each is named once at its first error, as a
 * warning; the transforms report what they then could not do. The app's own files are checked by `discoverApp`.
 */
function unreadableShared(ws: Workspace, app: App, reported: readonly Finding[]): Finding[] {
  // A file a transform already named (at its error, e.g. helm-oci's repository files) is not named twice.
  const named = new Set(reported.map((f) => f.file))
  const out: Finding[] = []
  for (const f of ws.recent()) {
    if (!f.isParsed || named.has(f.origin) || isWithin(f.origin, app.legacyDir) || isWithin(f.path, app.targetDir)) continue
    const bad = f.yaml?.problems.find((p) => p.severity === 'error')
    if (!bad) continue
    named.add(f.origin)
    out.push({ rule: `yaml/${bad.code}`, severity: 'warning', message: `${f.origin} could not be read (${bad.message}): what the migration needed from it is missing`, hint: 'fix the file; the findings of the transforms say what they could not do without it', file: f.origin, span: bad.span })
  }
  return out
}

/**
 * Files the run writes from a source that was not valid UTF-8: it was read with U+FFFD in place of the bytes it could
 * not decode, so writing it would replace them. Each source is reported once at its first U+FFFD (unless an error
 * already names it, e.g. `yaml/BAD_CHARACTER`).
 */
function undecodable(ws: Workspace, changed: ReadonlySet<string>, reported: readonly Finding[]): Finding[] {
  const out: Finding[] = []
  const named = new Set(reported.filter((f) => f.severity === 'error').map((f) => f.file))
  for (const p of changed) {
    const f = ws.file(p)
    if (!f || named.has(f.origin)) continue
    const source = (f.origin === f.path ? f.before : ws.vfs.read(f.origin))?.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n')
    const at = source?.indexOf('\uFFFD') ?? -1
    if (at < 0 || !f.after?.includes('\uFFFD')) continue
    named.add(f.origin)
    out.push({
      rule: 'app/invalid-utf8',
      severity: 'error',
      message: `${f.origin} is not valid UTF-8 (or holds a U+FFFD replacement character): writing ${f.path} would replace the bytes that could not be read`,
      hint: 'convert the file to UTF-8 (e.g. iconv -t UTF-8), then migrate again',
      file: f.origin,
      span: [at, at + 1],
    })
  }
  return out
}

/**
 * Migrates legacy app folders of a repository, in memory: runs the pipeline over each app, then checks the migrated apps (see `src/verify.ts`): problems the migration
 * introduced are errors, problems the legacy app already had are follow-ups. Any error diagnostic means nothing
 * should be written (`ok` false).
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const setup = setUp(options)
  if (options.apps.length === 0) throw new MigrationError('USAGE', 'no app given')
  return checkDraft(setup, draftApps(setup, options), options)
}

/** A run's draft once every app went through the pipeline, before the check. */
export interface Draft {
  ws: Workspace
  findings: Finding[]
  /** Apps whose pipeline ran (the check looks at these). */
  migrated: App[]
  doppler: DopplerEntry[]
}

/** The first half of {@link migrate}: every app through the pipeline, into one draft. */
export function draftApps(setup: RunSetup, options: Omit<MigrateOptions, 'repo'>): Draft {
  const ws = new Workspace(setup.vfs)
  const draft: Draft = { ws, findings: [], migrated: [], doppler: [] }
  const apps = [...new Set(options.apps.map((a) => appDirOf(a) ?? a))]
  const collided = collisions(apps, setup.config, options.toNamespace)
  for (const appPath of apps) {
    const clash = collided.get(appPath)
    if (clash) {
      draft.findings.push(clash)
      continue
    }
    const run = migrateApp(ws, setup, appPath, { ...options, doppler: draft.doppler })
    draft.findings.push(...run.findings)
    if (run.ran) draft.migrated.push(run.app)
    // The check after the loop shares every parse that is one of a file's current text; the rest it parses again
    // (its positions are in the new text).
    settleApp(ws, setup.config, appPath, options.toNamespace, { keepUnchanged: true })
  }
  return draft
}

/** The second half of {@link migrate}: the check of the draft, and the result. */
export async function checkDraft(setup: RunSetup, draft: Draft, options: Pick<MigrateOptions, 'noVerify'>): Promise<MigrateResult> {
  const verified = await verifyMigration(draft.ws, setup.config, draft.migrated, !!options.noVerify)
  const result = finish(draft.ws, draft.findings, verified.diagnostics, draft.doppler)
  if (options.noVerify && result.patch !== '') result.patch = `# bitty2chongus migrate --no-verify: ${verified.unverified} error(s) found by check in the migrated app(s) did not block this patch\n${result.patch}`
  return result
}

/**
 * Once an app is migrated, later apps only edit the shared files (namespace kustomizations): the app's own files
 * keep their text and drop their parse, so a run's memory does not grow with every app it has done.
 */
export function settleApp(ws: Workspace, config: Config, appPath: string, toNamespace?: string, options: { keepUnchanged?: boolean } = {}): void {
  const target = targetDirOf(appPath, config, toNamespace)
  ws.settle((p) => !isWithin(p, appPath) && !(target !== undefined && isWithin(p, target)), options)
}

/**
 * Apps that would land in the same Chongus folder (e.g. one app name in two legacy clusters): each gets an error, as
 * the later one would silently overwrite the earlier.
 */
export function collisions(apps: readonly string[], config: Config, toNamespace?: string): Map<string, Finding> {
  const byTarget = new Map<string, string[]>()
  for (const a of apps) {
    const t = targetDirOf(a, config, toNamespace)
    if (t !== undefined) byTarget.set(t, [...(byTarget.get(t) ?? []), a])
  }
  const out = new Map<string, Finding>()
  for (const [target, group] of byTarget) {
    if (group.length < 2) continue
    for (const a of group) {
      out.set(a, {
        rule: 'app/target-collision',
        severity: 'error',
        message: `${group.length === 2 ? 'both ' : ''}${group.join(' and ')} would migrate to ${target}`,
        hint: 'migrate them one at a time, one of them with --to-namespace, or leave one out',
        file: `${a}/ks.yaml`,
      })
    }
  }
  return out
}

/** Files of an existing Chongus app folder that the migration would change: the user's work is never overwritten silently. */
function conflicts(ws: Workspace, targetDir: string): Finding[] {
  // Only files the app's run read or wrote can differ (an earlier app never targets the same folder).
  const differing = ws
    .recent()
    .filter((f) => f.before !== undefined && isWithin(f.path, targetDir) && f.status !== 'unchanged')
    .map((f) => f.path)
  if (differing.length === 0) return []
  return [
    {
      rule: 'ks-layout/target-exists',
      severity: 'error',
      message: `${targetDir} already exists and differs from the migration in ${differing.join(', ')}`,
      hint: 'review the existing folder; rerun with --force to overwrite it',
      file: differing[0],
    },
  ]
}

/** Turns the draft and findings into the result (line/column computed from the input files). */
export function finish(ws: Workspace, findings: readonly Finding[], extra: readonly Diagnostic[] = [], doppler: readonly DopplerEntry[] = []): MigrateResult {
  const changes: Change[] = []
  for (const f of ws.loaded()) {
    const status = f.status
    if (status === 'unchanged') continue
    const c: Change = { path: f.path, status, before: f.before, after: f.after }
    // A SOPS file carried unchanged is patched as a git copy, so its ciphertext never shows in the diff.
    if (status === 'added' && f.origin !== f.path && f.after !== undefined && SOPS_CIPHERTEXT.test(f.after) && ws.vfs.read(f.origin) === f.after) c.copyFrom = f.origin
    changes.push(c)
  }
  changes.sort((a, b) => collate(a.path, b.path))
  const diagnostics = toDiagnostics(ws, findings, extra)
  const needs = Object.entries(dopplerTemplate(doppler)).map(([key, props]) => ({ key, properties: Object.keys(props) }))
  const patch = toPatch(changes)
  return { changes, diagnostics, patch: patch && needs.length > 0 ? dopplerHeader(needs) + patch : patch, ok: countBySeverity(diagnostics).error === 0, doppler: needs }
}

const SOPS_CIPHERTEXT = /ENC\[AES256_GCM,/

/** Findings as sorted, de-duplicated diagnostics, positioned in the input files. */
export function toDiagnostics(ws: Workspace, findings: readonly Finding[], extra: readonly Diagnostic[] = []): Diagnostic[] {
  return sortDiagnostics(dedupe([...findings.map((f) => toDiagnostic(ws, f)), ...extra]))
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>()
  return ds.filter((d) => {
    const k = `${d.file}|${d.line}|${d.col}|${d.ruleId}|${d.message}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

function toDiagnostic(ws: Workspace, f: Finding): Diagnostic {
  const d: Diagnostic = { severity: f.severity, ruleId: f.rule, message: f.message }
  if (f.file) d.file = f.file
  if (f.hint) d.hint = f.hint
  if (f.loss) d.loss = true
  if (f.path && f.path.length) d.path = f.path
  if (f.resource) d.resource = f.resource
  if (f.file && f.span) {
    const text = ws.vfs.read(f.file)
    if (text !== undefined) Object.assign(d, lineColOf(text, f.span[0]))
  }
  return d
}

/** 1-based line and column of an offset into the LF-normalised, BOM-less text the parser saw. */
export const lineCol = lineColOf
function dopplerHeader(needs: readonly { key: string; properties: readonly string[] }[]): string {
  const lines = needs.map((n) => `#   ${n.key}: ${n.properties.length > 0 ? n.properties.join(', ') : '(no properties)'}\n`)
  return `# Create these Doppler secrets (JSON objects with these properties) before deploying:\n${lines.join('')}\n`
}
