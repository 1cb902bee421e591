import { describe, expect, it } from 'vitest'
import { YamlFile } from '../../src/document.ts'
import { isSopsValue, sopsInfo } from '../../src/secrets/sops.ts'

const parse = (text: string): unknown => new YamlFile(text).docs[0].get([])

// Synthetic values: the payloads are base64 of words like "fake", the IVs and tags are zeros.
const IV = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='
const TAG = 'AAAAAAAAAAAAAAAAAAAAAA=='
const enc = (data: string, type = 'str'): string => `ENC[AES256_GCM,data:${data},iv:${IV},tag:${TAG},type:${type}]`

const SOPS_BLOCK = `sops:
    kms: []
    gcp_kms: []
    azure_kv: []
    hc_vault: []
    age:
        - recipient: age1fakefakefakefakefakefakefakefakefakefakefakefakefakefakefake
          enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            ZmFrZSBhZ2UgaGVhZGVy
            -----END AGE ENCRYPTED FILE-----
    lastmodified: "2024-01-01T00:00:00Z"
    mac: ${enc('ZmFrZS1tYWM=')}
    pgp: []
    encrypted_regex: ^(data|stringData|dnsName|targets)$
    version: 3.9.1
`

const SECRET = `# a synthetic cluster-vars secret
apiVersion: v1
kind: Secret
metadata:
    name: lab-vars
    namespace: flux-system
stringData:
    CLUSTER_NAME: ${enc('ZmFrZQ==')}
    LOCAL_TZ: ${enc('ZmFrZS10eg==')}
    EMPTY_ONE: ""
data:
    tls.crt: ${enc('ZmFrZS1jZXJ0')}
${SOPS_BLOCK}`

const DNS_ENDPOINT = `apiVersion: externaldns.k8s.io/v1alpha1
kind: DNSEndpoint
metadata:
    name: tunnel
spec:
    endpoints:
        - dnsName: ${enc('ZmFrZS5leGFtcGxl')}
          recordType: CNAME
          targets:
            - ${enc('ZmFrZS10YXJnZXQ=')}
${SOPS_BLOCK}`

describe('isSopsValue', () => {
  it('accepts every SOPS scalar type', () => {
    for (const t of ['str', 'int', 'float', 'bool', 'bytes', 'time', 'comment']) expect(isSopsValue(enc('ZmFrZQ==', t))).toBe(true)
  })

  it('rejects look-alikes and non-strings', () => {
    expect(isSopsValue('ENC[AES256_GCM,data:abc]')).toBe(false)
    expect(isSopsValue(`${enc('ZmFrZQ==')} `)).toBe(false)
    expect(isSopsValue(enc('ZmFrZQ==', 'secret'))).toBe(false)
    expect(isSopsValue('ENC[AES256_GCM,data:!!,iv:a,tag:b,type:str]')).toBe(false)
    expect(isSopsValue(undefined)).toBe(false)
    expect(isSopsValue(3)).toBe(false)
  })
})

