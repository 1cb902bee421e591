/**
 * The migrated ks.yaml's own substitution: sources of the legacy cluster-wide substitution are removed, and what
 * stays (per-app `substitute`, other sources) decides which variables Flux still renders in the app.
 */
import { type Resource, type SubstituteFromRef, type TransformContext, type WFile } from '../../src/transform-api.ts'
import type { LegacyVars } from './legacy-vars.ts'
import type { RenderedKs } from './rendered.ts'
import { isSopsDoc } from './scalars.ts'

const PB = ['spec', 'postBuild']

/** What a migrated Flux Kustomization still substitutes, and what the legacy one had. */
export interface VarScope {
  /** Variables its `postBuild.substitute` still defines. */
  kept: Set<string>
  /** `substituteFrom` sources it keeps (variables they define are unknown here). */
  keptFrom: SubstituteFromRef[]
  /** True when Flux still substitutes its output (at least one variable or source). */
  active: boolean
  /** True when Flux substituted its output on Bitty (false for a Kustomization that opted out of the root's patch). */
  legacyActive: boolean
  /** Per-app variables the legacy ks.yaml defined and the migration dropped, with their legacy values. */
  dropped: Record<string, string>
  /** Where a variable came from on Bitty (`Secret cluster-secrets (SOPS)`), if a legacy source defined it. */
  legacySource(name: string): string | undefined
}

/** True when a rendered manifest of `r` still holds a SOPS-encrypted document. */
export function rendersSops(ctx: TransformContext, r: RenderedKs): boolean {
  return r.files.some((f) => {
    const file = f.role === 'manifest' ? ctx.ws.file(f.path) : undefined
    return (file?.yaml?.docs ?? []).some((d) => isSopsDoc(d))
  })
}

/**
 * Removes from ks.yaml document `r` the substitution sources that were SOPS Secrets or injected by the legacy
 * root, and `decryption` when nothing it renders is encrypted any more; returns the scope that remains.
 */
export function cleanPostBuild(ctx: TransformContext, ks: WFile, r: RenderedKs, legacy: LegacyVars): VarScope {
  const { doc } = r
  const res: Resource = { file: ks, doc, ref: { apiVersion: doc.getString(['apiVersion']) ?? '', kind: 'Kustomization', name: r.name } }
  const inj = legacy.injection(r.index)
  if (inj?.injected && legacy.root) {
    const what = [...inj.substituteFrom.map((s) => `substituteFrom ${s.kind} ${s.name}`), ...(inj.decryption ? ['decryption'] : [])].join(', ')
    ctx.report({
      rule: 'injection-dropped',
      severity: 'info',
      message: `Bitty's root Kustomization ${legacy.root.name} (${legacy.root.file}) injected ${what} into ${r.name}; Chongus has no cluster-wide substitution, so its variables are inlined`,
      at: { resource: res, path: ['metadata', 'name'] },
    })
  }
  for (const f of inj?.findings ?? []) {
    if (f.severity !== 'info' && legacy.root) ctx.report({ rule: `root-${f.rule}`, severity: 'warning', message: `evaluating ${legacy.root.name}'s patches for ${r.name}: ${f.message}`, hint: f.hint, at: { file: legacy.root.file, span: legacy.root.doc.span(f.path ?? []) } })
  }
  const sources = [...(inj?.substituteFrom ?? []), ...legacy.rootFrom]
  const from = [...PB, 'substituteFrom']
  for (let i = doc.length(from) - 1; i >= 0; i--) {
    const ref = { kind: doc.getString([...from, i, 'kind']) ?? '', name: doc.getString([...from, i, 'name']) ?? '' }
    const src = legacy.source(ref)
    const injected = (inj?.injected && inj.substituteFrom.some((s) => s.kind === ref.kind && s.name === ref.name)) || legacy.rootFrom.some((s) => s.kind === ref.kind && s.name === ref.name)
    if (src?.sops || injected) {
      ctx.report({ rule: 'substitute-from-removed', severity: 'info', message: `postBuild.substituteFrom ${ref.kind} ${ref.name} removed: ${src?.sops ? 'a SOPS Secret' : 'a cluster-wide source'} Chongus does not have; its variables are inlined`, at: { resource: res, path: [...from, i] } })
      doc.delete([...from, i])
    }
  }
  if (doc.has(from) && doc.length(from) === 0) doc.delete(from)
  if (doc.has(['spec', 'decryption']) && !rendersSops(ctx, r)) {
    ctx.report({ rule: 'decryption-removed', severity: 'info', message: `spec.decryption removed from ${r.name}: nothing it renders is SOPS-encrypted`, at: { resource: res, path: ['spec', 'decryption'] } })
    doc.delete(['spec', 'decryption'])
  }
  if (doc.has(PB) && doc.keys(PB).length === 0) doc.delete(PB)

  const kept = new Set(doc.keys([...PB, 'substitute']))
  const keptFrom: SubstituteFromRef[] = []
  for (let i = 0; i < doc.length(from); i++) keptFrom.push({ kind: doc.getString([...from, i, 'kind']) ?? '', name: doc.getString([...from, i, 'name']) ?? '' })
  for (const ref of keptFrom) {
    ctx.report({ rule: 'substitute-from-kept', severity: 'warning', message: `postBuild.substituteFrom ${ref.kind} ${ref.name} is kept: the variables it defines are left to Flux`, hint: `make sure ${ref.kind} ${ref.name} exists on Chongus and defines every variable the app still uses`, at: { resource: res, path: [...PB, 'substituteFrom'] } })
  }
  const lk = ctx.app.kustomizations.find((k) => k.index === r.index)
  const dropped: Record<string, string> = {}
  for (const [k, v] of Object.entries(lk?.substitute ?? {})) if (!kept.has(k)) dropped[k] = v
  return {
    kept,
    keptFrom,
    active: kept.size > 0 || keptFrom.length > 0,
    // Without the root, what Bitty substituted is unknown: assume it did, as every app of the layout was.
    legacyActive: inj === undefined || legacy.root === undefined || inj.findings.some((f) => f.severity === 'error') || inj.substituteFrom.length > 0 || Object.keys(inj.substitute).length > 0,
    dropped,
    legacySource: (name) => describeSource(name, sources, legacy),
  }
}

/** The legacy source defining `name`, or a source whose keys could not be read (it may define it). */
export function describeSource(name: string, sources: readonly SubstituteFromRef[], legacy: LegacyVars): string | undefined {
  let unknown: string | undefined
  for (const ref of sources) {
    const src = legacy.source(ref)
    if (!src) unknown ??= `${ref.kind} ${ref.name} (not found under ${legacy.fluxDir})`
    else if (src.keys.includes(name)) return `${ref.kind} ${ref.name}${src.sops ? ' (SOPS)' : ''}`
  }
  return unknown
}
