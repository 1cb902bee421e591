import { describe, expect, it } from 'vitest'
import type { ChartOverride } from '../../src/charts/config.ts'
import { applyRelocation } from '../../src/charts/relocation.ts'
import { resolveChartSource, type HelmRepositoryInfo } from '../../src/charts/resolve.ts'

const OLD = 'oci://ghcr.io/bjw-s/helm/app-template'
const NEW = 'oci://ghcr.io/bjw-s-labs/helm/app-template'
const bjws: HelmRepositoryInfo = { name: 'bjw-s', namespace: 'flux-system', type: 'oci', url: 'oci://ghcr.io/bjw-s/helm' }
const jetstack: HelmRepositoryInfo = { name: 'jetstack', namespace: 'flux-system', url: 'https://charts.jetstack.io/' }
const rules = (notes: readonly { severity: string; rule: string }[]) => notes.map((n) => `${n.severity}:${n.rule}`)

describe('app-template relocation', () => {
  it('keeps 3.7.2 at the old location, which alone holds it', () => {
    const r = applyRelocation(OLD, '3.7.2')
    expect(r.url).toBe(OLD)
    expect(rules(r.notes)).toEqual(['warning:chart-relocation-pending', 'info:chart-upgrade-available'])
    expect(r.notes[0].hint).toContain(NEW)
  })

  it('moves 3.7.3, published at both, and names both URLs', () => {
    const r = applyRelocation(OLD, '3.7.3')
    expect(r.url).toBe(NEW)
    expect(r.notes[0]).toMatchObject({ severity: 'info', rule: 'chart-relocated' })
    expect(r.notes[0].message).toContain(OLD)
    expect(r.notes[0].message).toContain(NEW)
    expect(rules(r.notes)).toContain('info:chart-upgrade-available')
  })

  it('moves 4.x, never published at the old location, without suggesting an upgrade', () => {
    for (const v of ['4.1.1', '4.x', '^4.0.0', '5.0.0']) {
      const r = applyRelocation(OLD, v)
      expect(r.url).toBe(NEW)
      expect(rules(r.notes)).toEqual(['info:chart-relocated'])
      expect(r.notes[0].message).toContain(`never published at ${OLD}`)
    }
  })

  it('moves a range that resolves to 3.7.3 at both locations', () => {
    expect(applyRelocation(OLD, '>=3.7.0 <=3.7.3').url).toBe(NEW)
    expect(applyRelocation(OLD, '~3.7.3, <3.8.0 <=3.7.3').url).toBe(NEW)
  })

  it('keeps a range that would pick a newer release at the new location, with a warning', () => {
    for (const v of ['3.x', '>=3.0.0', '*', undefined]) {
      const r = applyRelocation(OLD, v)
      expect(r.url).toBe(OLD)
      expect(rules(r.notes)[0]).toBe('warning:chart-relocation-straddles')
    }
  })

  it('keeps a range that only the old location can satisfy', () => {
    expect(applyRelocation(OLD, '<3.7.3').url).toBe(OLD)
    expect(applyRelocation(OLD, '3.6.x').url).toBe(OLD)
  })

  it('leaves other URLs and invalid versions alone', () => {
    expect(applyRelocation('oci://ghcr.io/kyverno/charts/kyverno', '3.4.1')).toEqual({ url: 'oci://ghcr.io/kyverno/charts/kyverno', notes: [] })
    expect(applyRelocation(OLD, 'latest')).toEqual({ url: OLD, notes: [] })
  })

  it('applies through a type: oci HelmRepository, whatever its trailing slashes', () => {
    const moved = resolveChartSource({ chart: 'app-template', version: '3.7.3', repo: { ...bjws, url: 'oci://ghcr.io/bjw-s/helm//' } })
    expect(moved).toMatchObject({ url: NEW, origin: 'oci-repository' })
    const kept = resolveChartSource({ chart: 'app-template', version: '3.7.2', repo: bjws })
    expect(kept).toMatchObject({ url: OLD })
  })
})

