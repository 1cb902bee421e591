/**
 * What post-build substitution a Flux Kustomization really has once its parent's `spec.patches` are applied.
 * On Bitty the root `cluster-apps` injects `decryption` and `substituteFrom: [Secret cluster-secrets]` into every
 * child not labelled `substitution.flux.home.arpa/disabled: "true"`, so a child's own YAML says nothing of it.
 */
import { finding, type Finding, type FindingPath } from './finding.ts'
import { isObj, matchesTarget, splitApiVersion, strategicMerge, type PatchTarget } from './kustomize-patch.ts'

/** A `postBuild.substituteFrom` entry: a ConfigMap or Secret whose keys become variables. */
export interface SubstituteFromRef {
  kind: string
  name: string
  optional?: boolean
}

/** `spec.decryption`: how Flux decrypts SOPS files before applying them. */
export interface Decryption {
  provider: string
  secretRef?: { name: string }
}

/** A Kustomization's decryption and post-build substitution settings. */
export interface PostBuildConfig {
  decryption?: Decryption
  /** In order: later sources override earlier ones, and `substitute` overrides them all. */
  substituteFrom: SubstituteFromRef[]
  substitute: Record<string, string>
}

/** The child's effective settings, and where they came from. */
export interface Injection extends PostBuildConfig {
  /** Indexes of the root's `spec.patches` that select the child. */
  patches: number[]
  /** True when those patches changed the child's decryption or post-build settings. */
  injected: boolean
  findings: Finding[]
}

/** Options of {@link injectedSubstitution}. */
export interface InjectionOptions {
  /** Parses a patch given as text (the root's `patch: |-` block); without it, textual patches are reported. */
  parse?: (text: string) => unknown
}

type Obj = Record<string, unknown>
const KUSTOMIZATION_GROUP = 'kustomize.toolkit.fluxcd.io'

/** Reads `spec.decryption` and `spec.postBuild` of a Flux Kustomization. */
export function postBuildOf(kustomization: unknown): PostBuildConfig & { findings: Finding[] } {
  const findings: Finding[] = []
  const spec = isObj(kustomization) && isObj(kustomization.spec) ? kustomization.spec : {}
  const out: PostBuildConfig & { findings: Finding[] } = { substituteFrom: [], substitute: {}, findings }
  const d = spec.decryption
  if (isObj(d) && typeof d.provider === 'string') {
    out.decryption = { provider: d.provider }
    if (isObj(d.secretRef) && typeof d.secretRef.name === 'string') out.decryption.secretRef = { name: d.secretRef.name }
  }
  const pb = isObj(spec.postBuild) ? spec.postBuild : {}
  if (isObj(pb.substitute)) {
    for (const [k, v] of Object.entries(pb.substitute)) {
      if (typeof v === 'string') out.substitute[k] = v
      else findings.push(finding('error', 'substitute-not-string', `\`postBuild.substitute.${k}\` must be a string (quote numbers and booleans)`, { path: ['spec', 'postBuild', 'substitute', k] }))
    }
  }
  if (Array.isArray(pb.substituteFrom)) {
    pb.substituteFrom.forEach((r, i) => {
      if (isObj(r) && typeof r.kind === 'string' && typeof r.name === 'string') {
        const ref: SubstituteFromRef = { kind: r.kind, name: r.name }
        if (r.optional === true || r.optional === 'true') ref.optional = true
        out.substituteFrom.push(ref)
      } else findings.push(finding('error', 'invalid-substitute-from', 'a `substituteFrom` entry needs a `kind` and a `name`', { path: ['spec', 'postBuild', 'substituteFrom', i] }))
    })
  }
  return out
}

/**
 * The decryption and substitution `child` ends up with once the patches of `root` (the Flux Kustomization
 * that applies it) are applied, with the indexes of the patches that selected it.
 */
