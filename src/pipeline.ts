/** Runs transforms in registry order over one app; a transform that throws is undone and reported as crashed. */
import type { App } from './app.ts'
import type { Config } from './config.ts'
import type { Finding } from './diagnostics.ts'
import { MigrationError } from './errors.ts'
import { toFinding, type RunOptions, type Transform, type TransformContext } from './transform-api.ts'
import type { Resource, Workspace } from './workspace.ts'
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

/**
 * Runs `transforms` over `app` in order. A transform that throws is undone (its findings with it) and reported as
 * crashed; the others keep their work. With an observer, each transform runs in a journal of its own, which lists
 * what it changed and undoes it if it throws. Without one, the whole run shares one journal: a transform that throws
 * undoes the run, which starts again without it (a journal per transform would have to keep, in case it throws, a
 * copy or a print of every file an earlier transform edited).
 */
export function runPipeline(transforms: readonly Transform[], ws: Workspace, app: App, config: Config, options: RunOptions, hooks: PipelineHooks = {}): Finding[] {
  const doppler = hooks.doppler ?? []
  const start = { root: app.root, needs: doppler.length }
  const crashed = new Map<string, Finding>()
  const resources = appResources(ws, app)
  for (;;) {
    const findings: Finding[] = []
    const restoreRun = hooks.onApplied ? undefined : ws.snapshot()
    let failed = false
    for (const t of transforms) {
      const crash = crashed.get(t.id)
      if (crash) {
        findings.push(crash)
        continue
      }
      const before = { root: app.root, needs: doppler.length, reported: findings.length }
      const restoreOne = restoreRun ? undefined : ws.snapshot()
      try {
        t.apply(contextFor(t, ws, app, config, options, doppler, findings, resources))
        if (restoreOne) {
          hooks.onApplied!(t.id, ws.journaled().map((c) => c.path))
          ws.commit()
        }
      } catch (e) {
        const finding: Finding = {
          rule: `${t.id}/crashed`,
          severity: 'error',
          message: `transform failed and was undone: ${(e as Error).message}`,
          file: app.legacyDir,
          hint: 'please report this with the input that caused it',
        }
        crashed.set(t.id, finding)
        if (!restoreOne) {
          failed = true
          break
        }
        restoreOne()
        app.root = before.root
        doppler.length = before.needs
        // What it reported described work that is undone.
        findings.length = before.reported
        findings.push(finding)
      }
    }
    if (!restoreRun) return findings
    if (!failed) {
      ws.commit()
      return findings
    }
    restoreRun()
    app.root = start.root
    doppler.length = start.needs
  }
}

/**
 * The resources of the app's folder, read again only when the draft or the folder changed since the last time (the
 * transforms ask for them often, mostly with nothing changed in between).
 */
function appResources(ws: Workspace, app: App): () => Resource[] {
  let last: { generation: number; root: string; resources: Resource[] } | undefined
  return () => {
    if (last?.generation !== ws.generation || last.root !== app.root) last = { generation: ws.generation, root: app.root, resources: ws.resources(ws.filesUnder(app.root)) }
    return last.resources
  }
}

function contextFor(t: Transform, ws: Workspace, app: App, config: Config, options: RunOptions, doppler: DopplerEntry[], findings: Finding[], resources: () => Resource[]): TransformContext {
  return {
    app,
    config,
    options,
    ws,
    files: () => ws.filesUnder(app.root),
    resources: (filter) => resources().filter((r) => (!filter?.kind || r.ref.kind === filter.kind) && (!filter?.apiVersion || r.ref.apiVersion.startsWith(filter.apiVersion))),
    report: (r) => findings.push(toFinding(r, t.id)),
    doppler,
  }
}
