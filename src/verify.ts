/**
 * `migrate` checks its own output before anything is written. A finding is *pre-existing* when the same rule,
 * evaluated on the legacy app's resources, finds the same problem (same rule, resource kind and name, and subject,
 * e.g. the image repository or the dependency name) at the same or a higher severity: it becomes a follow-up and
 * does not block. Any other finding was *introduced* by the migration: its errors block the write, unless
 * `--no-verify`, which is reported.
 */
import type { App } from './app.ts'
import type { Config } from './config.ts'
import type { Diagnostic, Severity } from './diagnostics.ts'
import { runChecks, toDiagnostics } from './check/engine.ts'
import { RULE_PREFIX } from './check/rules.ts'
import { chongusApp, legacyApp } from './check/model.ts'
import type { CheckFinding } from './check/context.ts'
import { OverlayVfs } from './vfs.ts'
import { Workspace, type Reuse, type WFile } from './workspace.ts'
import { YamlFile } from './document.ts'

const SCHEMA_RULE = `${RULE_PREFIX}schema`
const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 }

/** Prefix of a finding the legacy app already had. */
export const FOLLOW_UP = 'follow-up (already true of the legacy app):'
/** Prefix of an introduced error that `--no-verify` let through. */
export const NOT_VERIFIED = 'not verified (--no-verify):'

/** What the verification of a migration found. */
export interface Verification {
  diagnostics: Diagnostic[]
  /** Errors introduced by the migration that `noVerify` let through. */
  unverified: number
}

/**
 * Names of the variables the legacy cluster substituted into its apps: the keys (never the values) of the
 * ConfigMaps and Secrets that Kustomizations of its Flux folder name in `postBuild.substituteFrom`. SOPS leaves keys
 * in plaintext, so an encrypted `cluster-secrets` still tells which variables existed.
 */
export function legacyClusterVariables(ws: Workspace, config: Config, cluster: string): string[] {
  const dir = config.legacy.fluxDir.replace('{cluster}', cluster)
  const resources = ws.resources(ws.filesUnder(dir))
  const sources = new Set<string>()
  for (const r of resources)
    for (let i = 0; i < r.doc.length(['spec', 'postBuild', 'substituteFrom']); i++) sources.add(`${r.doc.getString(['spec', 'postBuild', 'substituteFrom', i, 'kind'])}/${r.doc.getString(['spec', 'postBuild', 'substituteFrom', i, 'name'])}`)
  const out = new Set<string>()
  for (const r of resources) if (sources.has(`${r.ref.kind}/${r.ref.name}`)) for (const key of ['data', 'stringData']) for (const k of r.doc.keys([key])) out.add(k)
  return [...out].sort()
}

/** A parse of `text` the draft file `f` holds: its unedited documents, or its input side. */
function parseOf(f: WFile | undefined, text: string): YamlFile | undefined {
  if (!f) return undefined
  const y = f.isParsed ? f.yaml : undefined
  if (y && !y.edited && f.after === text) return y
  return f.before === text ? f.beforeYamlIfParsed : undefined
}

/**
 * The check reads the draft and the input through workspaces of their own; a file whose text the draft already
 * parsed (unedited, or its input side, or the file it was copied from) is not parsed again, nor is a file both of
 * them read.
 */
function sharedParses(ws: Workspace): Reuse {
  const others = new Map<string, { text: string; yaml: YamlFile }>()
  return (path, text) => {
    const f = ws.peek(path)
    if (f) return parseOf(f, text) ?? (f.origin !== f.path ? parseOf(ws.peek(f.origin), text) : undefined)
    const seen = others.get(path)
    if (seen?.text === text) return seen.yaml
    const yaml = new YamlFile(text)
    others.set(path, { text, yaml })
    return yaml
  }
}

/** Checks the migrated apps in the draft `ws` and compares each finding with the legacy app's. */
export async function verifyMigration(ws: Workspace, config: Config, apps: readonly App[], noVerify: boolean): Promise<Verification> {
  const out: Diagnostic[] = []
  const changes = new Map(ws.loaded().map((f) => [f.path, f.after] as const))
  const output = new Workspace(new OverlayVfs(ws.vfs, changes), sharedParses(ws))
  const input = new Workspace(ws.vfs, sharedParses(ws))
  const findings: CheckFinding[] = []
  const none = () => false
  for (const app of apps) {
    if (app.root !== app.targetDir || !output.exists(`${app.targetDir}/ks.yaml`)) {
      out.push({ severity: 'info', ruleId: 'verify/skipped', message: `${app.legacyDir} was not checked: the migration made no Chongus app folder of it`, file: app.legacyDir })
      continue
    }
    const migrated = await runChecks(output, config, [chongusApp(output, app.targetDir, app.namespace)], { schemas: true, namespaceEntries: none })
    const vars = [...Object.keys(config.variables), ...legacyClusterVariables(input, config, app.cluster)]
    // A schema finding of the legacy app matters only to tell whether one of the migrated app's is pre-existing.
    const schemas = migrated.some((f) => f.rule === SCHEMA_RULE)
    // Only the families that can report what the migrated app has are run on the legacy app: nothing else is compared.
    const only = new Set(migrated.map((f) => f.rule))
    const legacy = only.size === 0 ? [] : await runChecks(input, config, [legacyApp(input, app.legacyDir, app.legacyNamespace, app.kustomizations, vars)], { schemas, namespaceEntries: none, only })
    const before = new Map<string, number>()
    for (const f of legacy) before.set(f.key, Math.max(before.get(f.key) ?? -1, RANK[f.severity]))
    // Each app is checked once: its files need not stay parsed for the next.
    output.forget(app.targetDir)
    input.forget(app.legacyDir)
    for (const f of migrated) {
      if ((before.get(f.key) ?? -1) >= RANK[f.severity]) findings.push({ ...f, severity: f.severity === 'error' ? 'warning' : f.severity, message: `${FOLLOW_UP} ${f.message}` })
      else if (noVerify && f.severity === 'error') findings.push({ ...f, severity: 'warning', message: `${NOT_VERIFIED} ${f.message}` })
      else findings.push(f)
    }
  }
  const checked = toDiagnostics(output, config, findings)
  // Counted after disables and duplicates are gone: what the reviewer will read.
  const unverified = checked.filter((d) => d.message.startsWith(NOT_VERIFIED)).length
  out.push(...checked)
  if (noVerify) {
    const d: Diagnostic = { severity: unverified > 0 ? 'warning' : 'info', ruleId: 'verify/no-verify', message: `--no-verify: ${unverified} error(s) the migration introduced did not block the changes` }
    if (unverified > 0) d.hint = 'fix them before merging: each is listed with "not verified"'
    out.push(d)
  }
  return { diagnostics: out, unverified }
}
