/** Diagnostics: data first (rule id, offsets), wording and line/column only at output. */
import type { KeyPath, Span } from './document.ts'
import { collate } from './paths.ts'

/** `error`: not migrated, nothing should be written; `warning`: migrated, review it; `info`: worth knowing. */
export type Severity = 'error' | 'warning' | 'info'

/** The identity of a Kubernetes resource. */
export interface ResourceRef {
  apiVersion: string
  kind: string
  namespace?: string
  name: string
}

/** A problem or a note about the migration, with its rule id and its position in the input repository. */
export interface Diagnostic {
  severity: Severity
  /** `<transform id>/<rule>`, e.g. `ks-layout/dependency-dropped`, or `yaml/DUPLICATE_KEY`. */
  ruleId: string
  message: string
  /** Repository-relative path of the file the finding is about (as it is in the input repository). */
  file?: string
  line?: number
  col?: number
  /** Key path inside the resource. */
  path?: KeyPath
  resource?: ResourceRef
  /** What the user must do. */
  hint?: string
  /** Information that does not survive the migration. */
  loss?: boolean
}

/** A finding as a transform reports it: located by file offsets, converted to line/column by the engine. */
export interface Finding {
  rule: string
  severity: Severity
  message: string
  hint?: string
  loss?: boolean
  file?: string
  span?: Span
  path?: KeyPath
  resource?: ResourceRef
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 }

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      collate(a.file ?? '', b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.col ?? 0) - (b.col ?? 0) ||
      ORDER[a.severity] - ORDER[b.severity] ||
      collate(a.ruleId, b.ruleId) ||
      collate(a.message, b.message),
  )
}

/** `path:line:col: severity rule message` (+ indented hint). */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.col ?? 1}` : ''}: ` : ''
  const hint = d.hint ? `\n    hint: ${d.hint}` : ''
  return `${where}${d.severity} ${d.ruleId} ${d.message}${hint}`
}

/** Formats diagnostics as `path:line:col: severity rule-id message` lines (plus a `hint:` line), sorted. */
export function formatDiagnostics(ds: Diagnostic[]): string {
  return sortDiagnostics(ds)
    .map((d) => formatDiagnostic(d) + '\n')
    .join('')
}

export function countBySeverity(ds: readonly Diagnostic[]): Record<Severity, number> {
  const c = { error: 0, warning: 0, info: 0 }
  for (const d of ds) c[d.severity]++
  return c
}
