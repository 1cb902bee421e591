/**
 * Finds the OCI URL of a chart that a HelmRelease pulls from a HelmRepository: config `charts:` entries first,
 * then `<url>/<chart>` for `type: oci` repositories, then the built-in table; known relocations apply to the last
 * two. A chart with no known location is an error whose hint names the config entry to add.
 */
import type { ChartOverride } from './config.ts'
import { finding, type Finding } from './findings.ts'
import { applyRelocation } from './relocation.ts'
import { KNOWN_CHARTS, RELOCATIONS, type KnownChart, type Relocation } from './table.ts'
import { trimSlashes, urlKey } from './url.ts'

/** A HelmRepository flattened: identity plus its `spec` fields (`url`, `type`, `secretRef`, `provider`, …). */
export interface HelmRepositoryInfo {
  name: string
  namespace?: string
  url: string
  type?: string
  [specField: string]: unknown
}

/** What to resolve: the `chart.spec` chart name and version, and the HelmRepository it points at. */
export interface ChartSourceQuery {
  chart: string
  version?: string
  repo: HelmRepositoryInfo
}

/** Where the URL came from. */
export type ChartSourceOrigin = 'config' | 'oci-repository' | 'table'

/** A resolved OCI URL and the findings worth reporting about it, or the error that blocks the chart. */
export type ChartSource =
  | { url: string; origin: ChartSourceOrigin; tagPrefix?: string; notes: Finding[] }
  | { error: Finding; notes: Finding[] }

/** Built-in data the resolver reads; tests and callers may substitute their own. */
export interface ChartData {
  table?: readonly KnownChart[]
  relocations?: readonly Relocation[]
}

const expand = (template: string, chart: string, repository = ''): string =>
  trimSlashes(template.replaceAll('{repository}', trimSlashes(repository)).replaceAll('{chart}', chart))

const chartMatches = (patterns: readonly string[], chart: string): boolean =>
  patterns.some((p) => (p.endsWith('*') ? chart.startsWith(p.slice(0, -1)) : p === chart))

function pickOverride(overrides: readonly ChartOverride[], chart: string, repo: string): { o: ChartOverride; i: number } | undefined {
  let best: { o: ChartOverride; i: number; score: number } | undefined
  overrides.forEach((o, i) => {
    if (o.name !== undefined && o.name !== chart) return
    if (o.repository !== undefined && urlKey(o.repository) !== repo) return
    const score = (o.name !== undefined ? 1 : 0) + (o.repository !== undefined ? 2 : 0)
    if (!best || score > best.score) best = { o, i, score }
  })
  return best
}

function pickRow(table: readonly KnownChart[], chart: string, repo: string): { row: KnownChart; byName: boolean } | undefined {
  const named = (r: KnownChart) => r.charts !== undefined && chartMatches(r.charts, chart)
  const inRepo = (r: KnownChart) => r.repositories === undefined || r.repositories.some((u) => urlKey(u) === repo)
  const exact = table.find((r) => named(r) && inRepo(r)) ?? table.find((r) => r.charts === undefined && inRepo(r))
  if (exact) return { row: exact, byName: false }
  const byName = table.find(named)
  return byName ? { row: byName, byName: true } : undefined
}

function configHint(chart: string, repoUrl: string): string {
  return `add to the config: charts: [{name: ${chart}, repository: ${repoUrl}, url: oci://<registry>/<path>/${chart}}]`
}

function fromRow(row: KnownChart, q: ChartSourceQuery, repoUrl: string, data: ChartData): ChartSource {
  const id = `${q.chart} (HelmRepository ${q.repo.name}, ${repoUrl})`
  const hint = configHint(q.chart, repoUrl)
  const note = row.note ? `: ${row.note}` : ''
  switch (row.status) {
    case 'none':
      return { error: finding('error', 'no-oci-location', `chart ${id} has no known OCI location${note}`, { hint }), notes: [] }
    case 'unverified':
      return {
        error: finding('error', 'oci-location-unverified', `chart ${id} is published as OCI upstream, but its URL has not been verified`, {
          hint: `look up the chart's OCI URL in its documentation, then ${hint}`,
        }),
        notes: [],
      }
    case 'replaced':
      return {
        error: finding('error', 'chart-replaced', `chart ${id} has no OCI location${note}; its replacement is ${row.replacement}`, {
          hint: `migrate to the replacement instead of this release, or ${hint}`,
        }),
        notes: [],
      }
    default: {
      const url = expand(row.url!, q.chart, repoUrl)
      const notes: Finding[] = []
      if (row.status === 'mirror') {
        notes.push(finding('warning', 'chart-from-mirror', `chart ${q.chart} comes from a third-party mirror, ${url}${note}`, { hint: 'watch for an upstream OCI registry and switch when it ships' }))
      } else if (row.note) {
        notes.push(finding('info', 'chart-table-note', `chart ${q.chart} at ${url}${note}`))
      }
      const moved = applyRelocation(url, q.version, data.relocations ?? RELOCATIONS)
      const out: ChartSource = { url: moved.url, origin: 'table', notes: [...notes, ...moved.notes] }
      if (row.tagPrefix !== undefined) out.tagPrefix = row.tagPrefix
      return out
    }
  }
}

