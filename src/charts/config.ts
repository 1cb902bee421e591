/**
 * The `charts:` section of the user's config: OCI locations that extend or override the built-in table.
 *
 * ```yaml
 * charts:
 *   - name: ping-exporter                      # chart name (optional when repository is set)
 *     repository: https://example.github.io/charts   # legacy HelmRepository URL (optional when name is set)
 *     url: oci://ghcr.io/example/charts/ping-exporter
 *   - repository: https://charts.example.com   # every chart of this repository...
 *     url: oci://registry.example.com/charts/{chart}   # ...maps here; {chart} is the chart name
 * ```
 */
import { finding, isRecord, type Finding } from './findings.ts'
import { urlKey } from './url.ts'

/** One `charts:` entry. */
export interface ChartOverride {
  /** Chart name (`chart.spec.chart`). */
  readonly name?: string
  /** Legacy HelmRepository URL (`spec.url`). */
  readonly repository?: string
  /** OCI URL of the chart; `{chart}` is replaced with the chart name. */
  readonly url: string
}

const KEYS = ['name', 'repository', 'url'] as const
const CHART_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

function bad(path: (string | number)[], message: string): Finding {
  return finding('error', 'invalid-config', message, { path })
}

function checkUrl(at: string, path: (string | number)[], url: unknown, hasName: boolean): Finding[] {
  if (url === undefined) return [bad(path, `${at}.url is required (oci://<registry>/<path>/<chart>)`)]
  if (typeof url !== 'string') return [bad(path, `${at}.url must be a string`)]
  if (!url.startsWith('oci://')) return [bad(path, `${at}.url must start with oci://`)]
  const rest = url.slice('oci://'.length).replace(/\/+$/, '')
  if (/\s/.test(url)) return [bad(path, `${at}.url must not contain spaces`)]
  if (!/^[^/]+\/./.test(rest)) return [bad(path, `${at}.url must name a repository path after the registry host`)]
  const last = rest.slice(rest.lastIndexOf('/') + 1)
  if (last.includes('@') || last.includes(':')) {
    return [bad(path, `${at}.url must not carry a tag or digest ("${last}"); the version comes from the HelmRelease`)]
  }
  const unknown = [...url.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((p) => p !== 'chart')
  if (unknown.length > 0) return [bad(path, `${at}.url uses unknown placeholder {${unknown[0]}}; only {chart} is supported`)]
  if (!hasName && !url.includes('{chart}')) {
    return [bad(path, `${at}.url must contain {chart} when ${at}.name is absent, or every chart of the repository maps to one URL`)]
  }
  return []
}

function checkEntry(e: unknown, i: number): Finding[] {
  const at = `charts[${i}]`
  if (!isRecord(e)) return [bad(['charts', i], `${at} must be a map with url and name and/or repository`)]
  const out: Finding[] = []
  for (const k of Object.keys(e)) {
    if (!(KEYS as readonly string[]).includes(k)) out.push(bad(['charts', i, k], `${at}.${k} is not a known key; use ${KEYS.join(', ')}`))
  }
  const { name, repository } = e
  if (name !== undefined && (typeof name !== 'string' || !CHART_NAME.test(name))) {
    out.push(bad(['charts', i, 'name'], `${at}.name must be a chart name (letters, digits, ".", "_" or "-"), got ${JSON.stringify(name)}`))
  }
  if (repository !== undefined && (typeof repository !== 'string' || !/^(https?|oci):\/\/[^/\s]+/.test(repository))) {
    out.push(bad(['charts', i, 'repository'], `${at}.repository must be a HelmRepository URL (https://, http:// or oci://), got ${JSON.stringify(repository)}`))
  }
  if (name === undefined && repository === undefined) {
    out.push(bad(['charts', i], `${at} needs name, repository or both to say which charts it maps`))
  }
  return [...out, ...checkUrl(at, ['charts', i, 'url'], e.url, name !== undefined)]
}

/** Checks a `charts:` value; each error names the offending key, e.g. `charts[2].url must start with oci://`. */
export function validateChartsConfig(raw: unknown): Finding[] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) return [bad(['charts'], 'charts must be a list of {name, repository, url} entries')]
  const errors = raw.flatMap((e, i) => checkEntry(e, i))
  const seen = new Map<string, number>()
  raw.forEach((e, i) => {
    if (!isRecord(e)) return
    const key = `${String(e.name ?? '')}\u0000${typeof e.repository === 'string' ? urlKey(e.repository) : ''}`
    const first = seen.get(key)
    if (first === undefined) seen.set(key, i)
    else errors.push(bad(['charts', i], `charts[${i}] repeats the name and repository of charts[${first}]`))
  })
  return errors
}

/** Validates a `charts:` value and returns the entries when it has no error. */
export function parseChartsConfig(raw: unknown): { charts: ChartOverride[]; errors: Finding[] } {
  const errors = validateChartsConfig(raw)
  if (errors.length > 0 || !Array.isArray(raw)) return { charts: [], errors }
  const charts = raw.map((e: Record<string, unknown>) => {
    const o: { name?: string; repository?: string; url: string } = { url: e.url as string }
    if (e.name !== undefined) o.name = e.name as string
    if (e.repository !== undefined) o.repository = e.repository as string
    return o
  })
  return { charts, errors }
}
