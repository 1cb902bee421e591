/** SARIF 2.1.0 output, for GitHub code scanning (one run, the rules of `check` as the tool's rules). */
import type { Diagnostic, Severity } from '../diagnostics.ts'
import { VERSION } from '../version.ts'
import { RULES, RULE_PREFIX } from './rules.ts'

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' }

/** A SARIF log of diagnostics; `file` paths stay repository-relative, as code scanning expects. */
export function toSarif(diagnostics: readonly Diagnostic[]): object {
  const rules = Object.entries(RULES).map(([name, meta]) => ({
    id: `${RULE_PREFIX}${name}`,
    name: name.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: meta.description.replace(/`/g, '') },
    fullDescription: { text: `${meta.description.replace(/`/g, '')}${'source' in meta ? ` (Chongus ${meta.source})` : ''}` },
    defaultConfiguration: { level: LEVEL[meta.severity] },
  }))
  const index = new Map(rules.map((r, i) => [r.id, i]))
  // Code scanning wants a location on every result: findings about the run itself are tool notifications.
  const notifications = diagnostics
    .filter((d) => !d.file)
    .map((d) => ({ level: LEVEL[d.severity], message: { text: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message }, descriptor: { id: d.ruleId } }))
  const results = diagnostics.filter((d) => d.file).map((d) => {
    const result: Record<string, unknown> = {
      ruleId: d.ruleId,
      level: LEVEL[d.severity],
      message: { text: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message },
    }
    if (index.has(d.ruleId)) result.ruleIndex = index.get(d.ruleId)
    result.locations = [{ physicalLocation: { artifactLocation: { uri: d.file }, region: { startLine: d.line ?? 1, startColumn: d.col ?? 1 } } }]
    return result
  })
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'bitty2chongus', semanticVersion: VERSION, rules } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
      },
    ],
  }
}
