/**
 * Reads the anatomy of a SOPS-encrypted document without a key (`getsops/sops` `aes/cipher.go`, `sops.go`):
 * map keys stay plaintext, values become `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`, and a top-level `sops` map
 * holds the recipients, the MAC and the encryption rule. Nothing here returns a value, encrypted or not.
 */
import { finding, type Finding, type FindingPath } from '../vars/finding.ts'


const B64 = '[A-Za-z0-9+/]*={0,2}'
const SOPS_VALUE = new RegExp(`^ENC\\[AES256_GCM,data:${B64},iv:${B64},tag:${B64},type:(?:str|int|float|bool|bytes|time|comment)\\]$`)

/** True for a SOPS-encrypted scalar (`ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]`). */
export function isSopsValue(s: unknown): boolean {
  return typeof s === 'string' && SOPS_VALUE.test(s)
}

/** The kinds of master key a SOPS file can be encrypted to. */
export type SopsKeyType = 'age' | 'pgp' | 'kms' | 'gcp_kms' | 'azure_kv' | 'hc_vault'

/** A master key the data key is encrypted to: age recipients and PGP fingerprints are public identifiers. */
export interface SopsRecipient {
  type: SopsKeyType
  id?: string
}

/** What can be read from a SOPS document without decrypting it. */
export interface SopsInfo {
  apiVersion?: string
  kind?: string
  name?: string
  namespace?: string
  /** `type` of a Secret (`Opaque`, `kubernetes.io/dockerconfigjson`, ...). */
  type?: string
  /** Key names of `data` then `stringData`, without repeats. */
  keys: string[]
  dataKeys: string[]
  stringDataKeys: string[]
  /** Paths of the encrypted values (the `sops` block excluded). */
  encryptedPaths: FindingPath[]
  encryptedRegex?: string
  unencryptedRegex?: string
  encryptedSuffix?: string
  unencryptedSuffix?: string
  encryptedCommentRegex?: string
  unencryptedCommentRegex?: string
  macOnlyEncrypted?: boolean
  version?: string
  lastModified?: string
  recipients: SopsRecipient[]
  findings: Finding[]
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

const RULES = [
  ['encrypted_regex', 'encryptedRegex'],
  ['unencrypted_regex', 'unencryptedRegex'],
  ['encrypted_suffix', 'encryptedSuffix'],
  ['unencrypted_suffix', 'unencryptedSuffix'],
  ['encrypted_comment_regex', 'encryptedCommentRegex'],
  ['unencrypted_comment_regex', 'unencryptedCommentRegex'],
] as const

const KEY_TYPES: readonly [SopsKeyType, string | undefined][] = [
  ['age', 'recipient'],
  ['pgp', 'fp'],
  ['kms', undefined],
  ['gcp_kms', undefined],
  ['azure_kv', undefined],
  ['hc_vault', undefined],
]

/**
 * Describes a SOPS-encrypted document (a parsed YAML or JSON value), or returns undefined when it has neither a
 * `sops` block (with `mac` and `version`) nor an encrypted value.
 */
export function sopsInfo(doc: unknown): SopsInfo | undefined {
  if (!isObj(doc)) return undefined
  const meta = isObj(doc.sops) ? doc.sops : undefined
  const hasBlock = meta !== undefined && typeof meta.mac === 'string' && typeof meta.version === 'string'
  const encryptedPaths: FindingPath[] = []
  const plainPaths: FindingPath[] = []
  const malformed: FindingPath[] = []
  walk(doc, [], (path, v) => {
    if (isSopsValue(v)) encryptedPaths.push(path)
    else if (typeof v === 'string' && v.startsWith('ENC[')) malformed.push(path)
    else plainPaths.push(path)
  })
  if (!hasBlock && encryptedPaths.length === 0) return undefined

  const metadata = isObj(doc.metadata) ? doc.metadata : {}
  const dataKeys = isObj(doc.data) ? Object.keys(doc.data) : []
  const stringDataKeys = isObj(doc.stringData) ? Object.keys(doc.stringData) : []
  const info: SopsInfo = {
    keys: [...new Set([...dataKeys, ...stringDataKeys])],
    dataKeys,
    stringDataKeys,
    encryptedPaths,
    recipients: [],
    findings: [],
  }
  const put = <K extends keyof SopsInfo>(k: K, v: SopsInfo[K] | undefined): void => {
    if (v !== undefined) info[k] = v
  }
  put('apiVersion', str(doc.apiVersion))
  put('kind', str(doc.kind))
  put('name', str(metadata.name))
  put('namespace', str(metadata.namespace))
  if (doc.kind === 'Secret') put('type', str(doc.type) ?? 'Opaque')

  if (!hasBlock) {
    info.findings.push(finding('error', 'sops-metadata-missing', 'encrypted values without a `sops` block with `mac` and `version`: the document cannot be decrypted', { path: ['sops'] }))
  } else {
    for (const [yamlKey, field] of RULES) put(field, str(meta[yamlKey]))
    if (meta.mac_only_encrypted === true || meta.mac_only_encrypted === 'true') info.macOnlyEncrypted = true
    put('version', str(meta.version))
    put('lastModified', str(meta.lastmodified))
    info.recipients = recipientsOf(meta)
    const expect = encryptionRule(info)
    for (const p of plainPaths) {
      if (!expect(p)) continue
      const v = valueAt(doc, p)
      // SOPS leaves empty strings and nulls in plain text.
      if (v === '' || v === null || v === undefined) continue
      info.findings.push(
        finding('warning', 'sops-plaintext-value', `\`${p.join('.')}\` is not encrypted although the file's rule covers it`, {
          path: p,
          hint: 'the value may be in plain text in git; re-encrypt the file with sops',
        }),
      )
    }
  }
  for (const p of malformed) info.findings.push(finding('warning', 'sops-malformed-value', `\`${p.join('.')}\` starts with \`ENC[\` but is not a SOPS AES256_GCM value`, { path: p }))
  return info
}

/** Calls `visit` for every scalar outside the top-level `sops` block. */
function walk(v: unknown, path: FindingPath, visit: (path: FindingPath, v: unknown) => void): void {
  if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], visit))
  else if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) if (!(path.length === 0 && k === 'sops')) walk(x, [...path, k], visit)
  } else visit(path, v)
}

