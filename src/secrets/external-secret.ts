/**
 * Turns a Secret committed to git (usually SOPS-encrypted) into the Chongus pattern: one ExternalSecret of the
 * same name that extracts one JSON Doppler secret per app and renders each key through a template. Only key
 * names travel: the values are to be stored in Doppler by hand, under the returned key and properties.
 */
import { finding, type Finding } from '../vars/finding.ts'
import { sopsInfo } from './sops.ts'

/** `spec.secretStoreRef` of an ExternalSecret. */
export interface StoreRef {
  kind: 'ClusterSecretStore' | 'SecretStore'
  name: string
}

/** Options of {@link secretToExternalSecret}. */
export interface ExternalSecretOptions {
  /** The app the Secret belongs to; its SCREAMING_SNAKE form names the Doppler secret. */
  appName: string
  store?: StoreRef
}

/** An `external-secrets.io/v1` ExternalSecret as plain data. */
export interface ExternalSecretObject {
  apiVersion: 'external-secrets.io/v1'
  kind: 'ExternalSecret'
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }
  spec: {
    secretStoreRef: StoreRef
    target: {
      name: string
      creationPolicy: 'Owner'
      immutable?: boolean
      template: {
        engineVersion: 'v2'
        type?: string
        metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }
        data: Record<string, string>
      }
    }
    dataFrom: [{ extract: { key: string } }]
  }
}

/** The ExternalSecret and the Doppler secret it reads. */
export interface ExternalSecretResult {
  /** Undefined when the input is not a named Secret (see `findings`). */
  externalSecret?: ExternalSecretObject
  /** The Doppler secret holding the app's JSON object. */
  dopplerKey: string
  /** The JSON properties that object needs, one per Secret key. */
  properties: string[]
  findings: Finding[]
}

/** The store every Chongus ExternalSecret uses. */
export const DOPPLER_STORE: StoreRef = { kind: 'ClusterSecretStore', name: 'doppler' }

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/
const GO_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
// Flux reads these from the object it applies, which becomes the ExternalSecret, not the rendered Secret.
const FLUX_PREFIX = 'kustomize.toolkit.fluxcd.io/'
const KNOWN_TOP = new Set(['apiVersion', 'kind', 'metadata', 'type', 'data', 'stringData', 'immutable', 'sops'])
const KNOWN_META = new Set(['name', 'namespace', 'labels', 'annotations'])

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** `paperless-ngx` → `PAPERLESS_NGX`: the Doppler secret name for an app. */
export function dopplerKeyFor(appName: string): string {
  const k = appName
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase()
  // Doppler names cannot start with a digit.
  return /^\d/.test(k) ? `_${k}` : k
}

/** The template expression reading property `key`: `{{ .KEY }}`, or `{{ index . "tls.crt" }}` when `.key` is not a Go identifier. */
export function templateRef(key: string): string {
  return GO_IDENTIFIER.test(key) ? `{{ .${key} }}` : `{{ index . ${JSON.stringify(key)} }}`
}

function stringEntries(v: unknown): [string, string][] {
  return isObj(v) ? Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string') : []
}

