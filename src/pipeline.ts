/** Runs transforms in registry order over one app; a transform that throws is undone and reported as crashed. */
import type { App } from './app.ts'
import type { Config } from './config.ts'
import type { Finding } from './diagnostics.ts'
import { AliasInTheWay } from './document.ts'
import { MigrationError } from './errors.ts'
import { toFinding, type RunOptions, type Transform, type TransformContext } from './transform-api.ts'
import type { Resource, WFile, Workspace } from './workspace.ts'
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
 * Runs `transforms` over `app` in order. A transform that throws, or leaves a document yaml cannot print, is undone
 * (its findings with it) and reported (see {@link failure}); the others keep their work. With an observer, each
 * transform runs in a journal of its own, which lists what it changed and undoes it if it throws. Without one, the
 * whole run shares one journal: a transform that throws undoes the run, which starts again without it (a journal
 * per transform would have to keep, in case it throws, a copy or a print of every file an earlier transform edited).
 */
export function runPipeline(transforms: readonly Transform[], ws: Workspace, app: App, config: Config, options: RunOptions, hooks: PipelineHooks = {}): Finding[] {
  const run: Run = { ws, app, config, options, doppler: hooks.doppler ?? [], onApplied: hooks.onApplied, crashed: new Map(), resources: appResources(ws, app) }
  // With an observer every transform undoes itself: one pass is enough.
  if (run.onApplied) return pass(transforms, run)!
  for (;;) {
    const undo = checkpoint(run)
    const findings = pass(transforms, run)
    if (findings && ws.unrenderable() === undefined) {
      ws.commit()
      return findings
    }
    undo()
    if (findings) {
      // A transform left a document yaml cannot print (an alias before its anchor, say): a pass with a journal per
      // transform, each listed as it ends, finds which one, undoes it and reports it. A later transform that
      // crashed reading that document gets another chance.
      run.onApplied = () => {}
      run.crashed.clear()
      return pass(transforms, run)!
    }
  }
}

/** What the passes of one pipeline run share. */
interface Run {
  ws: Workspace
  app: App
  config: Config
  options: RunOptions
  doppler: DopplerEntry[]
  onApplied: AppliedObserver | undefined
  /** The crash finding of each transform that threw: it is skipped from then on. */
  crashed: Map<string, Finding>
  resources: () => Resource[]
}

/** Opens a journal; the function returned undoes it and puts back the app's folder and Doppler entries as they are now. */
function checkpoint(run: Run): () => void {
  const restore = run.ws.snapshot()
  const root = run.app.root
  const needs = run.doppler.length
  return () => {
    restore()
    run.app.root = root
    run.doppler.length = needs
  }
}

/**
 * One pass over the transforms that have not crashed. With an observer, each runs in its own journal and a crash
 * undoes that transform alone; without one, a crash ends the pass (undefined), for the caller to undo and start again.
 */
function pass(transforms: readonly Transform[], run: Run): Finding[] | undefined {
  const findings: Finding[] = []
  for (const t of transforms) {
    const crash = run.crashed.get(t.id)
    if (crash) {
      findings.push(crash)
      continue
    }
    const reported = findings.length
    const undo = run.onApplied ? checkpoint(run) : undefined
    try {
      t.apply(contextFor(t, run, findings))
      if (undo) {
        run.onApplied!(t.id, run.ws.journaled().map((c) => c.path))
        run.ws.commit()
      }
    } catch (e) {
      const finding = failure(t, e, run)
      run.crashed.set(t.id, finding)
      if (!undo) return undefined
      undo()
      // What it reported described work that is undone.
      findings.length = reported
      findings.push(finding)
    }
  }
  return findings
}

/**
 * What a transform that threw is reported as. One that met an alias of the input where it edits (its edits would
 * write through the alias, or replace the value the anchor is on while the alias stays) met a shape it cannot edit:
 * the alias is named where it is. Anything else is a bug of the transform.
 */
function failure(t: Transform, e: unknown, run: Run): Finding {
  const message = e instanceof Error ? e.message : String(e)
  const unresolved = /^Unresolved alias \(the anchor must be set before the alias\): (.+)$/.exec(message)?.[1]
  const alias = e instanceof AliasInTheWay ? e.alias : unresolved
  let file: WFile | undefined
  if (e instanceof AliasInTheWay) file = run.ws.loaded().find((f) => f.isParsed && f.yaml?.docs.includes(e.doc))
  else if (unresolved !== undefined) file = run.ws.unrenderable()
  const source = file && (file.origin === file.path ? file.before : run.ws.vfs.read(file.origin))
  // An alias of the input (a transform that writes a bad alias of its own has a bug).
  const at = source && alias !== undefined ? source.search(new RegExp(`\\*${alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![^\\s,\\]}])`)) : -1
  if (file && alias !== undefined && at >= 0)
    return {
      rule: `${t.id}/alias-in-the-way`,
      severity: 'error',
      message:
        e instanceof AliasInTheWay
          ? `the transform would write through alias *${alias}, into the value of &${alias} that other places share; its edits were undone`
          : `the transform's edits would leave alias *${alias} without its anchor &${alias}, which is on a value it replaces or moves; they were undone`,
      hint: `write out the value *${alias} stands for in its place, then migrate again`,
      file: file.origin,
      span: [at, at + alias.length + 1],
    }
  return {
    rule: `${t.id}/crashed`,
    severity: 'error',
    message: `transform failed and was undone: ${message}`,
    file: run.app.legacyDir,
    hint: 'please report this with the input that caused it',
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

function contextFor(t: Transform, run: Run, findings: Finding[]): TransformContext {
  const { ws, app } = run
  return {
    app,
    config: run.config,
    options: run.options,
    ws,
    files: () => ws.filesUnder(app.root),
    resources: (filter) => run.resources().filter((r) => (!filter?.kind || r.ref.kind === filter.kind) && (!filter?.apiVersion || r.ref.apiVersion.startsWith(filter.apiVersion))),
    report: (r) => findings.push(toFinding(r, t.id)),
    doppler: run.doppler,
  }
}
