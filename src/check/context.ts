/** What every rule family receives: the repository, the configuration, and a scoped reporter. */
import type { Config } from '../config.ts'
import type { Finding, Severity } from '../diagnostics.ts'
import type { KeyPath, Span } from '../document.ts'
import { isWithin, relative } from '../paths.ts'
import type { Resource, Workspace } from '../workspace.ts'
import { fluxKustomizationsNamed, type KustomizationRef } from './flux-index.ts'
import type { AppModel } from './model.ts'
import { RULES, RULE_PREFIX, type RuleName } from './rules.ts'

/** A finding of `check`: a diagnostic-to-be plus the identity used to compare it with the legacy app's. */
export interface CheckFinding extends Finding {
  /** `rule|resource|subject`: equal keys mean "the same problem", wherever the files moved. */
  key: string
  /** Folder of the app the finding belongs to (empty for repository-wide findings). */
  app: string
}

/** Where a hit points: a key path of a resource, or a file and offsets. */
export type At = { resource: Resource; path?: KeyPath } | { file: string; span?: Span }

/** One rule violation as a rule family reports it (`R`: the rules the family may report). */
export interface Hit<R extends RuleName = RuleName> {
  rule: R
  message: string
  hint?: string
  /** Overrides the rule's default severity. */
  severity?: Severity
  at: At
  /** What the problem is about, stable across a migration (an image repository, a dependency name). Default: the key path. */
  subject?: string
  /**
   * The subject names the problem within the whole app, whichever resource holds it (a container image stays the
   * same problem when a migration turns a Deployment into HelmRelease values).
   */
  appWide?: boolean
}

/**
 * The repository, the configuration and the reporter every rule family works with. `R` is the rules the family may
 * report: a context for fewer rules does not type-check where one for more is expected, so each family's rule list
 * (see the engine) is exactly what it can report.
 */
export interface CheckContext<R extends RuleName = RuleName> {
  readonly ws: Workspace
  readonly config: Config
  readonly report: (app: AppModel | undefined, hit: Hit<R>) => void
  /** The Flux Kustomizations of the repository named `name`. */
  fluxKustomizationsNamed(name: string): readonly KustomizationRef[]
  /** Whether the app may route through the external gateway. */
  isExternal(app: AppModel): boolean
}

/** A context whose findings go to `sink`, keyed for the legacy comparison of `migrate`. */
export function createContext(ws: Workspace, config: Config, sink: (f: CheckFinding) => void): CheckContext {
  return {
    ws,
    config,
    report(app, hit) {
      const f: CheckFinding = {
        rule: `${RULE_PREFIX}${hit.rule}`,
        severity: hit.severity ?? RULES[hit.rule].severity,
        message: hit.message,
        key: '',
        app: app?.dir ?? '',
      }
      if (hit.hint) f.hint = hit.hint
      let identity: string
      let path: KeyPath = []
      if ('resource' in hit.at) {
        const r = hit.at.resource
        path = hit.at.path ?? []
        Object.assign(f, { file: r.file.path, span: r.doc.span(path), resource: r.ref })
        if (path.length) f.path = path
        identity = `${r.ref.kind}/${r.ref.name}`
      } else {
        f.file = hit.at.file
        if (hit.at.span) f.span = hit.at.span
        identity = app && isWithin(hit.at.file, app.dir) ? relative(app.dir, hit.at.file) : hit.at.file
      }
      f.key = `${f.rule}|${hit.appWide ? '(app)' : identity}|${hit.subject ?? path.join('.')}`
      sink(f)
    },
    fluxKustomizationsNamed(name) {
      return fluxKustomizationsNamed(ws.vfs, name)
    },
    isExternal(app) {
      const ext = config.check?.external ?? []
      return ext.includes(`${app.namespace}/${app.name}`) || ext.includes(app.name)
    },
  }
}