/** Builds the ExternalSecret that replaces `secret` (a parsed Secret manifest, SOPS-encrypted or not). */
export function secretToExternalSecret(secret: unknown, options: ExternalSecretOptions): ExternalSecretResult {
  const findings: Finding[] = []
  const dopplerKey = dopplerKeyFor(options.appName)
  const result: ExternalSecretResult = { dopplerKey, properties: [], findings }
  if (dopplerKey === '') findings.push(finding('error', 'invalid-app-name', `app name \`${options.appName}\` gives no Doppler secret name`))
  if (!isObj(secret) || secret.kind !== 'Secret' || secret.apiVersion !== 'v1') {
    findings.push(finding('error', 'not-a-secret', 'the document is not a v1 Secret'))
    return result
  }
  const meta = isObj(secret.metadata) ? secret.metadata : {}
  const name = typeof meta.name === 'string' ? meta.name : undefined
  if (!name) {
    findings.push(finding('error', 'secret-without-name', 'the Secret has no `metadata.name`', { path: ['metadata', 'name'] }))
    return result
  }
  if (dopplerKey === '') return result

  const sops = sopsInfo(secret)
  if (sops) findings.push(...sops.findings)
  else findings.push(finding('warning', 'plaintext-secret', `Secret \`${name}\` is not SOPS-encrypted: its values are readable in git`, { hint: 'rotate them after moving them to Doppler' }))

  const dataKeys = isObj(secret.data) ? Object.keys(secret.data) : []
  const stringDataKeys = isObj(secret.stringData) ? Object.keys(secret.stringData) : []
  const keys: string[] = []
  for (const [field, list] of [['data', dataKeys], ['stringData', stringDataKeys]] as const) {
    for (const k of list) {
      if (!SECRET_KEY.test(k)) {
        findings.push(finding('error', 'invalid-secret-key', `\`${field}.${k}\` is not a valid Secret key; it was left out`, { path: [field, k], loss: true }))
      } else if (keys.includes(k)) {
        findings.push(finding('info', 'duplicate-key', `\`${k}\` is in both \`data\` and \`stringData\`; Kubernetes keeps the \`stringData\` one`, { path: [field, k] }))
      } else keys.push(k)
    }
  }
  const decoded = dataKeys.filter((k) => SECRET_KEY.test(k) && !stringDataKeys.includes(k))
  if (decoded.length > 0) {
    findings.push(
      finding('info', 'store-decoded', `${decoded.map((k) => `\`${k}\``).join(', ')} ${decoded.length > 1 ? 'are' : 'is'} base64 under \`data\`: store the decoded value${decoded.length > 1 ? 's' : ''} in Doppler`, { path: ['data'] }),
    )
  }
  if (keys.length === 0) findings.push(finding('warning', 'secret-without-keys', `Secret \`${name}\` has no keys; the ExternalSecret renders an empty Secret`))

  if (typeof meta.namespace === 'string') {
    findings.push(finding('info', 'namespace-dropped', `\`metadata.namespace: ${meta.namespace}\` was dropped: the Kustomization's target namespace applies`, { path: ['metadata', 'namespace'], loss: true }))
  }
  for (const k of Object.keys(secret)) {
    if (!KNOWN_TOP.has(k)) findings.push(finding('warning', 'field-dropped', `\`${k}\` has no place in the ExternalSecret and was dropped`, { path: [k], loss: true }))
  }
  for (const k of Object.keys(meta)) {
    if (!KNOWN_META.has(k)) findings.push(finding('warning', 'field-dropped', `\`metadata.${k}\` was dropped`, { path: ['metadata', k], loss: true }))
  }

  const esMeta: ExternalSecretObject['metadata'] = { name }
  const tplMeta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}
  for (const field of ['labels', 'annotations'] as const) {
    for (const [k, v] of stringEntries(meta[field])) {
      const dest = k.startsWith(FLUX_PREFIX) ? esMeta : tplMeta
      ;(dest[field] ??= {})[k] = v
      if (dest === esMeta) findings.push(finding('info', 'flux-metadata-moved', `\`${k}\` now sits on the ExternalSecret, the object Flux applies`, { path: ['metadata', field, k] }))
    }
  }

  const template: ExternalSecretObject['spec']['target']['template'] = { engineVersion: 'v2', data: {} }
  const type = typeof secret.type === 'string' ? secret.type : 'Opaque'
  if (type !== 'Opaque') template.type = type
  if (tplMeta.labels || tplMeta.annotations) template.metadata = tplMeta
  for (const k of keys) template.data[k] = templateRef(k)

  const immutable = secret.immutable === true || secret.immutable === 'true'
  const target: ExternalSecretObject['spec']['target'] = { name, creationPolicy: 'Owner', ...(immutable ? { immutable } : {}), template }

  result.externalSecret = {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: esMeta,
    spec: {
      secretStoreRef: { ...(options.store ?? DOPPLER_STORE) },
      target,
      dataFrom: [{ extract: { key: dopplerKey } }],
    },
  }
  result.properties = keys
  return result
}