function valueAt(doc: unknown, path: FindingPath): unknown {
  let cur: unknown = doc
  for (const k of path) cur = (cur as Record<string | number, unknown> | undefined)?.[k]
  return cur
}

/** SOPS's own decision (`sops.go`, tree encryption) of whether the value at a path is encrypted. */
function encryptionRule(info: SopsInfo): (path: FindingPath) => boolean {
  const re = (s: string | undefined): RegExp | undefined => {
    if (s === undefined) return undefined
    try {
      return new RegExp(s)
    } catch {
      return undefined
    }
  }
  const encRe = re(info.encryptedRegex)
  const unencRe = re(info.unencryptedRegex)
  const anyRule = [info.encryptedRegex, info.unencryptedRegex, info.encryptedSuffix, info.unencryptedSuffix].some((x) => x !== undefined)
  const unencSuffix = anyRule ? info.unencryptedSuffix : '_unencrypted'
  return (path) => {
    const keys = path.filter((k): k is string => typeof k === 'string')
    let encrypted = true
    if (unencSuffix && keys.some((k) => k.endsWith(unencSuffix))) encrypted = false
    if (info.encryptedSuffix) encrypted = keys.some((k) => k.endsWith(info.encryptedSuffix!))
    if (unencRe && keys.some((k) => unencRe.test(k))) encrypted = false
    if (encRe) encrypted = keys.some((k) => encRe.test(k))
    return encrypted
  }
}

function recipientsOf(meta: Obj): SopsRecipient[] {
  const out: SopsRecipient[] = []
  const groups = Array.isArray(meta.key_groups) ? meta.key_groups.filter(isObj) : []
  for (const g of [meta, ...groups]) {
    for (const [type, idField] of KEY_TYPES) {
      const list = g[type]
      if (!Array.isArray(list)) continue
      for (const entry of list) {
        const id = idField && isObj(entry) ? str(entry[idField]) : undefined
        out.push(id ? { type, id } : { type })
      }
    }
  }
  return out
}
