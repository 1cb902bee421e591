/**
 * Dev tool: how many HelmReleases of a repository tree the built-in chart table migrates.
 * `npm run build && node dist/src/dev/chart-coverage.js <dir> [prefix…]`; prints the counts and the failures by
 * chart. HelmRepositories are read from the whole tree; prefixes (relative to `<dir>`) limit which HelmReleases count.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { YamlFile } from '../document.ts'
import { helmRepositoryInfo, planHelmReleaseChart, type ChartPlan, type HelmRepositoryInfo } from '../charts/index.ts'

/** The outcome for one HelmRelease. */
export interface CoverageRow {
  file: string
  name: string
  chart: string
  plan: ChartPlan
}

/** Result of a run: one row per HelmRelease, and the files that could not be read. */
export interface Coverage {
  rows: CoverageRow[]
  unreadable: { file: string; message: string }[]
}

function parse(text: string): YamlFile | string {
  const y = new YamlFile(text)
  const err = y.problems.find((p) => p.severity === 'error')
  return err ? err.message : y
}

/** Parses every YAML file of `files` (path → text) and plans each HelmRelease against its HelmRepositories. */
export function measureChartCoverage(files: ReadonlyMap<string, string>, prefixes: readonly string[] = []): Coverage {
  const repos: HelmRepositoryInfo[] = []
  const releases: { file: string; value: Record<string, unknown> }[] = []
  const unreadable: Coverage['unreadable'] = []
  for (const [file, text] of files) {
    const yaml = parse(text)
    if (typeof yaml === 'string') {
      unreadable.push({ file, message: yaml })
      continue
    }
    for (const doc of yaml.docs) {
      const value = doc.get([])
      if (typeof value !== 'object' || value === null) continue
      const v = value as Record<string, unknown>
      const repo = helmRepositoryInfo(v)
      if (repo) repos.push(repo)
      else if (v.kind === 'HelmRelease' && (prefixes.length === 0 || prefixes.some((p) => file.startsWith(p)))) releases.push({ file, value: v })
    }
  }
  const rows = releases.map(({ file, value }) => {
    const spec = (value.spec ?? {}) as { chart?: { spec?: { chart?: string } }; chartRef?: { name?: string } }
    const chart = spec.chart?.spec?.chart ?? (spec.chartRef ? `chartRef:${spec.chartRef.name}` : '?')
    const name = String((value.metadata as { name?: string } | undefined)?.name)
    return { file, name, chart, plan: planHelmReleaseChart(value, repos) }
  })
  return { rows, unreadable }
}

/** A plain-text summary: totals, then blocked releases grouped by chart with their error rules. */
export function formatCoverage({ rows, unreadable }: Coverage): string {
  const by = (s: ChartPlan['status']) => rows.filter((r) => r.plan.status === s)
  const lines = [
    `HelmReleases: ${rows.length}`,
    `  migrate: ${by('migrate').length}`,
    `  already migrated: ${by('already-migrated').length}`,
    `  blocked: ${by('blocked').length}`,
  ]
  const failures = new Map<string, string[]>()
  for (const r of by('blocked')) {
    const key = `${r.chart}: ${r.plan.errors.map((e) => e.rule).join(', ')}`
    failures.set(key, [...(failures.get(key) ?? []), r.file])
  }
  for (const [key, where] of [...failures].sort()) lines.push(`  ✗ ${key} (${where.length}) ${where.join(' ')}`)
  const warned = new Map<string, number>()
  for (const r of by('migrate')) for (const n of r.plan.notes) if (n.severity === 'warning') warned.set(n.rule, (warned.get(n.rule) ?? 0) + 1)
  for (const [rule, n] of [...warned].sort()) lines.push(`  ! ${rule}: ${n}`)
  for (const u of unreadable) lines.push(`  unreadable: ${u.file}: ${u.message}`)
  return lines.join('\n')
}

function readTree(root: string): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (/\.ya?ml$/.test(e.name)) out.set(relative(root, p), readFileSync(p, 'utf8'))
    }
  }
  walk(root)
  return out
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = process.argv[2]
  if (!root) {
    process.stderr.write('usage: chart-coverage <repository dir>\n')
    process.exit(2)
  }
  process.stdout.write(`${formatCoverage(measureChartCoverage(readTree(root), process.argv.slice(3)))}\n`)
}