describe('sopsInfo', () => {
  it('reads a SOPS Secret: key names, kind, rule and recipients, never a value', () => {
    const info = sopsInfo(parse(SECRET))!
    expect(info).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      name: 'lab-vars',
      namespace: 'flux-system',
      type: 'Opaque',
      keys: ['tls.crt', 'CLUSTER_NAME', 'LOCAL_TZ', 'EMPTY_ONE'],
      dataKeys: ['tls.crt'],
      stringDataKeys: ['CLUSTER_NAME', 'LOCAL_TZ', 'EMPTY_ONE'],
      encryptedPaths: [
        ['stringData', 'CLUSTER_NAME'],
        ['stringData', 'LOCAL_TZ'],
        ['data', 'tls.crt'],
      ],
      encryptedRegex: '^(data|stringData|dnsName|targets)$',
      version: '3.9.1',
      lastModified: '2024-01-01T00:00:00Z',
      recipients: [{ type: 'age', id: 'age1fakefakefakefakefakefakefakefakefakefakefakefakefakefakefake' }],
      findings: [],
    })
    const out = JSON.stringify(info)
    for (const leak of ['ENC[', 'ZmFr', IV, 'BEGIN AGE']) expect(out).not.toContain(leak)
  })

  it('lists encrypted paths inside lists for other kinds', () => {
    const info = sopsInfo(parse(DNS_ENDPOINT))!
    expect(info.kind).toBe('DNSEndpoint')
    expect(info.type).toBeUndefined()
    expect(info.keys).toEqual([])
    expect(info.encryptedPaths).toEqual([
      ['spec', 'endpoints', 0, 'dnsName'],
      ['spec', 'endpoints', 0, 'targets', 0],
    ])
  })

  it('keeps the Secret type', () => {
    const text = SECRET.replace('kind: Secret\n', 'kind: Secret\ntype: kubernetes.io/dockerconfigjson\n')
    expect(sopsInfo(parse(text))!.type).toBe('kubernetes.io/dockerconfigjson')
  })

  it('returns undefined for a plain document', () => {
    expect(sopsInfo(parse('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n'))).toBeUndefined()
    expect(sopsInfo('text')).toBeUndefined()
    expect(sopsInfo(null)).toBeUndefined()
  })

  it('does not take an app setting called sops for SOPS metadata', () => {
    expect(sopsInfo({ sops: { enabled: 'true' }, data: { a: 'b' } })).toBeUndefined()
  })

  it('reports encrypted values whose sops block is missing', () => {
    const info = sopsInfo({ kind: 'Secret', metadata: { name: 's' }, stringData: { A: enc('ZmFrZQ==') } })!
    expect(info.encryptedPaths).toEqual([['stringData', 'A']])
    expect(info.findings.map((f) => [f.severity, f.rule])).toEqual([['error', 'sops-metadata-missing']])
  })

  it('warns about a value the rule covers but that is in plain text, without quoting it', () => {
    const text = SECRET.replace(`LOCAL_TZ: ${enc('ZmFrZS10eg==')}`, 'LOCAL_TZ: plain-fake-zone')
    const info = sopsInfo(parse(text))!
    expect(info.findings).toHaveLength(1)
    expect(info.findings[0]).toMatchObject({ severity: 'warning', rule: 'sops-plaintext-value', path: ['stringData', 'LOCAL_TZ'] })
    expect(JSON.stringify(info)).not.toContain('plain-fake-zone')
  })

  it('applies the default rule (everything but *_unencrypted) when the file records none', () => {
    const doc = {
      kind: 'Secret',
      metadata: { name: 's' },
      stringData: { A: enc('ZmFrZQ=='), NOTE_unencrypted: 'visible', B: 'oops' },
      sops: { mac: enc('ZmFrZQ=='), version: '3.9.1', age: [{ recipient: 'age1fake', enc: 'x' }], pgp: [{ fp: 'FAKEFINGERPRINT' }] },
    }
    const info = sopsInfo(doc)!
    // Every plain value outside `_unencrypted` keys is reported: kind, metadata.name and B.
    expect(info.findings.map((f) => f.path)).toEqual([['kind'], ['metadata', 'name'], ['stringData', 'B']])
    expect(info.recipients).toEqual([
      { type: 'age', id: 'age1fake' },
      { type: 'pgp', id: 'FAKEFINGERPRINT' },
    ])
  })

  it('honours unencrypted_regex and key groups', () => {
    const doc = {
      apiVersion: 'v1',
      kind: 'Secret',
      stringData: { A: enc('ZmFrZQ==') },
      sops: { mac: enc('ZmFrZQ=='), version: '3.9.1', unencrypted_regex: '^(apiVersion|kind)$', key_groups: [{ age: [{ recipient: 'age1one' }] }, { kms: [{ arn: 'arn:fake' }] }] },
    }
    const info = sopsInfo(doc)!
    expect(info.unencryptedRegex).toBe('^(apiVersion|kind)$')
    expect(info.findings).toEqual([])
    expect(info.recipients).toEqual([{ type: 'age', id: 'age1one' }, { type: 'kms' }])
  })

  it('reports a malformed ENC value', () => {
    const info = sopsInfo({ stringData: { A: 'ENC[broken' }, sops: { mac: enc('ZmFrZQ=='), version: '3.9.1', encrypted_regex: '^stringData$' } })!
    expect(info.findings.map((f) => f.rule)).toEqual(['sops-malformed-value'])
  })
})
