/** `check`: the Chongus conformance linter and schema validator, as a library function. */
import type { Diagnostic } from '../diagnostics.ts'
import { countBySeverity } from '../diagnostics.ts'
import { MigrationError } from '../errors.ts'
import { loadConfig } from '../migrate.ts'
import { isWithin, normalize } from '../paths.ts'
import { MemoryVfs, type Vfs } from '../vfs.ts'
import { Workspace } from '../workspace.ts'
import type { Builder } from './build.ts'
import { runChecks, toDiagnostics, validateDisables } from './engine.ts'
import { chongusApp, findApps } from './model.ts'

/** What to check and how. */
export interface CheckOptions {
  /** The repository: a `Vfs`, or an in-memory tree of repository-relative paths to file contents. */
  repo: Vfs | Record<string, string>
  /** Repository-relative folders or files to check (default: the whole Chongus apps folder). */
  paths?: readonly string[]
  /** Configuration, as in `.bitty2chongus.yaml` (default: the repository's file). */
  config?: unknown
  /** Validate against the Flux, Gateway API, external-secrets and core schemas (default true). */
  schemas?: boolean
  /** Build each Kustomization for real (e.g. `kubectlBuilder()`); default: no build. */
  builder?: Builder
}

/** The outcome of {@link check}. */
export interface CheckResult {
  /** App folders checked. */
  apps: string[]
  diagnostics: Diagnostic[]
  /** False when any error diagnostic exists. */
  ok: boolean
}

/**
 * Checks Chongus apps against the conventions: layout, Flux Kustomizations, sources, routing, secrets, workloads
 * and schemas; with a `builder`, also builds each Kustomization as Flux would and validates what it renders.
 */
export async function check(options: CheckOptions): Promise<CheckResult> {
  const vfs = 'read' in options.repo && typeof options.repo.read === 'function' ? (options.repo as Vfs) : new MemoryVfs(options.repo as Record<string, string>)
  const config = loadConfig(vfs, options.config)
  validateDisables(config)
  const ws = new Workspace(vfs)
  const paths = (options.paths && options.paths.length > 0 ? options.paths : [config.target.appsDir]).map((p) => {
    const n = normalize(p.replace(/\\/g, '/'))
    if (n === undefined) throw new MigrationError('USAGE', `${p} leaves the repository root`)
    if (!ws.exists(n) && !ws.isDir(n)) throw new MigrationError('USAGE', `${p} does not exist in the repository`)
    return n
  })
  const apps = findApps(ws, config, paths).map((a) => chongusApp(ws, a.dir, a.namespace))
  const root = config.target.appsDir
  // Entries of other apps in a namespace kustomization are only this run's business when it checks the whole namespace.
  const whole = (ns: string) => paths.some((p) => p === root || p === `${root}/${ns}` || isWithin(root, p))
  const findings = await runChecks(ws, config, apps, { schemas: options.schemas !== false, builder: options.builder, namespaceEntries: whole })
  const diagnostics = toDiagnostics(ws, config, findings)
  return { apps: apps.map((a) => a.dir), diagnostics, ok: countBySeverity(diagnostics).error === 0 }
}

export { RULES, type RuleMeta, type RuleName } from './rules.ts'
export type { Builder, BuildRequest, BuildOutcome } from './build.ts'
