/** Runs transforms in registry order over one app, each on a draft that is rolled back if it throws. */
import type { App } from './app.ts'
import type { Config } from './config.ts'
import type { Finding } from './diagnostics.ts'
import { MigrationError } from './errors.ts'
import { toFinding, type RunOptions, type Transform, type TransformContext } from './transform-api.ts'
import type { Workspace } from './workspace.ts'
import type { DopplerEntry } from './secrets/index.ts'

/** Selects transforms by id and checks that every `after` constraint names a known, earlier transform. */
export function selectTransforms(all: readonly Transform[], only?: readonly string[], skip?: readonly string[]): Transform[] {
  const ids = new Set(all.map((t) => t.id))
  for (const id of [...(only ?? []), ...(skip ?? [])]) {
    if (!ids.has(id)) throw new MigrationError('UNKNOWN_TRANSFORM', `unknown transform ${id} (known: ${[...ids].join(', ')})`)
  }
  all.forEach((t, i) => {
    for (const a of t.after ?? []) {
      const j = all.findIndex((x) => x.id === a)
      if (j < 0) throw new MigrationError('ORDER', `transform ${t.id} runs after ${a}, which is not in the pipeline`)
      if (j > i) throw new MigrationError('ORDER', `transform ${t.id} must come after ${a} in the pipeline`)
    }
  })
  if (new Set(all.map((t) => t.id)).size !== all.length) throw new MigrationError('ORDER', 'two transforms share an id')
  return all.filter((t) => (only && only.length > 0 ? only.includes(t.id) : true) && !(skip ?? []).includes(t.id))
}

/** Called after each transform that ran to completion, with the paths it changed (possibly none). */
export type AppliedObserver = (transformId: string, changed: readonly string[]) => void

/** What a pipeline run reports besides findings: files each transform changed, and Doppler secrets the app needs. */
export interface PipelineHooks {
  onApplied?: AppliedObserver
  /** Collects the Doppler secrets (names only) the migrated app needs. */
  doppler?: DopplerEntry[]
}

export function runPipeline(transforms: readonly Transform[], ws: Workspace, app: App, config: Config, options: RunOptions, hooks: PipelineHooks = {}): Finding[] {
  const { onApplied } = hooks
  const doppler = hooks.doppler ?? []
  const findings: Finding[] = []
  for (const t of transforms) {
    const ctx: TransformContext = {
      app,
      config,
      options,
      ws,
      files: () => ws.filesUnder(app.root),
      resources: (filter) =>
        ws.resources(ws.filesUnder(app.root)).filter((r) => (!filter?.kind || r.ref.kind === filter.kind) && (!filter?.apiVersion || r.ref.apiVersion.startsWith(filter.apiVersion))),
      report: (r) => findings.push(toFinding(r, t.id)),
      doppler,
    }
    const root = app.root
    const needs = doppler.length
    const restore = ws.snapshot()
    try {
      t.apply(ctx)
      // Listing what changed renders every edited file: done only for an observer.
      if (onApplied) onApplied(t.id, ws.journaled().map((c) => c.path))
      ws.commit()
    } catch (e) {
      restore()
      app.root = root
      doppler.length = needs
      findings.push({
        rule: `${t.id}/crashed`,
        severity: 'error',
        message: `transform failed and was undone: ${(e as Error).message}`,
        file: app.legacyDir,
        hint: 'please report this with the input that caused it',
      })
    }
  }
  return findings
}

