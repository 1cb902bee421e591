/**
 * Folds a kustomization's `images:` overrides into the image references they change, as kustomize applies them:
 * entry by entry, each matching images whose repository equals its `name`. An entry that matches nothing was
 * never applied; it is reported (with a "did you mean"), not folded. Digests fold as `<tag>@sha256:<hex>`.
 */
import { finding, isRecord, type Finding, type KeyPath } from './findings.ts'
import { closest } from './url.ts'

/** A kustomize `images:` entry. */
export interface KustomizeImage {
  name: string
  newName?: string
  newTag?: string
  digest?: string
}

/** An image reference found in HelmRelease values or a raw manifest, with the key path of its tag (or image). */
export interface ImageInUse {
  repository: string
  tag?: string
  path: KeyPath
}

/** The folded reference for one image in use, and the `images:` entries that produced it. */
export interface ImageFold {
  path: KeyPath
  repository: string
  tag?: string
  entries: number[]
}

const KNOWN_KEYS = new Set(['name', 'newName', 'newTag', 'digest'])
const DIGEST = /^sha256:[0-9a-f]{64}$/

function readEntry(e: unknown, i: number, findings: Finding[]): KustomizeImage | undefined {
  const path = ['images', i]
  if (!isRecord(e) || typeof e.name !== 'string' || e.name === '') {
    findings.push(finding('error', 'image-override-invalid', `images[${i}] has no name; it cannot be folded`, { path, loss: true }))
    return undefined
  }
  for (const k of Object.keys(e)) {
    if (!KNOWN_KEYS.has(k)) findings.push(finding('warning', 'image-override-field-dropped', `images[${i}].${k} is not folded into the values`, { path: [...path, k], loss: true }))
  }
  const out: KustomizeImage = { name: e.name }
  for (const k of ['newName', 'newTag', 'digest'] as const) {
    if (e[k] === undefined || e[k] === null) continue
    if (typeof e[k] !== 'string') {
      findings.push(finding('error', 'image-override-invalid', `images[${i}].${k} must be a string`, { path: [...path, k], loss: true }))
      return undefined
    }
    out[k] = e[k]
  }
  if (out.digest !== undefined && !DIGEST.test(out.digest)) {
    findings.push(finding('error', 'image-override-invalid', `images[${i}].digest must be sha256:<64 hex digits>, got ${out.digest}`, { path: [...path, 'digest'], loss: true }))
    return undefined
  }
  return out
}

/**
 * Plans the fold of `kustomizeImages` (the kustomization's `images:` value) into `imagesInUse`.
 * Returns the changed references and findings: an error or warning for each entry not folded (`loss: true`),
 * and a warning for every image, folded or not, that is not pinned to `@sha256:`.
 */
export function planImageOverrides(kustomizeImages: unknown, imagesInUse: readonly ImageInUse[]): { folds: ImageFold[]; findings: Finding[] } {
  const findings: Finding[] = []
  const state = imagesInUse.map((im) => ({ repository: im.repository, tag: im.tag, entries: [] as number[] }))
  const list = Array.isArray(kustomizeImages) ? kustomizeImages : []
  if (kustomizeImages !== undefined && kustomizeImages !== null && !Array.isArray(kustomizeImages)) {
    findings.push(finding('error', 'image-override-invalid', 'images: must be a list', { path: ['images'], loss: true }))
  }
  const seen = new Map<string, number>()
  list.forEach((raw, i) => {
    const e = readEntry(raw, i, findings)
    if (!e) return
    const path = ['images', i]
    const first = seen.get(e.name)
    if (first !== undefined) findings.push(finding('warning', 'image-override-duplicate', `images[${i}] repeats the name ${e.name} of images[${first}]; applied in order, as kustomize does`, { path }))
    else seen.set(e.name, i)
    if (e.newName === undefined && e.newTag === undefined && e.digest === undefined) {
      findings.push(finding('info', 'image-override-noop', `images[${i}] (${e.name}) sets neither newName, newTag nor digest`, { path, loss: true }))
      return
    }
    const hits = state.filter((s) => s.repository === e.name)
    if (hits.length === 0) {
      const guess = closest(e.name, [...new Set(state.map((s) => s.repository))])
      const wanted = [e.newName, e.newTag && `newTag: ${e.newTag}`, e.digest].filter(Boolean).join(', ')
      findings.push(
        finding('warning', 'image-override-unmatched', `images[${i}] (${e.name}) matches no image in use, so kustomize never applied it; it is not folded`, {
          path,
          loss: true,
          hint: `${guess ? `did you mean ${guess}? ` : ''}if the override (${wanted}) was intended, set it in the values by hand`,
        }),
      )
      return
    }
    for (const s of hits) {
      const tag = e.newTag ?? s.tag
      if (e.digest !== undefined && (tag === undefined || tag.startsWith('@'))) {
        findings.push(finding('warning', 'image-digest-without-tag', `images[${i}] pins ${e.name} to a digest but no tag is known; not folded`, { path, loss: true, hint: 'set newTag alongside digest' }))
        continue
      }
      s.repository = e.newName ?? s.repository
      s.tag = e.digest !== undefined ? `${tag!.replace(/@.*$/, '')}@${e.digest}` : tag
      s.entries.push(i)
    }
  })
  const folds: ImageFold[] = []
  state.forEach((s, k) => {
    const path = imagesInUse[k].path
    if (s.entries.length > 0) {
      const fold: ImageFold = { path, repository: s.repository, entries: s.entries }
      if (s.tag !== undefined) fold.tag = s.tag
      folds.push(fold)
    }
    if (!s.tag?.includes('@sha256:')) {
      findings.push(
        finding('warning', 'image-not-pinned', `image ${s.repository}${s.tag ? `:${s.tag}` : ''} is not pinned to a @sha256: digest`, {
          path,
          hint: 'Renovate resolves the digest after merge; or write <tag>@sha256:<digest> now',
        }),
      )
    }
  })
  return { folds, findings }
}
