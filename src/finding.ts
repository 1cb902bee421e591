/**
 * The finding shape of the pure analyses (charts, variables, secrets, ingress): data, with the wording in `message`
 * and never a secret value. The transforms attach findings to a file and a node.
 */

/** A path of keys and indices inside a parsed object. */
export type KeyPath = readonly (string | number)[]

/** `error` = not migrated, `warning` = migrated but needs review, `info` = worth knowing. */
export type Severity = 'error' | 'warning' | 'info'

/** One problem or notice about an input. */
export interface Finding {
  severity: Severity
  /** Kebab-case rule id, e.g. `no-oci-location`. */
  rule: string
  message: string
  /** Key path inside the object the finding is about. */
  path?: KeyPath
  /** What the user can do about it. */
  hint?: string
  /** True when information is lost (a dropped field, an approximated meaning). */
  loss?: boolean
}

/** Builds a finding, leaving out the optional fields that are undefined (so `toEqual` stays exact). */
export function finding(severity: Severity, rule: string, message: string, extra: { path?: KeyPath; hint?: string; loss?: boolean } = {}): Finding {
  const f: Finding = { severity, rule, message }
  if (extra.path !== undefined) f.path = [...extra.path]
  if (extra.hint !== undefined) f.hint = extra.hint
  if (extra.loss) f.loss = true
  return f
}
