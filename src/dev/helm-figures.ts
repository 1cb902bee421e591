/**
 * Dev tool: what became of every HelmRelease of a migrated app: moved to an OCIRepository of its own, already on
 * one, or left with a diagnostic (and whether that diagnostic names the configuration key that fixes it).
 */
import { discoverApp } from '../app.ts'
import type { Config } from '../config.ts'
import { YamlFile } from '../document.ts'
import type { MigrateResult } from '../migrate.ts'
import type { Workspace } from '../workspace.ts'

/** Outcome of one HelmRelease; `reason` is the rule id (and `named-config` whether its hint names a config key). */
export type HelmOutcome =
  | { name: string; app: string; outcome: 'oci-repository' | 'already-migrated' | 'not-carried' | 'unaccounted' }
  | { name: string; app: string; outcome: 'blocked'; reason: string; namesConfigKey: boolean }

const CONFIG_KEY = /\bcharts: \[|legacy\.repositories/

/**
 * The HelmReleases of an app in the input (files below `appDir`, and shared files its Flux Kustomizations render
 * from elsewhere) and what `result` (its migration) did with each.
 */
export function helmOutcomes(ws: Workspace, appDir: string, result: MigrateResult, config: Config): HelmOutcome[] {
  const rendered = discoverApp(ws, appDir, config).kustomizations.flatMap((k) => k.tree?.resources ?? [])
  const files = [...new Set([...ws.filesUnder(appDir).map((f) => f.path), ...rendered])].map((p) => ws.file(p)).filter((f) => f !== undefined)
  const releases = ws.resources(files).filter((r) => r.ref.kind === 'HelmRelease')
  const out = new Map<string, 'oci-repository' | 'already-migrated'>()
  const oci = new Set<string>()
  const chartRefs = new Set<string>()
  for (const c of result.changes) {
    if (c.after === undefined || !/\.ya?ml$/.test(c.path)) continue
    for (const d of new YamlFile(c.after).docs) {
      if (d.getString(['kind']) === 'OCIRepository') oci.add(d.getString(['metadata', 'name']) ?? '')
      const ref = d.getString(['spec', 'chartRef', 'name'])
      if (d.getString(['kind']) === 'HelmRelease' && ref !== undefined) chartRefs.add(`${d.getString(['metadata', 'name'])}\u0000${ref}`)
    }
  }
  for (const key of chartRefs) {
    const [name, ref] = key.split('\u0000')
    if (oci.has(ref)) out.set(name, 'oci-repository')
  }
  const blocked = new Map<string, { reason: string; namesConfigKey: boolean }>()
  for (const d of result.diagnostics) {
    const name = d.resource?.kind === 'HelmRelease' ? d.resource.name : undefined
    if (name === undefined) continue
    if (d.ruleId === 'helm-oci/already-migrated') out.set(name, 'already-migrated')
    else if (d.severity === 'error' || d.ruleId === 'helm-oci/shared-helmrelease') {
      if (!blocked.has(name)) blocked.set(name, { reason: d.ruleId, namesConfigKey: CONFIG_KEY.test(d.hint ?? '') })
    }
  }
  const notCarried = new Set(result.diagnostics.filter((d) => d.ruleId === 'ks-layout/not-carried').map((d) => d.file))
  return releases.map((r): HelmOutcome => {
    const base = { name: r.ref.name, app: appDir }
    const b = blocked.get(r.ref.name)
    if (b) return { ...base, outcome: 'blocked', ...b }
    if (notCarried.has(r.file.path)) return { ...base, outcome: 'not-carried' }
    return { ...base, outcome: out.get(r.ref.name) ?? 'unaccounted' }
  })
}

/** Totals by outcome and by blocking rule. */
export function formatHelmOutcomes(rows: readonly HelmOutcome[]): string {
  const count = (o: HelmOutcome['outcome']) => rows.filter((r) => r.outcome === o).length
  const lines = [
    `HelmReleases: ${rows.length}`,
    `  OCIRepository of its own: ${count('oci-repository')}`,
    `  already on an OCIRepository: ${count('already-migrated')}`,
    `  not carried (unreferenced file): ${count('not-carried')}`,
    `  blocked: ${count('blocked')}`,
  ]
  const reasons = new Map<string, string[]>()
  for (const r of rows) {
    if (r.outcome !== 'blocked') continue
    const key = `${r.reason}${r.namesConfigKey ? ' (hint names the config key)' : ''}`
    reasons.set(key, [...(reasons.get(key) ?? []), `${r.app.split('/').pop()}/${r.name}`])
  }
  for (const [k, v] of [...reasons].sort()) lines.push(`    ${k}: ${v.length} (${v.join(', ')})`)
  const lost = rows.filter((r) => r.outcome === 'unaccounted')
  lines.push(`  unaccounted: ${lost.length}${lost.length ? ` (${lost.map((r) => `${r.app}/${r.name}`).join(', ')})` : ''}`)
  return lines.join('\n')
}
