/**
 * Inlining the variables of one text as Flux would have rendered them on Bitty, keeping what the Chongus
 * Kustomization still substitutes. Where no substitution remains (`active` false), Flux will not touch the text
 * at all, so defaults are applied and `$$` escapes are unwrapped to keep the rendered output the same.
 */
import { parseEnvsubst, scanVariables, substitute, variableFindings, type Expr, type VarFinding } from '../../src/transform-api.ts'

/** What becomes of one variable. */
export type Resolution =
  | { kind: 'keep' }
  | { kind: 'value'; value: string }
  | { kind: 'missing'; source?: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'shared' }

/** Why a use cannot be migrated. */
export type BlockReason = 'missing' | 'refused' | 'function' | 'leftover' | 'shared'

export interface Blocked {
  name: string
  start: number
  end: number
  why: BlockReason
  resolution: Resolution
}

export interface InlineResult {
  /** The new text (the input when anything is blocked). */
  text: string
  blocked: Blocked[]
  /** Variables inlined with a value, and variables replaced by their default. */
  inlined: Map<string, number>
  defaults: Map<string, number>
  /** `$$` escapes unwrapped. */
  unescaped: number
  /** Expressions Flux rejects, in a text it still substitutes. */
  problems: { finding: VarFinding; start: number }[]
  warnings: VarFinding[]
}

const bump = (m: Map<string, number>, k: string): void => {
  m.set(k, (m.get(k) ?? 0) + 1)
}

/** Inlines the variables of `text`; `active` tells whether the Chongus Kustomization still substitutes it. */
export function inlineText(text: string, resolve: (name: string) => Resolution, active: boolean): InlineResult {
  const out: InlineResult = { text, blocked: [], inlined: new Map(), defaults: new Map(), unescaped: 0, problems: [], warnings: [] }
  if (!text.includes('$')) return out
  const values: Record<string, string> = {}
  const block = (e: Expr, why: BlockReason, resolution: Resolution): void => {
    out.blocked.push({ name: e.use.name, start: e.use.start, end: e.use.end, why, resolution })
  }
  const walk = (list: readonly Expr[]): void => {
    for (const e of list) {
      const u = e.use
      if (u.problem) {
        if (active) for (const f of variableFindings([u])) out.problems.push({ finding: f, start: u.start })
        continue
      }
      const r = resolve(u.name)
      if (u.func) {
        if (r.kind !== 'keep') block(e, r.kind === 'shared' ? 'shared' : 'function', r)
        continue
      }
      if (r.kind === 'keep') continue
      if (r.kind === 'value') {
        values[u.name] = r.value
        bump(out.inlined, u.name)
        if (r.value === '' && (u.operator === ':-' || u.operator === ':=')) walk(e.children)
        continue
      }
      if (u.operator !== undefined && ((r.kind === 'missing' && r.source === undefined) || r.kind === 'shared')) {
        // Nothing defines it, so Flux uses the default, as it did on Bitty.
        if (!active) bump(out.defaults, u.name)
        walk(e.children)
        continue
      }
      block(e, r.kind === 'refused' ? 'refused' : r.kind === 'shared' ? 'shared' : 'missing', r)
    }
  }
  const { exprs } = parseEnvsubst(text)
  walk(exprs)
  if (out.blocked.length > 0) return { ...out, inlined: new Map(), defaults: new Map() }
  const res = substitute(text, values, { applyDefaults: !active, escapeValues: true })
  out.warnings.push(...res.findings.filter((f) => f.rule !== 'function-not-inlined'))
  if (active) {
    out.text = res.text
    return out
  }
  out.unescaped = countEscapes(text)
  out.text = res.text.replaceAll('$$', '$')
  // Read before unwrapping: `$${x}` is the user's literal text, a bare `${x}` would now stay unrendered.
  for (const u of scanVariables(res.text)) {
    if (!u.escaped && u.name !== '' && !u.problem) {
      out.blocked.push({ name: u.name, start: 0, end: 0, why: 'leftover', resolution: { kind: 'missing' } })
    }
  }
  return out.blocked.length > 0 ? { ...out, text, inlined: new Map(), defaults: new Map(), unescaped: 0 } : out
}

/** `$$` pairs Flux reads as one `$` (left to right, as its lexer does). */
function countEscapes(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') {
      n++
      i++
    }
  }
  return n
}