describe('resolveChartSource', () => {
  it('appends the chart to a type: oci repository URL', () => {
    const r = resolveChartSource({ chart: 'common', version: '1.0.0', repo: { name: 'x', type: 'oci', url: 'oci://ghcr.io/example/charts/' } })
    expect(r).toEqual({ url: 'oci://ghcr.io/example/charts/common', origin: 'oci-repository', notes: [] })
  })

  it('reads an oci:// URL without type: oci as OCI, with a warning', () => {
    const r = resolveChartSource({ chart: 'common', repo: { name: 'x', url: 'oci://ghcr.io/example/charts' } })
    expect(r).toMatchObject({ url: 'oci://ghcr.io/example/charts/common' })
    expect(rules(r.notes)).toEqual(['warning:repository-type-missing'])
  })

  it('rejects a repository of unknown type', () => {
    const r = resolveChartSource({ chart: 'x', repo: { name: 'odd', namespace: 'flux-system', type: 'git', url: 'https://example.com' } })
    expect(r).toMatchObject({ error: { severity: 'error', rule: 'unknown-repository-type' } })
    expect('error' in r && r.error.message).toContain('flux-system/odd')
  })

  it('rejects mismatched schemes and a missing url', () => {
    expect(resolveChartSource({ chart: 'x', repo: { name: 'a', type: 'oci', url: 'https://example.com' } })).toMatchObject({ error: { rule: 'repository-url-scheme' } })
    expect(resolveChartSource({ chart: 'x', repo: { name: 'a', url: 'git@github.com:a/b' } })).toMatchObject({ error: { rule: 'repository-url-scheme' } })
    expect(resolveChartSource({ chart: 'x', repo: { name: 'a', url: '' } })).toMatchObject({ error: { rule: 'invalid-helmrepository' } })
  })

  it('reports an unknown https chart with the exact config entry to add', () => {
    const r = resolveChartSource({ chart: 'mychart', repo: { name: 'mine', url: 'https://charts.example.com/' } })
    expect(r).toMatchObject({ error: { rule: 'no-oci-location' } })
    expect('error' in r && r.error.hint).toBe('add to the config: charts: [{name: mychart, repository: https://charts.example.com, url: oci://<registry>/<path>/mychart}]')
  })

  it('uses a known chart from another repository with a warning to confirm', () => {
    const r = resolveChartSource({ chart: 'cert-manager', repo: { name: 'fork', url: 'https://fork.example.com/charts' } })
    expect(r).toMatchObject({ url: 'oci://quay.io/jetstack/charts/cert-manager' })
    expect(rules(r.notes)).toEqual(['warning:chart-matched-by-name'])
    expect(r.notes[0].hint).toContain('charts: [{name: cert-manager, repository: https://fork.example.com/charts')
  })

  it('matches repository URLs regardless of host case and trailing slashes', () => {
    expect(resolveChartSource({ chart: 'cert-manager', repo: { name: 'j', url: 'https://Charts.JetStack.io///' } })).toMatchObject({ url: 'oci://quay.io/jetstack/charts/cert-manager', notes: [] })
  })
})

describe('config overrides', () => {
  const overrides: ChartOverride[] = [
    { name: 'cert-manager', url: 'oci://registry.example.com/by-name/cert-manager' },
    { repository: 'https://charts.jetstack.io', url: 'oci://registry.example.com/by-repo/{chart}' },
    { name: 'cert-manager', repository: 'https://charts.jetstack.io/', url: 'oci://registry.example.com/both/cert-manager/' },
  ]

  it('take precedence over the built-in table, the most specific first', () => {
    expect(resolveChartSource({ chart: 'cert-manager', repo: jetstack }, overrides)).toMatchObject({ url: 'oci://registry.example.com/both/cert-manager', origin: 'config' })
    expect(resolveChartSource({ chart: 'cert-manager', repo: jetstack }, overrides.slice(0, 2))).toMatchObject({ url: 'oci://registry.example.com/by-repo/cert-manager' })
    expect(resolveChartSource({ chart: 'cert-manager', repo: jetstack }, overrides.slice(0, 1))).toMatchObject({ url: 'oci://registry.example.com/by-name/cert-manager' })
    expect(resolveChartSource({ chart: 'cert-manager', repo: jetstack }, [])).toMatchObject({ url: 'oci://quay.io/jetstack/charts/cert-manager', origin: 'table' })
  })

  it('say which entry they came from', () => {
    const r = resolveChartSource({ chart: 'cert-manager', repo: jetstack }, overrides)
    expect(r.notes).toEqual([expect.objectContaining({ severity: 'info', rule: 'chart-url-from-config', message: expect.stringContaining('charts[2]') })])
  })

  it('resolve charts the table has none for, and beat type: oci repositories without relocating', () => {
    const ping = { name: 'ping-exporter', repository: 'https://raw.githubusercontent.com/czerwonk/ping_exporter/main/dist/charts', url: 'oci://ghcr.io/me/ping-exporter' }
    const pingRepo = { name: 'p', url: 'https://raw.githubusercontent.com/czerwonk/ping_exporter/main/dist/charts/' }
    expect(resolveChartSource({ chart: 'ping-exporter', repo: pingRepo }, [ping])).toMatchObject({ url: 'oci://ghcr.io/me/ping-exporter' })
    const pinned = { name: 'app-template', url: OLD }
    expect(resolveChartSource({ chart: 'app-template', version: '3.7.3', repo: bjws }, [pinned])).toMatchObject({ url: OLD, origin: 'config' })
  })

  it('ignore entries whose repository differs', () => {
    const other = [{ name: 'cert-manager', repository: 'https://other.example.com', url: 'oci://x.example.com/a/cert-manager' }]
    expect(resolveChartSource({ chart: 'cert-manager', repo: jetstack }, other)).toMatchObject({ origin: 'table' })
  })
})
