/** Image references: kustomize `images:` overrides and app-template's `image {repository, tag}`. */
import type { KustomizeImage } from './types.ts'

/** An image reference split into repository, tag and digest. */
export interface ImageRef {
  repository: string
  tag?: string
  digest?: string
}

/** Splits `repo[:tag][@digest]` (a registry port `host:5000/x` is not a tag). */
export function parseImage(ref: string): ImageRef {
  let rest = ref
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
  }
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) return { repository: rest.slice(0, colon), tag: rest.slice(colon + 1), digest }
  return { repository: rest, digest }
}

/**
 * Applies kustomize `images:` to one image reference, as `kustomize build` does: the first entry whose `name` equals
 * the repository wins; `newName` replaces it, `newTag` the tag, `digest` the tag and digest.
 */
export function applyImages(ref: string, images: readonly KustomizeImage[]): { image: string; used?: number } {
  const img = parseImage(ref)
  const i = images.findIndex((e) => e.name === img.repository)
  if (i < 0) return { image: ref }
  const e = images[i]
  const repository = e.newName ?? img.repository
  if (e.digest) return { image: `${repository}@${e.digest}`, used: i }
  if (e.newTag !== undefined) return { image: `${repository}:${e.newTag}`, used: i }
  return { image: `${repository}${img.tag !== undefined ? `:${img.tag}` : ''}${img.digest ? `@${img.digest}` : ''}`, used: i }
}

/**
 * app-template's image values for a reference: the digest rides in the tag (`1.2@sha256:…`), which the chart joins
 * back as `repository:tag`. Undefined for a digest without a tag, which that join cannot spell.
 */
export function toImageValues(ref: string): { repository: string; tag: string; impliedLatest: boolean } | undefined {
  const img = parseImage(ref)
  if (img.tag === undefined && img.digest !== undefined) return undefined
  const tag = img.tag ?? 'latest'
  return { repository: img.repository, tag: img.digest ? `${tag}@${img.digest}` : tag, impliedLatest: img.tag === undefined }
}
