/** HelmRelease settings Chongus gives every release (REFERENCE §8), and the schema-comment rewrite. */
import { finding, isRecord, type Finding, type KeyPath } from './findings.ts'

/** One setting to add; `value` is typed (a number or boolean must print plain, not quoted). */
export interface ReleaseDefault {
  readonly path: KeyPath
  readonly value: string | number | boolean
}

/** The Chongus release settings, added where a HelmRelease has none. */
export const RELEASE_DEFAULTS: readonly ReleaseDefault[] = [
  { path: ['spec', 'interval'], value: '1h' },
  { path: ['spec', 'install', 'remediation', 'retries'], value: -1 },
  { path: ['spec', 'upgrade', 'cleanupOnFail'], value: true },
  { path: ['spec', 'upgrade', 'remediation', 'retries'], value: 3 },
]

/**
 * The settings of {@link RELEASE_DEFAULTS} that `hr` lacks (all of them when `hr` is omitted). A setting present
 * with another value is kept, with an info finding; one whose parent is not a map cannot be added (warning).
 */
export function seedReleaseDefaults(hr?: unknown): { add: ReleaseDefault[]; notes: Finding[] } {
  const add: ReleaseDefault[] = []
  const notes: Finding[] = []
  for (const d of RELEASE_DEFAULTS) {
    let cur: unknown = hr
    let depth = 0
    for (; depth < d.path.length && isRecord(cur); depth++) cur = cur[d.path[depth] as string]
    const dotted = d.path.join('.')
    if (depth === d.path.length && cur !== undefined && cur !== null) {
      if (String(cur) !== String(d.value)) {
        notes.push(finding('info', 'release-default-differs', `${dotted} is ${String(cur)}; Chongus uses ${String(d.value)} (kept)`, { path: d.path }))
      }
    } else if (cur !== undefined && cur !== null && hr !== undefined) {
      notes.push(
        finding('warning', 'release-default-blocked', `cannot add ${dotted}: ${d.path.slice(0, depth).join('.')} is not a map`, { path: d.path.slice(0, depth) }),
      )
    } else {
      add.push(d)
    }
  }
  return { add, notes }
}

const SCHEMA_REWRITES: readonly { from: RegExp; to: string; why: string }[] = [
  {
    from: /raw\.githubusercontent\.com\/bjw-s\/helm-charts\//,
    to: 'raw.githubusercontent.com/bjw-s-labs/helm-charts/',
    why: 'the bjw-s charts moved to the bjw-s-labs organisation',
  },
  {
    from: /(kubernetes-schemas\.pages\.dev\/helm\.toolkit\.fluxcd\.io\/helmrelease_)v2beta[12](\.json)/,
    to: '$1v2$2',
    why: 'the HelmRelease is helm.toolkit.fluxcd.io/v2',
  },
]

/** A `v2beta*` HelmRelease schema on a host the rewrite does not know. */
const STALE_SCHEMA = /helmrelease[-_](helm-)?v2beta[12]/

/**
 * Decides the rewrite of a `yaml-language-server: $schema=` comment above a migrated HelmRelease: legacy
 * bjw-s schema URLs → bjw-s-labs, `kubernetes-schemas.pages.dev` `helmrelease_v2beta*` → `helmrelease_v2`. Any
 * other `v2beta*` HelmRelease schema is left alone with an info finding suggesting the v2 one.
 */
export function planSchemaComment(comment: string): { comment: string; changed: boolean; notes: Finding[] } {
  if (!/yaml-language-server:\s*\$schema/.test(comment)) return { comment, changed: false, notes: [] }
  let out = comment
  const notes: Finding[] = []
  for (const r of SCHEMA_REWRITES) {
    if (!r.from.test(out)) continue
    out = out.replace(r.from, r.to)
    notes.push(finding('info', 'schema-comment-updated', `schema comment updated: ${r.why}`))
  }
  if (STALE_SCHEMA.test(out)) {
    notes.push(
      finding('info', 'schema-comment-stale', 'the schema comment points at a v2beta HelmRelease schema', {
        hint: 'use $schema=https://kubernetes-schemas.pages.dev/helm.toolkit.fluxcd.io/helmrelease_v2.json',
      }),
    )
  }
  return { comment: out, changed: out !== comment, notes }
}
