export { finding, type Finding, type KeyPath, type Severity } from '../finding.ts'
import type { Finding, KeyPath } from '../finding.ts'

/** Returns the findings with `path` set where they have none. */
export function atPath(findings: readonly Finding[], path: KeyPath): Finding[] {
  return findings.map((f) => (f.path === undefined ? { ...f, path } : f))
}

/** Plain-object check shared by the modules that read untyped manifests. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
