/** Runs every rule family over a set of apps, then turns findings into diagnostics (positions, disables, order). */
import type { Config } from '../config.ts'
import { sortDiagnostics, type Diagnostic } from '../diagnostics.ts'
import { MigrationError } from '../errors.ts'
import { lineColOf } from '../position.ts'
import type { Workspace } from '../workspace.ts'
import { buildRules, type Builder } from './build.ts'
import { createContext, type CheckContext, type CheckFinding } from './context.ts'
import { FLUX_RULES, fluxRules } from './flux.ts'
import { LAYOUT_RULES, layoutRules, namespaceRules } from './layout.ts'
import type { AppModel } from './model.ts'
import { ROUTING_RULES, routingRules } from './routing.ts'
import { ruleName, RULE_PREFIX, type RuleName } from './rules.ts'
import { schemaRules } from './schema.ts'
import { SECRET_RULES, secretRules } from './secrets.ts'
import { SOURCE_RULES, sharedSources, sourceRules } from './sources.ts'
import { SUBSTITUTION_RULES, substitutionRules } from './substitution.ts'
import { WORKLOAD_RULES, workloadRules } from './workloads.ts'

/** A rule family run on each app, with the rules it reports (its context lets it report no other). */
interface Family {
  rules: ReadonlySet<string>
  run: (ctx: CheckContext, app: AppModel) => void
}

function family<R extends RuleName>(rules: readonly R[], run: (ctx: CheckContext<NoInfer<R>>, app: AppModel) => void): Family {
  return { rules: new Set(rules.map((r) => `${RULE_PREFIX}${r}`)), run }
}

/** The families run on each app, in order (schema validation, asynchronous and optional, comes last). */
const APP_FAMILIES: readonly Family[] = [
  family(LAYOUT_RULES, layoutRules),
  family(FLUX_RULES, fluxRules),
  family(SUBSTITUTION_RULES, substitutionRules),
  family(SOURCE_RULES, sourceRules),
  family(ROUTING_RULES, routingRules),
  family(SECRET_RULES, secretRules),
  family(WORKLOAD_RULES, workloadRules),
]

/** What a run includes beyond the static rules. */
export interface RunOptions {
  /** Validate against the CRD and core schemas (loads the model packages on first use). */
  schemas: boolean
  /** Build each Kustomization for real. */
  builder?: Builder
  /** Whether to report every entry of a namespace kustomization, not only the checked apps' (a whole namespace is checked). */
  namespaceEntries: (namespace: string) => boolean
  /**
   * Run only the app families that report one of these rules (ids `check/<name>`); the namespace and shared-source
   * rules always run. For a comparison with findings of these rules only.
   */
  only?: ReadonlySet<string>
}

/** All findings of the rules on `apps`. */
export async function runChecks(ws: Workspace, config: Config, apps: readonly AppModel[], options: RunOptions): Promise<CheckFinding[]> {
  const findings: CheckFinding[] = []
  const ctx = createContext(ws, config, (f) => findings.push(f))
  namespaceRules(ctx, apps, options.namespaceEntries)
  const only = options.only
  const families = only ? APP_FAMILIES.filter((f) => [...only].some((r) => f.rules.has(r))) : APP_FAMILIES
  for (const app of apps) {
    for (const f of families) f.run(ctx, app)
    if (options.schemas) await schemaRules(ctx, app)
  }
  sharedSources(ctx, apps)
  const builder = options.builder
  if (builder && apps.length > 0) {
    const why = await builder.unavailable()
    if (why) ctx.report(undefined, { rule: 'kubectl', message: `${why}: the real kustomize build was skipped`, hint: 'install kubectl (it has kustomize built in) to build each app as Flux would', at: { file: '' } })
    else
      for (const app of apps) {
        const known = new Set(findings.filter((f) => f.app === app.dir && f.rule === `${RULE_PREFIX}schema`).map((f) => f.message))
        await buildRules(ctx, app, builder, known)
      }
  }
  return findings
}

const DISABLE = /#\s*bitty2chongus-disable-next-line\b([^\n]*)$/

/** Rules a `# bitty2chongus-disable-next-line` comment on the line before `line` turns off; undefined: no comment. */
function disabledByComment(text: string | undefined, line: number | undefined): string[] | undefined {
  if (text === undefined || line === undefined || line < 2) return undefined
  const prev = text.replace(/\r\n/g, '\n').split('\n')[line - 2]
  const m = prev === undefined ? null : DISABLE.exec(prev)
  if (!m) return undefined
  return m[1]
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((r) => ruleName(r) ?? r)
}

/** Rejects `check.disable` entries naming no rule (a typo would silently keep a rule on). */
export function validateDisables(config: Config): void {
  for (const id of config.check?.disable ?? []) {
    const rule = id.includes(':') ? id.slice(id.indexOf(':') + 1) : id
    if (!ruleName(rule)) throw new MigrationError('CONFIG', `check.disable: ${id} names no rule of bitty2chongus check`)
  }
}

/** Diagnostics of findings: positions from the files' text, config and comment disables applied, deduplicated, sorted. */
export function toDiagnostics(ws: Workspace, config: Config, findings: readonly CheckFinding[]): Diagnostic[] {
  const global = new Set<string>()
  const perApp = new Set<string>()
  for (const id of config.check?.disable ?? []) {
    if (id.includes(':')) perApp.add(`${config.target.appsDir}/${id.slice(0, id.indexOf(':'))}|${ruleName(id.slice(id.indexOf(':') + 1))}`)
    else global.add(ruleName(id) ?? id)
  }
  const out: Diagnostic[] = []
  const seen = new Set<string>()
  for (const f of findings) {
    const name = ruleName(f.rule) ?? f.rule
    if (global.has(name) || perApp.has(`${f.app}|${name}`)) continue
    const d: Diagnostic = { severity: f.severity, ruleId: f.rule, message: f.message }
    if (f.file) d.file = f.file
    const text = f.file ? ws.file(f.file)?.after : undefined
    if (text !== undefined && f.span) Object.assign(d, lineColOf(text, f.span[0]))
    const off = disabledByComment(text, d.line)
    if (off && (off.length === 0 || off.includes(name))) continue
    if (f.hint) d.hint = f.hint
    if (f.path?.length) d.path = f.path
    if (f.resource) d.resource = f.resource
    const k = `${d.file}|${d.line}|${d.col}|${d.ruleId}|${d.message}`
    if (seen.has(k)) continue
    seen.add(k)
    out.push(d)
  }
  return sortDiagnostics(out)
}
