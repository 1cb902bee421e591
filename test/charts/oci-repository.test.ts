import { describe, expect, it } from 'vitest'
import { buildOciRepository, OCI_REPOSITORY_SCHEMA_COMMENT } from '../../src/charts/oci-repository.ts'
import { printNewFile } from '../../src/document.ts'
import { assertValidOciRepository } from './oci-schema.ts'

describe('buildOciRepository', () => {
  it('builds the Chongus shape, keys in the seed order', () => {
    const o = buildOciRepository({ name: 'thelounge', url: 'oci://ghcr.io/bjw-s-labs/helm/app-template', ref: { tag: '3.7.3' } })
    expect(o).toEqual({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'OCIRepository',
      metadata: { name: 'thelounge' },
      spec: {
        interval: '1h',
        layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
        ref: { tag: '3.7.3' },
        url: 'oci://ghcr.io/bjw-s-labs/helm/app-template',
      },
    })
    expect(Object.keys(o)).toEqual(['apiVersion', 'kind', 'metadata', 'spec'])
    expect(Object.keys(o.spec)).toEqual(['interval', 'layerSelector', 'ref', 'url'])
    assertValidOciRepository(o)
  })

  it('prints as the hand-written manifests do', () => {
    const o = buildOciRepository({ name: 'demo', url: 'oci://ghcr.io/bjw-s-labs/helm/app-template', ref: { tag: '4.6.2' } })
    expect(printNewFile([{ value: o }])).toBe(
      [
        '---',
        'apiVersion: source.toolkit.fluxcd.io/v1',
        'kind: OCIRepository',
        'metadata:',
        '  name: demo',
        'spec:',
        '  interval: 1h',
        '  layerSelector:',
        '    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip',
        '    operation: copy',
        '  ref:',
        '    tag: 4.6.2',
        '  url: oci://ghcr.io/bjw-s-labs/helm/app-template',
        '',
      ].join('\n'),
    )
    expect(`#${OCI_REPOSITORY_SCHEMA_COMMENT}`).toBe('# yaml-language-server: $schema=https://kubernetes-schemas.pages.dev/source.toolkit.fluxcd.io/ocirepository_v1.json')
  })

  it('places verify, credentials and namespace, alphabetically around the seed keys', () => {
    const o = buildOciRepository({
      name: 'podinfo',
      namespace: 'apps',
      url: 'oci://ghcr.io/stefanprodan/charts/podinfo',
      ref: { semver: '6.x' },
      interval: '5m',
      verify: { provider: 'cosign', matchOIDCIdentity: [{ issuer: '^https://token.actions.githubusercontent.com$', subject: '^https://github.com/stefanprodan/podinfo.*$' }] },
      provider: 'generic',
      secretRef: { name: 'ghcr-auth' },
      certSecretRef: { name: 'ca' },
      insecure: false,
    })
    expect(Object.keys(o.spec)).toEqual(['certSecretRef', 'insecure', 'interval', 'layerSelector', 'provider', 'ref', 'secretRef', 'url', 'verify'])
    expect(o.metadata).toEqual({ name: 'podinfo', namespace: 'apps' })
    assertValidOciRepository(o)
  })

  it('is checked by a schema that rejects a wrong shape', () => {
    expect(() => assertValidOciRepository({ metadata: { name: 'x' }, spec: { interval: '1h', url: 'https://x/y' } })).toThrow(/url/)
  })
})
