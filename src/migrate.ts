/** The library entry: migrate legacy apps of a repository into a set of file changes, diagnostics and a patch. */
import { discoverApp } from './app.ts'
import { CONFIG_FILE, DEFAULT_CONFIG, parseConfig, resolveConfig, withVars, type Config } from './config.ts'
import { countBySeverity, sortDiagnostics, type Diagnostic, type Finding } from './diagnostics.ts'
import { MigrationError } from './errors.ts'
import { toPatch, type Change } from './patch.ts'
import { runPipeline, selectTransforms } from './pipeline.ts'
import type { Transform } from './transform-api.ts'
import { MemoryVfs, type Vfs } from './vfs.ts'
import { isWithin } from './paths.ts'
import { Workspace } from './workspace.ts'
import { dopplerTemplate, type DopplerEntry } from './secrets/index.ts'
import { builtinTransforms } from '../transforms/index.ts'

export interface MigrateOptions {
  /** The repository: a `Vfs`, or an in-memory tree of repository-relative paths to file contents. */
  repo: Vfs | Record<string, string>
  /** Legacy app folders (`cluster-cd/apps/<cluster>/<namespace>/<app>`), repository-relative. */
  apps: readonly string[]
  /** Configuration: an object as in `.bitty2chongus.yaml`, or a resolved `Config`. Default: the repository's file. */
  config?: unknown
  /** `KEY=VALUE` overrides of `variables`. */
  vars?: readonly string[]
  toNamespace?: string
  /** The pipeline (default: the built-in one). */
  transforms?: readonly Transform[]
  only?: readonly string[]
  skip?: readonly string[]
  force?: boolean
  removeSource?: boolean
}

export interface MigrateResult {
  /** Changed files, sorted by path. */
  changes: Change[]
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

export function migrate(options: MigrateOptions): MigrateResult {
  const vfs = 'read' in options.repo && typeof options.repo.read === 'function' ? (options.repo as Vfs) : new MemoryVfs(options.repo as Record<string, string>)
  const config = loadConfig(vfs, options.config, options.vars)
  const transforms = selectTransforms(options.transforms ?? builtinTransforms, options.only, options.skip)
  if (options.apps.length === 0) throw new MigrationError('USAGE', 'no app given')
  const ws = new Workspace(vfs)
  const findings: Finding[] = []
  const doppler: DopplerEntry[] = []
  for (const appPath of options.apps) {
    const app = discoverApp(ws, appPath, config, options.toNamespace)
    findings.push(...app.problems.map((p) => ({ ...p, rule: p.rule.includes('/') ? p.rule : `app/${p.rule}` })))
    if (app.problems.some((p) => p.severity === 'error')) continue
    findings.push(...runPipeline(transforms, ws, app, config, { force: !!options.force, removeSource: !!options.removeSource }, doppler))
    if (!options.force) findings.push(...conflicts(ws, app.targetDir))
  }
  return finish(ws, findings, doppler)
}

/** Files of an existing Chongus app folder that the migration would change: the user's work is never overwritten silently. */
function conflicts(ws: Workspace, targetDir: string): Finding[] {
  const differing = ws
    .loaded()
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
export function finish(ws: Workspace, findings: readonly Finding[], doppler: readonly DopplerEntry[] = []): MigrateResult {
  const changes: Change[] = []
  for (const f of ws.loaded()) {
    const status = f.status
    if (status === 'unchanged') continue
    const c: Change = { path: f.path, status, before: f.before, after: f.after }
    // A SOPS file carried unchanged is patched as a git copy, so its ciphertext never shows in the diff.
    if (status === 'added' && f.origin !== f.path && f.after !== undefined && SOPS_CIPHERTEXT.test(f.after) && ws.vfs.read(f.origin) === f.after) c.copyFrom = f.origin
    changes.push(c)
  }
  changes.sort((a, b) => a.path.localeCompare(b.path))
  const diagnostics = sortDiagnostics(dedupe(findings.map((f) => toDiagnostic(ws, f))))
  const needs = Object.entries(dopplerTemplate(doppler)).map(([key, props]) => ({ key, properties: Object.keys(props) }))
  const patch = toPatch(changes)
  return { changes, diagnostics, patch: patch && needs.length > 0 ? dopplerHeader(needs) + patch : patch, ok: countBySeverity(diagnostics).error === 0, doppler: needs }
}

const SOPS_CIPHERTEXT = /ENC\[AES256_GCM,/

/** Leading lines of the patch (git apply skips text before the first `diff`): what to create in Doppler first. */
function dopplerHeader(needs: readonly { key: string; properties: readonly string[] }[]): string {
  const lines = needs.map((n) => `#   ${n.key}: ${n.properties.length > 0 ? n.properties.join(', ') : '(no properties)'}\n`)
  return `# Create these Doppler secrets (JSON objects with these properties) before deploying:\n${lines.join('')}\n`
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
    if (text !== undefined) Object.assign(d, lineCol(text, f.span[0]))
  }
  return d
}

/** 1-based line and column of an offset into the LF-normalised, BOM-less text the parser saw. */
export function lineCol(raw: string, offset: number): { line: number; col: number } {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n')
  let line = 1
  let last = -1
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) (line++, (last = i))
  return { line, col: offset - last }
}
