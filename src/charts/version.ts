/**
 * Classifies a HelmRelease `chart.spec.version` into an OCIRepository `ref`. helm-controller and
 * source-controller read versions with Masterminds/semver; node-semver (npm's parser) covers the same grammar
 * except `,` as AND and `!=`, which are handled here before delegating.
 */
import semver from 'semver'
import { finding, type Finding } from './findings.ts'

/** An OCIRepository `spec.ref` as produced from a chart version. */
export type OciRef = { tag: string } | { semver: string }

/** How a version string is read: one release, a range, "anything", or not a version at all. */
export type VersionKind = 'exact' | 'range' | 'any' | 'invalid'

const NOT_EQUAL = /!=\s*([^\s,|]+)/g

/** True when `s` is a Masterminds constraint that node-semver can check once `,` and `!=` are accounted for. */
function isRange(s: string): boolean {
  return s.split('||').every((alt) => {
    let ok = true
    const rest = alt.replace(NOT_EQUAL, (_m, v: string) => {
      if (semver.validRange(v) === null) ok = false
      return ' '
    })
    if (!ok || rest.includes('!')) return false
    // An alternative reduced to nothing (`1.x || `) is a typo, not "any version".
    if (alt.trim() === '') return false
    return semver.validRange(rest.replace(/,/g, ' ')) !== null
  })
}

/**
 * Classifies a chart version. `exact`: one SemVer 2 release, optionally `v`-prefixed. `range`: any other
 * constraint. `any`: absent, empty, or a range matching every release (`*`, `x`, `>=0.0.0`). `invalid`: the rest.
 */
export function classifyVersion(version: string | undefined): VersionKind {
  if (version === undefined || version === '') return 'any'
  if (version !== version.trim()) return 'invalid'
  if (/^v?\d/.test(version) && semver.valid(version) !== null) return 'exact'
  if (!isRange(version)) return 'invalid'
  return semver.validRange(version.replace(/,/g, ' ')) === '*' && !version.includes('!=') ? 'any' : 'range'
}

/**
 * Maps a chart version to an OCIRepository ref.
 *
 * - exact (`3.7.3`, `v1.17.2`, `1.0.0-rc.1`) → `{tag}` verbatim, except that `+` becomes `_`: OCI tags cannot
 *   hold `+`, and Helm pushes `1.0.0+build` as tag `1.0.0_build` (an info finding says so);
 * - a range (`4.x`, `^4.0.0`, `>=1.0.0 <2.0.0`, `1.x || 2.x`) → `{semver}` verbatim;
 * - absent or `*` → `{semver: '*'}` and a warning: the release follows every new chart version;
 * - a match-everything range (`x`, `>=0.0.0`) → `{semver}` verbatim and the same warning;
 * - anything else (`latest`, `abc`, non-string) → an error finding.
 */
export function versionToRef(version: unknown): { ref: OciRef; notes: Finding[] } | { error: Finding } {
  if (version !== undefined && typeof version !== 'string') {
    return {
      error: finding('error', 'invalid-version', `chart version must be a string, got ${JSON.stringify(version)}`, {
        hint: 'quote the version in YAML, e.g. version: "1.10"',
      }),
    }
  }
  const kind = classifyVersion(version)
  if (kind === 'invalid') {
    return {
      error: finding('error', 'invalid-version', `chart version ${JSON.stringify(version)} is neither a SemVer release nor a SemVer range`, {
        hint: 'set an exact chart version (e.g. 1.2.3) or a range (e.g. 1.x); OCIRepository has no "latest" alias',
      }),
    }
  }
  if (kind === 'any') {
    const semverRef = version === undefined || version === '' ? '*' : version
    const what = version === undefined || version === '' ? 'no chart version' : `chart version ${JSON.stringify(version)}`
    return {
      ref: { semver: semverRef },
      notes: [
        finding('warning', 'unpinned-chart-version', `${what}: the OCIRepository follows every new release (ref.semver: "${semverRef}")`, {
          hint: 'pin the version in use as ref.tag so upgrades go through review (and Renovate)',
        }),
      ],
    }
  }
  if (kind === 'range') return { ref: { semver: version! }, notes: [] }
  const tag = version!.replace(/\+/g, '_')
  const notes =
    tag === version
      ? []
      : [finding('info', 'oci-tag-build-metadata', `chart version ${version} is published as OCI tag ${tag} (OCI tags cannot contain "+")`)]
  return { ref: { tag }, notes }
}