/**
 * Resolves the OCI URL of `q.chart`.
 *
 * Order: the most specific matching `overrides` entry (name and repository, then repository, then name; used
 * as written, no relocation); for a `type: oci` repository, `<url>/<chart>`; for an https repository, the table
 * row matching chart and repository (a row matching the chart name only is used with a warning). Known
 * relocations then apply (see {@link applyRelocation}).
 */
export function resolveChartSource(q: ChartSourceQuery, overrides: readonly ChartOverride[] = [], data: ChartData = {}): ChartSource {
  const repoId = `HelmRepository ${q.repo.namespace ? `${q.repo.namespace}/` : ''}${q.repo.name}`
  if (typeof q.repo.url !== 'string' || q.repo.url.trim() === '') {
    return { error: finding('error', 'invalid-helmrepository', `${repoId} has no spec.url`), notes: [] }
  }
  const repoUrl = trimSlashes(q.repo.url.trim())
  const key = urlKey(repoUrl)
  const type = q.repo.type
  if (type !== undefined && type !== 'default' && type !== 'oci') {
    return {
      error: finding('error', 'unknown-repository-type', `${repoId} has type ${JSON.stringify(type)}; Flux knows "default" (https) and "oci"`, {
        hint: 'fix spec.type of the HelmRepository, or map the chart with a charts: entry in the config',
      }),
      notes: [],
    }
  }
  const notes: Finding[] = []
  let isOci = type === 'oci'
  if (isOci && !key.startsWith('oci://')) {
    return { error: finding('error', 'repository-url-scheme', `${repoId} has type: oci but its url ${repoUrl} does not start with oci://`), notes }
  }
  if (!isOci && key.startsWith('oci://')) {
    isOci = true
    notes.push(finding('warning', 'repository-type-missing', `${repoId} has an oci:// url but no type: oci; reading it as an OCI repository`))
  } else if (!isOci && !/^https?:\/\//.test(key)) {
    return { error: finding('error', 'repository-url-scheme', `${repoId} url ${repoUrl} is neither https://, http:// nor oci://`), notes }
  }
  const picked = pickOverride(overrides, q.chart, key)
  if (picked) {
    const url = expand(picked.o.url, q.chart)
    notes.push(finding('info', 'chart-url-from-config', `chart ${q.chart} from ${repoUrl} maps to ${url} (config charts[${picked.i}])`))
    return { url, origin: 'config', notes }
  }
  if (isOci) {
    const moved = applyRelocation(`${repoUrl}/${q.chart}`, q.version, data.relocations ?? RELOCATIONS)
    return { url: moved.url, origin: 'oci-repository', notes: [...notes, ...moved.notes] }
  }
  const match = pickRow(data.table ?? KNOWN_CHARTS, q.chart, key)
  if (!match) {
    return {
      error: finding('error', 'no-oci-location', `chart ${q.chart} (${repoId}, ${repoUrl}) has no known OCI location`, { hint: configHint(q.chart, repoUrl) }),
      notes,
    }
  }
  const res = fromRow(match.row, q, repoUrl, data)
  if (match.byName && 'url' in res) {
    const known = match.row.repositories?.join(', ') ?? ''
    res.notes.unshift(
      finding('warning', 'chart-matched-by-name', `chart ${q.chart} is known from ${known}, not ${repoUrl}; check that ${res.url} holds the version in use`, {
        hint: `confirm with charts: [{name: ${q.chart}, repository: ${repoUrl}, url: ${res.url}}] in the config`,
      }),
    )
  }
  return { ...res, notes: [...notes, ...res.notes] }
}
