/** A path of keys and indices inside a HelmRelease, HelmRepository or kustomization object. */
export type KeyPath = readonly (string | number)[]

/** Severity of a finding: `error` = not migrated, `warning` = migrated but needs review, `info` = worth knowing. */
export type Severity = 'error' | 'warning' | 'info'

/**
 * One diagnostic produced by the chart planner. Findings are data: the caller attaches them to a file and a node.
 * `loss` marks information that does not survive the migration.
 */
export interface Finding {
  severity: Severity
  /** Kebab-case rule id, e.g. `no-oci-location`. */
  rule: string
  message: string
  /** Key path inside the HelmRelease (or kustomization) the finding is about. */
  path?: KeyPath
  /** What the user can do about it. */
  hint?: string
  loss?: boolean
}

/** Builds a finding, omitting absent optional fields so results compare cleanly in tests. */
export function finding(
  severity: Severity,
  rule: string,
  message: string,
  extra: { path?: KeyPath; hint?: string; loss?: boolean } = {},
): Finding {
  const f: Finding = { severity, rule, message }
  if (extra.path !== undefined) f.path = extra.path
  if (extra.hint !== undefined) f.hint = extra.hint
  if (extra.loss) f.loss = true
  return f
}

/** Returns the findings with `path` set where they have none. */
export function atPath(findings: readonly Finding[], path: KeyPath): Finding[] {
  return findings.map((f) => (f.path === undefined ? { ...f, path } : f))
}

/** Plain-object check shared by the modules that read untyped manifests. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
