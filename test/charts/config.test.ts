import { describe, expect, it } from 'vitest'
import { parseChartsConfig, validateChartsConfig } from '../../src/charts/config.ts'

const messages = (raw: unknown) => validateChartsConfig(raw).map((f) => f.message)

describe('validateChartsConfig', () => {
  it('accepts name, repository or both, with {chart} for whole repositories', () => {
    const raw = [
      { name: 'ping-exporter', url: 'oci://ghcr.io/me/charts/ping-exporter' },
      { name: 'pod-gateway', repository: 'https://angelnu.github.io/helm-charts/', url: 'oci://ghcr.io/me/charts/pod-gateway' },
      { repository: 'oci://old.example.com/charts', url: 'oci://new.example.com/charts/{chart}/' },
    ]
    expect(validateChartsConfig(raw)).toEqual([])
    expect(parseChartsConfig(raw)).toEqual({ charts: raw, errors: [] })
    expect(validateChartsConfig(undefined)).toEqual([])
  })

  it.each([
    [{}, 'charts must be a list of {name, repository, url} entries'],
    [['x'], 'charts[0] must be a map with url and name and/or repository'],
    [[{ url: 'oci://a.io/b/{chart}' }], 'charts[0] needs name, repository or both to say which charts it maps'],
    [[{ name: 'a' }], 'charts[0].url is required (oci://<registry>/<path>/<chart>)'],
    [[{ name: 'a', url: 3 }], 'charts[0].url must be a string'],
    [[{ name: 'a', url: 'oci://a.io/b/a' }, { name: 'b', url: 'oci://a.io/b/b' }, { name: 'c', url: 'https://a.io/c' }], 'charts[2].url must start with oci://'],
    [[{ name: 'a', url: 'oci://ghcr.io' }], 'charts[0].url must name a repository path after the registry host'],
    [[{ name: 'a', url: 'oci://ghcr.io/a b/c' }], 'charts[0].url must not contain spaces'],
    [[{ name: 'a', url: 'oci://ghcr.io/x/a:1.2.3' }], 'charts[0].url must not carry a tag or digest ("a:1.2.3"); the version comes from the HelmRelease'],
    [[{ name: 'a', url: 'oci://ghcr.io/x/a@sha256:abc' }], 'charts[0].url must not carry a tag or digest ("a@sha256:abc"); the version comes from the HelmRelease'],
    [[{ name: 'a', url: 'oci://ghcr.io/{repo}/a' }], 'charts[0].url uses unknown placeholder {repo}; only {chart} is supported'],
    [[{ repository: 'https://a.io', url: 'oci://ghcr.io/x/a' }], 'charts[0].url must contain {chart} when charts[0].name is absent, or every chart of the repository maps to one URL'],
    [[{ name: 'a', urll: 'oci://ghcr.io/x/a', url: 'oci://ghcr.io/x/a' }], 'charts[0].urll is not a known key; use name, repository, url'],
    [[{ name: 'my chart', url: 'oci://ghcr.io/x/a' }], 'charts[0].name must be a chart name (letters, digits, ".", "_" or "-"), got "my chart"'],
    [[{ name: 'a', repository: 'charts.example.com', url: 'oci://ghcr.io/x/a' }], 'charts[0].repository must be a HelmRepository URL (https://, http:// or oci://), got "charts.example.com"'],
    [[{ name: 'a', repository: 'https://a.io/', url: 'oci://g.io/x/a' }, { name: 'a', repository: 'https://A.io', url: 'oci://g.io/y/a' }], 'charts[1] repeats the name and repository of charts[0]'],
  ])('reports %j', (raw, message) => {
    expect(messages(raw)).toContain(message)
  })

  it('returns findings with the key path and the invalid-config rule', () => {
    const [f] = validateChartsConfig([{ name: 'a', url: 'oci://a.io/x/a' }, { name: 'b', url: 'http://a.io/x/b' }])
    expect(f).toEqual({ severity: 'error', rule: 'invalid-config', message: 'charts[1].url must start with oci://', path: ['charts', 1, 'url'] })
  })

  it('returns no entries when any is invalid', () => {
    expect(parseChartsConfig([{ name: 'a', url: 'oci://a.io/x/a' }, { name: 'b' }]).charts).toEqual([])
  })
})
