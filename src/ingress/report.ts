import type { FindingPath, IngressFinding, Severity } from './types.ts'

/** Extra fields of a finding. */
export interface FindingExtra {
  hint?: string
  loss?: boolean
}

/**
 * Collects findings about one input object. Every message is prefixed with the object's name
 * (`Ingress default/sonarr`), and every path with the object's position inside its container.
 */
export class Reporter {
  constructor(
    readonly subject: string,
    private readonly base: FindingPath = [],
    /** Shared with other reporters when one result gathers several subjects. */
    readonly findings: IngressFinding[] = [],
  ) {}

  report(severity: Severity, rule: string, path: FindingPath, message: string, extra: FindingExtra = {}): void {
    const f: IngressFinding = { severity, rule, message: `${this.subject}: ${message}`, path: [...this.base, ...path] }
    if (extra.hint !== undefined) f.hint = extra.hint
    if (extra.loss) f.loss = true
    this.findings.push(f)
  }

  error(rule: string, path: FindingPath, message: string, extra?: FindingExtra): void {
    this.report('error', rule, path, message, extra)
  }

  warn(rule: string, path: FindingPath, message: string, extra?: FindingExtra): void {
    this.report('warning', rule, path, message, extra)
  }

  info(rule: string, path: FindingPath, message: string, extra?: FindingExtra): void {
    this.report('info', rule, path, message, extra)
  }

  get hasErrors(): boolean {
    return this.findings.some((f) => f.severity === 'error')
  }
}

/** The value as a string-keyed record, or undefined. */
export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
}

/** The value as an array, or an empty one. */
export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : []
}

/** Scalars as text: YAML parsed with the failsafe schema gives strings, other parsers numbers and booleans. */
export function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return undefined
}

/** A non-negative integer written as a number or a decimal string. */
export function asInt(v: unknown): number | undefined {
  const s = asText(v)?.trim()
  if (s === undefined || !/^\d{1,9}$/.test(s)) return undefined
  return Number(s)
}

/** True for `true`, `"true"` (any case). */
export function asBool(v: unknown): boolean {
  return asText(v)?.trim().toLowerCase() === 'true'
}

/** Inline code for messages. */
export function code(s: string): string {
  return `\`${s}\``
}
