import { describe, expect, it } from 'vitest'
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret'
import { YamlFile } from '../../src/document.ts'
import { dopplerKeyFor, secretToExternalSecret, templateRef, type ExternalSecretObject } from '../../src/secrets/external-secret.ts'
import { dopplerConflicts, dopplerTemplate } from '../../src/secrets/doppler.ts'

const parse = (text: string): unknown => new YamlFile(text).docs[0].get([])
const IV = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='
const TAG = 'AAAAAAAAAAAAAAAAAAAAAA=='
const enc = (data: string): string => `ENC[AES256_GCM,data:${data},iv:${IV},tag:${TAG},type:str]`
const SOPS = `sops:
    age:
        - recipient: age1fakefakefakefakefakefakefakefakefakefakefakefakefakefakefake
          enc: fake
    lastmodified: "2024-01-01T00:00:00Z"
    mac: ${enc('ZmFrZS1tYWM=')}
    encrypted_regex: ^(data|stringData)$
    version: 3.9.1
`

/** Validates against the external-secrets v1 schema; throws with the failing instance path. */
function validate(es: ExternalSecretObject | undefined): void {
  expect(es).toBeDefined()
  new ExternalSecret(structuredClone(es!) as never).validate()
}

const OPAQUE = `apiVersion: v1
kind: Secret
metadata:
    name: paperless-ngx-secret
    namespace: security
    labels:
        app.kubernetes.io/name: paperless-ngx
        kustomize.toolkit.fluxcd.io/prune: disabled
    annotations:
        reloader.stakater.com/match: "true"
type: Opaque
stringData:
    PAPERLESS_SECRET_KEY: ${enc('ZmFrZQ==')}
    PAPERLESS_ADMIN_PASSWORD: ${enc('ZmFrZQ==')}
${SOPS}`

const DOCKER = `apiVersion: v1
kind: Secret
metadata:
    name: registry-pull
type: kubernetes.io/dockerconfigjson
data:
    .dockerconfigjson: ${enc('ZmFrZQ==')}
${SOPS}`

