/**
 * Facts for a reviewer, read from the migrated files themselves (whatever transforms produced them): the Doppler
 * secrets the app reads (key and property names only, never a value), images without a digest, and containers
 * without a memory limit.
 */
import type { Config } from './config.ts'
import { YamlFile } from './document.ts'
import type { Change } from './patch.ts'

/** A Doppler secret: its key and the JSON properties the app reads from it (empty: read as a plain value or whole). */
export interface DopplerKey {
  key: string
  properties: string[]
}

/** An image reference without a digest. */
export interface UnpinnedImage {
  image: string
  file: string
}

/** A container whose memory is unbounded. */
export interface NoMemoryLimit {
  container: string
  file: string
}

/** Everything {@link reviewFacts} finds. */
export interface ReviewFacts {
  doppler: DopplerKey[]
  unpinned: UnpinnedImage[]
  noMemoryLimit: NoMemoryLimit[]
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

/** Reads the facts from the YAML files that `changes` add or modify. */
export function reviewFacts(changes: readonly Change[], config: Config): ReviewFacts {
  const doppler = new Map<string, Set<string>>()
  const unpinned: UnpinnedImage[] = []
  const noMemoryLimit: NoMemoryLimit[] = []
  for (const c of changes) {
    if (c.after === undefined || !/\.ya?ml$/i.test(c.path)) continue
    const y = new YamlFile(c.after)
    if (y.hasErrors) continue
    for (const doc of y.docs) {
      const v = doc.get([])
      if (!isObj(v)) continue
      if (v.kind === 'ExternalSecret') externalSecretKeys(v, config, doppler)
      const name = isObj(v.metadata) ? str(v.metadata.name) : undefined
      walkContainers(v, { file: c.path, resource: name ?? '?', key: '', unpinned, noLimit: noMemoryLimit })
    }
  }
  const seen = new Set<string>()
  return {
    doppler: [...doppler].map(([key, props]) => ({ key, properties: [...props].sort() })).sort((a, b) => a.key.localeCompare(b.key)),
    unpinned: unpinned.filter((u) => !seen.has(u.image + u.file) && seen.add(u.image + u.file)),
    noMemoryLimit,
  }
}

/** Keys of an ExternalSecret on the configured store; template references that no `data` entry names are properties of its extracted keys. */
function externalSecretKeys(es: Obj, config: Config, out: Map<string, Set<string>>): void {
  const spec = isObj(es.spec) ? es.spec : {}
  const store = isObj(spec.secretStoreRef) ? spec.secretStoreRef : {}
  if (str(store.name) !== config.secretStore.name) return
  const add = (key: string, prop?: string) => {
    const s = out.get(key) ?? new Set<string>()
    if (prop) s.add(prop)
    out.set(key, s)
  }
  const direct = new Set<string>()
  for (const d of arr(spec.data)) {
    if (!isObj(d) || !isObj(d.remoteRef)) continue
    const key = str(d.remoteRef.key)
    if (key) add(key, str(d.remoteRef.property))
    const local = str(d.secretKey)
    if (local) direct.add(local)
  }
  const extracted = arr(spec.dataFrom)
    .map((d) => (isObj(d) && isObj(d.extract) ? str(d.extract.key) : undefined))
    .filter((k): k is string => k !== undefined)
  for (const k of extracted) add(k)
  const target = isObj(spec.target) ? spec.target : {}
  const template = isObj(target.template) ? target.template : {}
  const refs = new Set<string>()
  const data = isObj(template.data) ? template.data : {}
  for (const value of Object.values(data)) for (const m of String(value).matchAll(/\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_-]*)/g)) refs.add(m[1])
  const props = [...refs].filter((r) => !direct.has(r))
  // With several extracted keys a property could belong to any of them: listed under each, as a reviewer must check.
  for (const k of extracted) for (const p of props) add(k, p)
}

interface Walk {
  file: string
  /** `metadata.name` of the document. */
  resource: string
  /** Key under which the current map sits (an app-template controller's id, for its containers). */
  key: string
  unpinned: UnpinnedImage[]
  noLimit: NoMemoryLimit[]
}

/** Finds containers (maps with an `image` in `containers`/`initContainers`) and image references anywhere. */
function walkContainers(v: unknown, w: Walk, depth = 0): void {
  if (depth > 60) return
  if (Array.isArray(v)) {
    for (const x of v) walkContainers(x, w, depth + 1)
    return
  }
  if (!isObj(v)) return
  const image = imageOf(v.image)
  if (image && !/@sha256:[0-9a-f]{64}$/.test(image) && !(isObj(v.image) && str(v.image.digest))) w.unpinned.push({ image, file: w.file })
  for (const [k, x] of Object.entries(v)) {
    if (k === 'containers' || k === 'initContainers') {
      const entries: [string, unknown][] = Array.isArray(x) ? x.map((c) => [isObj(c) ? (str(c.name) ?? '?') : '?', c]) : isObj(x) ? Object.entries(x) : []
      const owner = w.key === '' || w.key === 'spec' ? w.resource : w.key
      for (const [name, c] of entries) {
        if (!isObj(c) || c.image === undefined) continue
        const limits = isObj(c.resources) && isObj(c.resources.limits) ? c.resources.limits : {}
        if (limits.memory === undefined) w.noLimit.push({ container: `${owner}/${name}`, file: w.file })
      }
    }
    walkContainers(x, { ...w, key: k }, depth + 1)
  }
}

function imageOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v.includes('${') || v.trim() === '' ? undefined : v
  if (!isObj(v)) return undefined
  const repo = str(v.repository)
  if (!repo) return undefined
  const tag = str(v.tag)
  return tag ? `${repo}:${tag}` : repo
}
