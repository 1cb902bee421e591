/**
 * Whole-repository runs: every legacy app (or a list) migrated one after the other in one shared draft, so the
 * namespace kustomizations that apps share are edited once and in order. An app that fails is undone before the
 * next starts: the combined result holds exactly the apps that succeeded and is consistent by construction.
 */
import { appDirOf, listLegacyApps, targetDirOf } from './app.ts'
import { countBySeverity, type Diagnostic, type Finding } from './diagnostics.ts'
import { collisions, finish, migrateApp, settleApp, setUp, toDiagnostics, type MigrateOptions } from './migrate.ts'
import { verifyMigration } from './verify.ts'
import type { Change } from './patch.ts'
import { isWithin } from './paths.ts'
import { Workspace } from './workspace.ts'

/** Options of {@link migrateAll}: those of `migrate` (but one target namespace makes no sense for many apps), and which apps. */
export interface BatchOptions extends Omit<MigrateOptions, 'apps' | 'toNamespace'> {
  /** Legacy app folders; default: every app of the legacy tree. */
  apps?: readonly string[]
  /** With the default app list, also the apps the legacy namespace kustomizations do not list (or comment out). */
  includeDisabled?: boolean
  /** With the default app list, only these legacy cluster folders (e.g. `bitty`). */
  clusters?: readonly string[]
  /** All or nothing: when any app fails, no change is kept (the others are `held`). */
  atomic?: boolean
  /** Called after each app. */
  onProgress?: (done: number, total: number, app: string) => void
}

/**
 * `migrated`: changes to apply; `unchanged`: nothing to do (already migrated); `failed`: error diagnostics, nothing
 * kept; `held`: would have succeeded, but `atomic` and another app failed.
 */
export type AppStatus = 'migrated' | 'unchanged' | 'failed' | 'held'

/** What happened to one app of a batch. */
export interface AppOutcome {
  /** Legacy app folder. */
  path: string
  name: string
  /** Chongus folder (undefined when the path is no app folder). */
  targetDir: string | undefined
  /** Listed, uncommented, in its legacy namespace kustomization. */
  enabled: boolean
  status: AppStatus
  diagnostics: Diagnostic[]
  /** This app's changes, relative to the draft before it (shared files include earlier apps' edits), sorted. */
  changes: Change[]
  /** Transforms that changed something, in pipeline order, with the paths each changed. */
  applied: { transform: string; description: string; files: string[] }[]
}

/** The outcome of every app and the combined result of those that succeeded. */
export interface BatchResult {
  apps: AppOutcome[]
  /** Changes of the apps that succeeded (none under `atomic` when any failed), sorted. */
  changes: Change[]
  /** Unified diff of `changes`. */
  patch: string
  /** False when any app failed. */
  ok: boolean
}

/** Migrates many apps independently into one combined result; see {@link AppStatus}. */
export async function migrateAll(options: BatchOptions): Promise<BatchResult> {
  const setup = setUp(options)
  const ws = new Workspace(setup.vfs)
  const listed = listLegacyApps(ws, setup.config)
  const enabled = new Map(listed.map((a) => [a.path, a.enabled]))
  const paths = options.apps ? [...new Set(options.apps.map((a) => appDirOf(a) ?? a))] : selectApps(listed, options)
  const clashes = collisions(paths, setup.config)
  const descriptions = new Map(setup.transforms.map((t) => [t.id, t.description]))
  const outcomes: AppOutcome[] = []
  for (const path of paths) {
    const restore = ws.snapshot()
    const applied: AppOutcome['applied'] = []
    const findings: Finding[] = []
    let verified: { diagnostics: Diagnostic[] } | undefined
    const clash = clashes.get(path)
    if (clash) findings.push(clash)
    else {
      const run = migrateApp(ws, setup, path, {
        force: options.force,
        toAppTemplate: options.toAppTemplate,
        removeSource: options.removeSource,
        onApplied: (id, files) => {
          if (files.length > 0) applied.push({ transform: id, description: descriptions.get(id) ?? '', files: [...files] })
        },
      })
      findings.push(...run.findings)
      if (run.ran) verified = await verifyMigration(ws, setup.config, [run.app], !!options.noVerify)
    }
    let diagnostics = toDiagnostics(ws, findings, verified?.diagnostics)
    const failed = countBySeverity(diagnostics).error > 0
    // Notes of a failed app describe edits that were undone ("commented out"): only what is wrong stays.
    if (failed) diagnostics = diagnostics.filter((d) => d.severity !== 'info')
    const changes: Change[] = failed ? [] : ws.journaled().map((c) => ({ ...c, status: c.before === undefined ? ('added' as const) : c.after === undefined ? ('deleted' as const) : ('modified' as const) }))
    if (failed) restore()
    else ws.commit()
    settleApp(ws, setup.config, path)
    const target = targetDirOf(path, setup.config)
    outcomes.push({
      path,
      name: path.split('/').at(-1)!,
      targetDir: target,
      enabled: enabled.get(path) ?? false,
      status: failed ? 'failed' : changes.length > 0 ? 'migrated' : 'unchanged',
      diagnostics,
      changes,
      applied: failed ? [] : applied,
    })
    options.onProgress?.(outcomes.length, paths.length, path)
  }
  const ok = outcomes.every((o) => o.status !== 'failed')
  if (options.atomic && !ok) {
    for (const o of outcomes) if (o.status === 'migrated') o.status = 'held'
    return { apps: outcomes, changes: [], patch: '', ok }
  }
  const { changes, patch } = finish(ws, [])
  return { apps: outcomes, changes, patch, ok }
}

/** The legacy apps a whole-repository run takes: enabled ones (all with `includeDisabled`), of the given clusters. */
export function selectApps(listed: readonly { path: string; enabled: boolean }[], o: Pick<BatchOptions, 'includeDisabled' | 'clusters'>): string[] {
  return listed.filter((a) => (o.includeDisabled || a.enabled) && (!o.clusters?.length || o.clusters.includes(a.path.split('/').at(-3)!))).map((a) => a.path)
}
