/**
 * The finding shape shared by the variable and secret analyses. A finding is data: the wording lives in
 * `message`, and it never carries a variable's or a secret's value, only names and key paths.
 */

export type Severity = 'error' | 'warning' | 'info'

/** A key path into a parsed resource: map keys and sequence indexes. */
export type FindingPath = (string | number)[]

/** One problem or notice about an input. */
export interface Finding {
  severity: Severity
  /** Kebab-case rule id, e.g. `unsupported-operator`. */
  rule: string
  message: string
  path?: FindingPath
  hint?: string
  /** True when information is lost (a dropped field, an approximated meaning). */
  loss?: boolean
}

/** Builds a finding, leaving out the optional fields that are undefined (so `toEqual` stays exact). */
export function finding(
  severity: Severity,
  rule: string,
  message: string,
  extra: { path?: FindingPath; hint?: string; loss?: boolean } = {},
): Finding {
  const f: Finding = { severity, rule, message }
  if (extra.path !== undefined) f.path = [...extra.path]
  if (extra.hint !== undefined) f.hint = extra.hint
  if (extra.loss) f.loss = true
  return f
}