export function injectedSubstitution(root: unknown, child: unknown, options: InjectionOptions = {}): Injection {
  const findings: Finding[] = []
  const r = isObj(root) ? root : {}
  if (r.kind !== 'Kustomization' || splitApiVersion(String(r.apiVersion ?? '')).group !== KUSTOMIZATION_GROUP) {
    findings.push(finding('error', 'not-a-flux-kustomization', 'the root is not a Flux Kustomization (kustomize.toolkit.fluxcd.io)'))
  }
  const spec = isObj(r.spec) ? r.spec : {}
  const extraNs = typeof spec.targetNamespace === 'string' ? [spec.targetNamespace] : []
  const list = Array.isArray(spec.patches) ? spec.patches : []
  let current: unknown = child
  const applied: number[] = []

  list.forEach((entry, i) => {
    const at: FindingPath = ['spec', 'patches', i]
    if (!isObj(entry)) return
    let patch = entry.patch
    if (typeof patch === 'string') {
      if (!options.parse) {
        findings.push(finding('error', 'patch-not-parsed', `patch ${i} is text; pass a parser to evaluate it`, { path: [...at, 'patch'] }))
        return
      }
      patch = options.parse(patch)
    }
    const target = isObj(entry.target) ? (entry.target as PatchTarget) : implicitTarget(patch)
    if (!target) {
      findings.push(finding('error', 'patch-without-target', `patch ${i} has no target and names no resource`, { path: at }))
      return
    }
    const m = matchesTarget(target, current, [...at, 'target'], extraNs)
    findings.push(...m.findings)
    if (!m.matches) return
    applied.push(i)
    if (Array.isArray(patch)) {
      const j = applyJsonPatch(current, patch, [...at, 'patch'])
      findings.push(...j.findings)
      current = j.result
    } else if (isObj(patch)) {
      const s = strategicMerge(current, bodyOf(patch), [...at, 'patch'])
      findings.push(...s.findings)
      current = s.result
    } else {
      findings.push(finding('error', 'patch-not-parsed', `patch ${i} is neither a map nor a list of operations`, { path: [...at, 'patch'] }))
    }
  })

  const before = postBuildOf(child)
  const after = postBuildOf(current)
  findings.push(...after.findings)
  const injected = JSON.stringify({ ...before, findings: [] }) !== JSON.stringify({ ...after, findings: [] })
  const out: Injection = { substituteFrom: after.substituteFrom, substitute: after.substitute, patches: applied, injected, findings }
  if (after.decryption) out.decryption = after.decryption
  return out
}

/** Without a target, a strategic-merge patch selects the resource it names. */
function implicitTarget(patch: unknown): PatchTarget | undefined {
  if (!isObj(patch) || typeof patch.kind !== 'string' || !isObj(patch.metadata) || typeof patch.metadata.name !== 'string') return undefined
  const { group, version } = splitApiVersion(String(patch.apiVersion ?? ''))
  const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  // `(?:)` matches only the empty (core) group, where an empty field would match any.
  const t: PatchTarget = { group: group === '' ? '(?:)' : esc(group), kind: esc(patch.kind), name: esc(patch.metadata.name) }
  if (version) t.version = esc(version)
  if (typeof patch.metadata.namespace === 'string') t.namespace = esc(patch.metadata.namespace)
  return t
}

/** Kustomize points a targeted patch at each selected resource, so its identity fields do not apply. */
function bodyOf(patch: Obj): Obj {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = patch
  if (!isObj(metadata)) return rest
  const { name: _n, namespace: _ns, ...meta } = metadata
  return Object.keys(meta).length > 0 ? { ...rest, metadata: meta } : rest
}

/** RFC 6902 `add`, `replace` and `remove`; other operations are reported, not applied. */
function applyJsonPatch(doc: unknown, ops: unknown[], path: FindingPath): { result: unknown; findings: Finding[] } {
  const findings: Finding[] = []
  let result = structuredClone(doc)
  ops.forEach((op, i) => {
    const o = isObj(op) ? op : {}
    const tokens = typeof o.path === 'string' ? o.path.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~')) : undefined
    if (!tokens || !['add', 'replace', 'remove'].includes(String(o.op))) {
      findings.push(finding('warning', 'patch-op-not-evaluated', `JSON patch operation \`${String(o.op)}\` was not evaluated`, { path: [...path, i] }))
      return
    }
    if (tokens.length === 0) {
      result = o.op === 'remove' ? undefined : structuredClone(o.value)
      return
    }
    let parent: unknown = result
    for (const t of tokens.slice(0, -1)) parent = Array.isArray(parent) ? parent[Number(t)] : isObj(parent) ? parent[t] : undefined
    const last = tokens[tokens.length - 1]
    const value = structuredClone(o.value)
    if (Array.isArray(parent)) {
      const idx = last === '-' ? parent.length : Number(last)
      if (o.op === 'add') parent.splice(idx, 0, value)
      else if (o.op === 'replace') parent[idx] = value
      else parent.splice(idx, 1)
    } else if (isObj(parent)) {
      if (o.op === 'remove') delete parent[last]
      else parent[last] = value
    } else {
      findings.push(finding('error', 'patch-op-failed', `JSON patch path \`${String(o.path)}\` does not exist`, { path: [...path, i] }))
    }
  })
  return { result, findings }
}
