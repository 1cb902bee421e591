/**
 * The migration dashboard: per legacy app, what a migration would do and what blocks it. Blockers are error
 * diagnostics grouped by rule id, so rules added by future transforms group and read without changes here.
 */
import type { AppOutcome, BatchResult } from './batch.ts'
import { countBySeverity, type Diagnostic } from './diagnostics.ts'
import { markdownTable, textTable, type Column } from './table.ts'

/** `ready`: would migrate; `blocked`: has errors; `up to date`: nothing left to do. */
export type PlanStatus = 'ready' | 'blocked' | 'up to date'

/** One legacy app in the plan. */
export interface PlanRow {
  /** Legacy app folder. */
  path: string
  /** `<cluster>/<namespace>/<app>`. */
  app: string
  enabled: boolean
  /** Chongus folder. */
  target: string | undefined
  status: PlanStatus
  /** Files the migration would add, change or delete. */
  files: number
  /** Transforms that would change something. */
  transforms: string[]
  warnings: number
  /** Error diagnostics, grouped by rule id. */
  blockers: { ruleId: string; label: string; count: number }[]
}

/** The errors of one rule, across apps. */
export interface BlockerGroup {
  ruleId: string
  label: string
  /** Every error of this rule, with the app it blocks. */
  items: { app: string; diagnostic: Diagnostic }[]
}

/** The whole dashboard: rows, blockers and counts. */
export interface Plan {
  rows: PlanRow[]
  blockers: BlockerGroup[]
  summary: { apps: number; enabled: number; ready: number; blocked: number; upToDate: number; blockedEnabled: number }
}

/** A readable name for a rule id: its last segment in words (`ks-layout/path-outside-app` → `path outside app`). */
export function ruleLabel(ruleId: string): string {
  const last = ruleId.split('/').at(-1) ?? ruleId
  return last.replace(/[-_]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().trim() || ruleId
}

/** Builds the plan from a batch run over every app (run with `includeDisabled`). */
export function buildPlan(batch: BatchResult, legacyAppsDir: string, targetAppsDir: string): Plan {
  const rel = (p: string | undefined, root: string) => (p && p.startsWith(root + '/') ? p.slice(root.length + 1) : p)
  const groups = new Map<string, BlockerGroup>()
  const rows = batch.apps.map((o: AppOutcome): PlanRow => {
    const app = rel(o.path, legacyAppsDir)!
    const errors = o.diagnostics.filter((d) => d.severity === 'error')
    const counts = new Map<string, number>()
    for (const d of errors) {
      counts.set(d.ruleId, (counts.get(d.ruleId) ?? 0) + 1)
      const g = groups.get(d.ruleId) ?? { ruleId: d.ruleId, label: ruleLabel(d.ruleId), items: [] }
      g.items.push({ app, diagnostic: d })
      groups.set(d.ruleId, g)
    }
    return {
      path: o.path,
      app,
      enabled: o.enabled,
      target: rel(o.targetDir, targetAppsDir),
      status: o.status === 'failed' ? 'blocked' : o.status === 'unchanged' ? 'up to date' : 'ready',
      files: o.changes.length,
      transforms: o.applied.map((a) => a.transform),
      warnings: countBySeverity(o.diagnostics).warning,
      blockers: [...counts].map(([ruleId, count]) => ({ ruleId, label: ruleLabel(ruleId), count })),
    }
  })
  const blockers = [...groups.values()].sort((a, b) => b.items.length - a.items.length || a.ruleId.localeCompare(b.ruleId))
  const n = (s: PlanStatus) => rows.filter((r) => r.status === s).length
  return {
    rows,
    blockers,
    summary: {
      apps: rows.length,
      enabled: rows.filter((r) => r.enabled).length,
      ready: n('ready'),
      blocked: n('blocked'),
      upToDate: n('up to date'),
      blockedEnabled: rows.filter((r) => r.enabled && r.status === 'blocked').length,
    },
  }
}

const COLUMNS: Column[] = [
  { header: 'APP' },
  { header: 'ENABLED' },
  { header: 'TARGET' },
  { header: 'STATUS' },
  { header: 'FILES', align: 'right' },
  { header: 'WARNINGS', align: 'right' },
  { header: 'TRANSFORMS' },
  { header: 'BLOCKED BY' },
]

function cells(r: PlanRow): string[] {
  return [
    r.app,
    r.enabled ? 'yes' : 'no',
    r.target ?? '-',
    r.status,
    String(r.files),
    String(r.warnings),
    r.transforms.join(', ') || '-',
    r.blockers.map((b) => (b.count > 1 ? `${b.label} ×${b.count}` : b.label)).join(', ') || '-',
  ]
}

function summaryLine(p: Plan): string {
  const s = p.summary
  return `${s.apps} apps (${s.enabled} enabled): ${s.ready} ready, ${s.blocked} blocked, ${s.upToDate} up to date`
}

/** The terminal table, a summary line and every blocker with its location and hint. */
export function planText(p: Plan): string {
  let out = textTable(COLUMNS, p.rows.map(cells)) + '\n' + summaryLine(p) + '\n'
  for (const g of p.blockers) {
    out += `\n${g.label} (${g.ruleId}): ${g.items.length}\n`
    for (const it of g.items) {
      const d = it.diagnostic
      out += `  ${d.file ? `${d.file}${d.line ? `:${d.line}:${d.col ?? 1}` : ''}: ` : `${it.app}: `}${d.message}\n${d.hint ? `      hint: ${d.hint}\n` : ''}`
    }
  }
  return out
}

/** The same as Markdown, e.g. for an issue that tracks the migration. */
export function planMarkdown(p: Plan): string {
  let out = `# Migration plan\n\n${summaryLine(p)}.\n\n${markdownTable(COLUMNS.map((c) => ({ ...c, header: c.header.toLowerCase() })), p.rows.map(cells))}`
  if (p.blockers.length > 0) out += '\n## Blockers\n'
  for (const g of p.blockers) {
    out += `\n### ${g.label} (\`${g.ruleId}\`): ${g.items.length}\n\n`
    for (const it of g.items) {
      const d = it.diagnostic
      const where = d.file ? `\`${d.file}${d.line ? `:${d.line}` : ''}\` ` : ''
      out += `- **${it.app}**: ${where}${d.message}${d.hint ? ` (${d.hint})` : ''}\n`
    }
  }
  return out
}

/** The plan as data. */
export function planJson(p: Plan): string {
  return JSON.stringify(p, null, 2) + '\n'
}