describe('secretToExternalSecret', () => {
  it('builds the Chongus ExternalSecret for an Opaque SOPS Secret', () => {
    const r = secretToExternalSecret(parse(OPAQUE), { appName: 'paperless-ngx' })
    expect(r.externalSecret).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'paperless-ngx-secret', labels: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } },
      spec: {
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'doppler' },
        target: {
          name: 'paperless-ngx-secret',
          creationPolicy: 'Owner',
          template: {
            engineVersion: 'v2',
            metadata: { labels: { 'app.kubernetes.io/name': 'paperless-ngx' }, annotations: { 'reloader.stakater.com/match': 'true' } },
            data: {
              PAPERLESS_SECRET_KEY: '{{ .PAPERLESS_SECRET_KEY }}',
              PAPERLESS_ADMIN_PASSWORD: '{{ .PAPERLESS_ADMIN_PASSWORD }}',
            },
          },
        },
        dataFrom: [{ extract: { key: 'PAPERLESS_NGX' } }],
      },
    })
    expect(r.dopplerKey).toBe('PAPERLESS_NGX')
    expect(r.properties).toEqual(['PAPERLESS_SECRET_KEY', 'PAPERLESS_ADMIN_PASSWORD'])
    expect(r.findings.map((f) => [f.severity, f.rule])).toEqual([
      ['info', 'namespace-dropped'],
      ['info', 'flux-metadata-moved'],
    ])
    validate(r.externalSecret)
  })

  it('keeps a dockerconfigjson type and reads a dotted key with index', () => {
    const r = secretToExternalSecret(parse(DOCKER), { appName: 'registry' })
    expect(r.externalSecret!.spec.target.template).toEqual({
      engineVersion: 'v2',
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': '{{ index . ".dockerconfigjson" }}' },
    })
    expect(r.properties).toEqual(['.dockerconfigjson'])
    expect(r.findings.map((f) => f.rule)).toEqual(['store-decoded'])
    validate(r.externalSecret)
  })

  it('handles TLS-style keys and immutability', () => {
    const { sops } = parse(SOPS) as { sops: unknown }
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls' }, type: 'kubernetes.io/tls', immutable: 'true', data: { 'tls.crt': enc('ZmFrZQ=='), 'tls.key': enc('ZmFrZQ==') }, sops }
    const r = secretToExternalSecret(secret, { appName: 'ingress' })
    expect(r.externalSecret!.spec.target).toMatchObject({ immutable: true, template: { type: 'kubernetes.io/tls', data: { 'tls.crt': '{{ index . "tls.crt" }}', 'tls.key': '{{ index . "tls.key" }}' } } })
    expect(r.findings[0].message).toContain('`tls.crt`, `tls.key` are base64')
    validate(r.externalSecret)
  })

  it('uses the given store', () => {
    const r = secretToExternalSecret(parse(DOCKER), { appName: 'x', store: { kind: 'SecretStore', name: 'vault' } })
    expect(r.externalSecret!.spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'vault' })
    validate(r.externalSecret)
  })

  it('never copies a value, encrypted or plain', () => {
    const plain = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'p' }, stringData: { TOKEN: 'plain-fake-value' } }
    const r = secretToExternalSecret(plain, { appName: 'p' })
    expect(JSON.stringify(r)).not.toContain('plain-fake-value')
    expect(r.findings.map((f) => [f.severity, f.rule])).toEqual([['warning', 'plaintext-secret']])
    for (const text of [OPAQUE, DOCKER]) {
      const out = JSON.stringify(secretToExternalSecret(parse(text), { appName: 'a' }))
      expect(out).not.toContain('ENC[')
      expect(out).not.toContain('ZmFr')
    }
  })

  it('reports keys in both data and stringData, invalid keys, dropped fields and an empty Secret', () => {
    const r = secretToExternalSecret(
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', finalizers: ['x'] }, data: { A: 'x', 'bad key': 'y' }, stringData: { A: 'z' }, extra: 1 },
      { appName: 'a' },
    )
    expect(r.properties).toEqual(['A'])
    expect(r.findings.map((f) => f.rule)).toEqual(['plaintext-secret', 'invalid-secret-key', 'duplicate-key', 'field-dropped', 'field-dropped'])
    expect(r.findings.find((f) => f.rule === 'invalid-secret-key')!.loss).toBe(true)
    const empty = secretToExternalSecret({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'e' } }, { appName: 'a' })
    expect(empty.findings.map((f) => f.rule)).toContain('secret-without-keys')
    validate(empty.externalSecret)
  })

  it('refuses what is not a named v1 Secret', () => {
    const cm = secretToExternalSecret({ apiVersion: 'v1', kind: 'ConfigMap' }, { appName: 'a' })
    expect(cm.externalSecret).toBeUndefined()
    expect(cm.findings.map((f) => f.rule)).toEqual(['not-a-secret'])
    expect(secretToExternalSecret({ apiVersion: 'v1', kind: 'Secret', metadata: {} }, { appName: 'a' }).findings[0].rule).toBe('secret-without-name')
    expect(secretToExternalSecret(parse(DOCKER), { appName: '--' }).findings[0].rule).toBe('invalid-app-name')
  })
})

describe('dopplerKeyFor and templateRef', () => {
  it('makes SCREAMING_SNAKE names', () => {
    expect(dopplerKeyFor('paperless-ngx')).toBe('PAPERLESS_NGX')
    expect(dopplerKeyFor('kube-prometheus-stack')).toBe('KUBE_PROMETHEUS_STACK')
    expect(dopplerKeyFor('home.assistant--x')).toBe('HOME_ASSISTANT_X')
    expect(dopplerKeyFor('1password')).toBe('_1PASSWORD')
  })

  it('uses field access for Go identifiers and index otherwise', () => {
    expect(templateRef('API_KEY')).toBe('{{ .API_KEY }}')
    expect(templateRef('_x1')).toBe('{{ ._x1 }}')
    expect(templateRef('aws-access-key-id')).toBe('{{ index . "aws-access-key-id" }}')
    expect(templateRef('1st')).toBe('{{ index . "1st" }}')
  })
})

describe('dopplerTemplate', () => {
  it('lists every secret and property with empty values', () => {
    expect(dopplerTemplate([
      { key: 'SONARR', properties: ['API_KEY'] },
      { key: 'PAPERLESS_NGX', properties: ['A', 'B'] },
      { key: 'SONARR', properties: ['DB_PASSWORD'] },
    ])).toEqual({ SONARR: { API_KEY: '', DB_PASSWORD: '' }, PAPERLESS_NGX: { A: '', B: '' } })
  })

  it('warns when two Secrets of one app need the same property', () => {
    const f = dopplerConflicts([
      { key: 'APP', properties: ['password', 'user'], source: 'Secret `app-db`' },
      { key: 'APP', properties: ['password'], source: 'Secret `app-cache`' },
      { key: 'OTHER', properties: ['password'] },
    ])
    expect(f).toHaveLength(1)
    expect(f[0]).toMatchObject({ severity: 'warning', rule: 'doppler-property-shared' })
    expect(f[0].message).toContain('Secret `app-db` and Secret `app-cache`')
  })
})
