/** Reading HelmRepository manifests and finding the one a `chart.spec.sourceRef` names. */
import { finding, isRecord, type Finding } from './findings.ts'
import type { HelmRepositoryInfo } from './resolve.ts'
import { closest } from './url.ts'

/**
 * Flattens a HelmRepository manifest (`metadata` + `spec`) into a {@link HelmRepositoryInfo}; undefined when the
 * object is not a HelmRepository with a name.
 */
export function helmRepositoryInfo(manifest: unknown): HelmRepositoryInfo | undefined {
  if (!isRecord(manifest) || manifest.kind !== 'HelmRepository' || !isRecord(manifest.metadata)) return undefined
  const { name, namespace } = manifest.metadata
  if (typeof name !== 'string') return undefined
  const spec = isRecord(manifest.spec) ? manifest.spec : {}
  const info: HelmRepositoryInfo = { ...spec, name, url: typeof spec.url === 'string' ? spec.url : '' }
  if (typeof namespace === 'string') info.namespace = namespace
  if (typeof spec.type === 'string') info.type = spec.type
  return info
}

const qualified = (r: { name: string; namespace?: string }) => (r.namespace ? `${r.namespace}/${r.name}` : r.name)

/**
 * The repository named by a sourceRef. `namespace` is the sourceRef's, else the HelmRelease's; when both are
 * unknown (a Flux Kustomization sets it later) the name alone must be unique.
 */
export function findHelmRepository(
  repos: readonly HelmRepositoryInfo[],
  name: string,
  namespace: string | undefined,
): { repo: HelmRepositoryInfo } | { error: Finding } {
  const hits = repos.filter((r) => r.name === name && (namespace === undefined || r.namespace === undefined || r.namespace === namespace))
  const wanted = namespace ? `${namespace}/${name}` : name
  if (hits.length === 1) return { repo: hits[0] }
  if (hits.length > 1) {
    return {
      error: finding('error', 'helmrepository-ambiguous', `HelmRepository ${wanted} matches ${hits.map(qualified).join(' and ')}`, {
        hint: 'set chart.spec.sourceRef.namespace',
      }),
    }
  }
  const known = [...new Set(repos.map(qualified))].sort()
  const guess = closest(name, [...new Set(repos.map((r) => r.name))])
  return {
    error: finding(
      'error',
      'helmrepository-not-found',
      `HelmRepository ${wanted} not found; known: ${known.length > 0 ? known.join(', ') : 'none'}`,
      { hint: guess ? `did you mean ${guess}?` : 'check chart.spec.sourceRef, or pass the directory that holds the HelmRepositories' },
    ),
  }
}
