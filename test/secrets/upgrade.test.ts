import { describe, expect, it } from 'vitest'
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret'
import { ExternalSecret as ExternalSecretV1beta1 } from '@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret'
import { YamlFile } from '../../src/document.ts'
import { applyChanges, upgradeExternalSecret } from '../../src/secrets/upgrade.ts'

const parse = (text: string): Record<string, unknown> => new YamlFile(text).docs[0].get([]) as Record<string, unknown>

const LEGACY = parse(`apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: demo-secret
  namespace: security
spec:
  secretStoreRef:
    kind: ClusterSecretStore
    name: doppler
  target:
    name: demo-secret
    template:
      data:
        DEMO__API_KEY: "{{ .DEMO_API_KEY }}"
  data:
    - secretKey: DEMO_API_KEY
      remoteRef:
        key: DEMO_API_KEY
`)

const validV1 = (o: unknown): void => {
  new ExternalSecret(structuredClone(o) as never).validate()
}

describe('upgradeExternalSecret', () => {
  it('lists the v1beta1 → v1 edits, reporting the dropped namespace', () => {
    new ExternalSecretV1beta1(structuredClone(LEGACY) as never).validate()
    const { changes, findings } = upgradeExternalSecret(LEGACY)
    expect(changes).toEqual([
      { path: ['apiVersion'], action: 'set', value: 'external-secrets.io/v1' },
      { path: ['metadata', 'namespace'], action: 'delete' },
      { path: ['spec', 'target', 'creationPolicy'], action: 'add', value: 'Owner' },
      { path: ['spec', 'target', 'template', 'engineVersion'], action: 'add', value: 'v2' },
    ])
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'info', rule: 'namespace-dropped', path: ['metadata', 'namespace'], loss: true }),
    ])
    const upgraded = applyChanges(LEGACY, changes)
    validV1(upgraded)
    expect(upgraded.metadata).toEqual({ name: 'demo-secret' })
  })

  it('is idempotent: the upgraded object needs no change', () => {
    const once = applyChanges(LEGACY, upgradeExternalSecret(LEGACY).changes)
    expect(upgradeExternalSecret(once)).toEqual({ changes: [], findings: [] })
  })

  it('never adds a template, which would change the rendered Secret', () => {
    const plain = parse(`apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: token}
spec:
  secretStoreRef: {kind: ClusterSecretStore, name: doppler}
  target: {name: token, creationPolicy: Owner}
  data:
    - {secretKey: token, remoteRef: {key: SOME_TOKEN}}
`)
    const { changes } = upgradeExternalSecret(plain)
    expect(changes).toEqual([{ path: ['apiVersion'], action: 'set', value: 'external-secrets.io/v1' }])
    validV1(applyChanges(plain, changes))
  })

  it('adds creationPolicy even when there is no target', () => {
    const bare = { apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret', metadata: { name: 'x' }, spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'doppler' }, dataFrom: [{ extract: { key: 'X' } }] } }
    const up = applyChanges(bare, upgradeExternalSecret(bare).changes)
    expect(up.spec).toMatchObject({ target: { creationPolicy: 'Owner' } })
    validV1(up)
  })

  it('keeps another creation policy and says so', () => {
    const o = structuredClone(LEGACY) as { spec: { target: Record<string, unknown> } }
    o.spec.target.creationPolicy = 'Merge'
    const r = upgradeExternalSecret(o)
    expect(r.changes.map((c) => c.path.join('.'))).not.toContain('spec.target.creationPolicy')
    expect(r.findings.map((f) => f.rule)).toContain('creation-policy-kept')
  })

  it.each([
    ['spec', 'spec: demo\n', 'spec'],
    ['target', 'spec:\n  target: demo-secret\n', 'spec.target'],
    ['template', 'spec:\n  target:\n    template:\n      - data\n', 'spec.target.template'],
  ])('stops on a %s that is not a map and changes nothing', (_name, body, path) => {
    const r = upgradeExternalSecret(parse(`apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: x\n${body}`))
    expect(r.changes).toEqual([])
    expect(r.findings).toEqual([expect.objectContaining({ severity: 'error', rule: 'malformed', path: path.split('.'), message: `${path} is not a map: ESO rejects the ExternalSecret; it was left unchanged` })])
  })

  it.each(['target:', 'target: ~', 'target: null'])('fills a target left empty (%s) like an absent one', (line) => {
    const r = upgradeExternalSecret(parse(`apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: x\nspec:\n  ${line}\n`))
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([])
    expect(r.changes).toContainEqual({ path: ['spec', 'target', 'creationPolicy'], action: 'add', value: 'Owner' })
  })

  it('stops on a template using engine v1 and changes nothing', () => {
    const o = structuredClone(LEGACY) as { spec: { target: { template: Record<string, unknown> } } }
    o.spec.target.template.engineVersion = 'v1'
    const r = upgradeExternalSecret(o)
    expect(r.changes).toEqual([])
    expect(r.findings).toEqual([expect.objectContaining({ severity: 'error', rule: 'template-engine-v1' })])
  })

  it('reports stores other than the doppler ClusterSecretStore, including per-entry ones and the SecretStore default', () => {
    const o = {
      apiVersion: 'external-secrets.io/v1beta1',
      kind: 'ExternalSecret',
      metadata: { name: 'x' },
      spec: {
        secretStoreRef: { name: 'doppler' },
        target: { creationPolicy: 'Owner' },
        data: [{ secretKey: 'a', remoteRef: { key: 'A' }, sourceRef: { storeRef: { kind: 'ClusterSecretStore', name: 'vault' } } }],
        dataFrom: [{ sourceRef: { generatorRef: { kind: 'Password', name: 'pw' } } }],
      },
    }
    const r = upgradeExternalSecret(o)
    expect(r.findings.map((f) => [f.rule, f.path])).toEqual([
      ['store-not-doppler', ['spec', 'secretStoreRef']],
      ['store-not-doppler', ['spec', 'data', 0, 'sourceRef', 'storeRef']],
      ['generator-ref', ['spec', 'dataFrom', 0, 'sourceRef', 'generatorRef']],
    ])
    expect(r.findings[0].message).toContain('SecretStore `doppler`')
  })

  it('refuses other kinds and versions', () => {
    expect(upgradeExternalSecret({ apiVersion: 'v1', kind: 'Secret' }).findings[0].rule).toBe('not-an-external-secret')
    const alpha = upgradeExternalSecret({ apiVersion: 'external-secrets.io/v1alpha1', kind: 'ExternalSecret' })
    expect(alpha).toEqual({ changes: [], findings: [expect.objectContaining({ severity: 'error', rule: 'unsupported-version' })] })
  })
})

describe('applyChanges', () => {
  it('does not touch its input', () => {
    const before = JSON.stringify(LEGACY)
    applyChanges(LEGACY, upgradeExternalSecret(LEGACY).changes)
    expect(JSON.stringify(LEGACY)).toBe(before)
  })
})
