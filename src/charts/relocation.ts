/**
 * Moves a chart URL to its maintained location when that does not change which chart release Flux installs.
 * A relocation splits the version line in three: only at the old location (A), at both (B), only at the new one
 * (C). A range resolves to its newest match, so moving is safe when it resolves inside B at both places, or when
 * the old location never held a match (the legacy release could not have resolved there).
 */
import semver from 'semver'
import { finding, type Finding } from './findings.ts'
import { RELOCATIONS, type Relocation } from './table.ts'
import { urlKey } from './url.ts'
import { classifyVersion } from './version.ts'

/** A version constraint in node-semver's grammar; `!=` clauses are dropped, which can only widen it. */
function asRange(version: string | undefined): string | undefined {
  const kind = classifyVersion(version)
  if (kind === 'invalid') return undefined
  if (kind === 'any') return '*'
  if (kind === 'exact') return semver.valid(version!)!
  return version!.replace(/!=\s*[^\s,|]+/g, ' ').replace(/,/g, ' ')
}

const meets = (range: string, part: string): boolean => semver.intersects(range, part)

/**
 * Applies the first relocation whose old URL is `url`.
 * @param version the HelmRelease's `chart.spec.version` (exact, range or absent); an invalid one leaves `url` as is.
 */
export function applyRelocation(
  url: string,
  version: string | undefined,
  relocations: readonly Relocation[] = RELOCATIONS,
): { url: string; notes: Finding[] } {
  const r = relocations.find((x) => urlKey(x.from) === urlKey(url))
  const range = asRange(version)
  if (!r || range === undefined) return { url, notes: [] }
  const onlyOld = meets(range, `<${r.firstAtTo}`)
  const both = meets(range, `>=${r.firstAtTo} <=${r.lastAtFrom}`)
  const onlyNew = meets(range, `>${r.lastAtFrom}`)
  const shown = version === undefined ? 'with no version' : version
  const notes: Finding[] = []
  let target = url
  if (!both && !onlyNew) {
    notes.push(
      finding('warning', 'chart-relocation-pending', `${r.chart} ${shown} exists only at the unmaintained ${r.from}; ${r.to} starts at ${r.firstAtTo}`, {
        hint: `keep ${r.from} for now; upgrading to ${r.firstAtTo} or later moves the chart to ${r.to}`,
      }),
    )
  } else if (!onlyNew || (!onlyOld && !both)) {
    target = r.to
    const where = both ? `is published at both ${r.from} and ${r.to}` : `was never published at ${r.from}; it lives at ${r.to}`
    notes.push(finding('info', 'chart-relocated', `${r.chart} ${shown} ${where} (moved ${r.since}); using ${r.to}`))
  } else {
    notes.push(
      finding(
        'warning',
        'chart-relocation-straddles',
        `${r.chart} ${shown} resolves to ${r.lastAtFrom} or older at ${r.from} but may pick a newer release at ${r.to}; keeping ${r.from}`,
        { hint: `pin chart.spec.version to the release in use (e.g. ${r.lastAtFrom}) to move to ${r.to} without an upgrade` },
      ),
    )
  }
  if (r.upgrade && !meets(range, `>=${r.upgrade.below}`)) {
    notes.push(finding('info', 'chart-upgrade-available', `${r.chart} ${shown}: ${r.upgrade.message}`))
  }
  return { url: target, notes }
}
