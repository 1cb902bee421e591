/**
 * Kubernetes label selectors in their string form (`k8s.io/apimachinery` `pkg/labels/selector.go`), as kustomize
 * evaluates a patch target's `labelSelector` and `annotationSelector`:
 *
 * ```
 * selector    := requirement ( "," requirement )*          (comma = AND; "" selects everything)
 * requirement := "!" KEY | KEY [ op VALUE | ("in"|"notin") "(" VALUE ("," VALUE)* ")" ]
 * op          := "=" | "==" | "!=" | ">" | "<"
 * ```
 *
 * `notin` and `!=` also select objects without the label; `>`/`<` compare integers.
 */

export type SelectorOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt'

/** One comma-separated clause of a selector. */
export interface Requirement {
  key: string
  operator: SelectorOperator
  values: string[]
}

/** A parsed selector, or the first error with its offset in the selector string. */
export type ParsedSelector = { ok: true; requirements: Requirement[] } | { ok: false; error: string; offset: number }

interface Token {
  kind: 'id' | ',' | '(' | ')' | '=' | '==' | '!=' | '!' | '>' | '<' | 'end'
  text: string
  offset: number
}

const SYMBOLS = ['==', '!=', '=', '!', '(', ')', ',', '>', '<'] as const
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

function lex(s: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < s.length) {
    if (/\s/.test(s[i])) {
      i++
      continue
    }
    const sym = SYMBOLS.find((x) => s.startsWith(x, i))
    if (sym) {
      out.push({ kind: sym, text: sym, offset: i })
      i += sym.length
      continue
    }
    const start = i
    while (i < s.length && !/\s/.test(s[i]) && !'=!(),<>'.includes(s[i])) i++
    out.push({ kind: 'id', text: s.slice(start, i), offset: start })
  }
  out.push({ kind: 'end', text: 'end of string', offset: s.length })
  return out
}

/** Why `key` is not a valid label key, or undefined. */
export function labelKeyError(key: string): string | undefined {
  const slash = key.indexOf('/')
  const name = slash < 0 ? key : key.slice(slash + 1)
  if (slash >= 0) {
    const prefix = key.slice(0, slash)
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) return `invalid prefix in label key \`${key}\``
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) return `invalid label key \`${key}\``
  return undefined
}

/** Why `value` is not a valid label value, or undefined. */
export function labelValueError(value: string): string | undefined {
  if (value === '') return undefined
  if (value.length > 63 || !NAME.test(value)) return `invalid label value \`${value}\``
  return undefined
}

class SelectorError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
  }
}

/** Parses a selector string; errors carry the offset of the offending token. */
export function parseSelector(selector: string): ParsedSelector {
  const toks = lex(selector)
  let p = 0
  const peek = (): Token => toks[p]
  const next = (): Token => toks[p++]
  const fail = (t: Token, expected: string): never => {
    throw new SelectorError(`found '${t.text}', expected: ${expected}`, t.offset)
  }
  const value = (t: Token): string => {
    const e = labelValueError(t.text)
    if (e) throw new SelectorError(e, t.offset)
    return t.text
  }

  const requirement = (): Requirement => {
    let t = next()
    const negated = t.kind === '!'
    if (negated) t = next()
    if (t.kind !== 'id') fail(t, 'identifier')
    const keyError = labelKeyError(t.text)
    if (keyError) throw new SelectorError(keyError, t.offset)
    const key = t.text
    if (negated) return { key, operator: '!', values: [] }
    const op = peek()
    if (op.kind === 'end' || op.kind === ',') return { key, operator: 'exists', values: [] }
    next()
    if (op.kind === 'id' && (op.text === 'in' || op.text === 'notin')) {
      if (next().kind !== '(') fail(toks[p - 1], "'('")
      const values: string[] = []
      // Kubernetes reads `()` and empty slots such as `(a,)` as the empty value.
      for (;;) {
        const v = peek()
        if (v.kind === 'id') values.push(value(next()))
        else values.push('')
        const sep = next()
        if (sep.kind === ')') break
        if (sep.kind !== ',') fail(sep, "',' or ')'")
      }
      return { key, operator: op.text, values: [...new Set(values)] }
    }
    const kinds: Record<string, SelectorOperator> = { '=': '=', '==': '==', '!=': '!=', '>': 'gt', '<': 'lt' }
    const operator = kinds[op.kind]
    if (!operator) fail(op, "'in', 'notin', '=', '==', '!=', '>', '<'")
    const v = peek()
    if (operator === 'gt' || operator === 'lt') {
      if (v.kind !== 'id' || !/^[-+]?\d+$/.test(v.text)) fail(v, 'an integer')
      return { key, operator, values: [next().text] }
    }
    if (v.kind === 'end' || v.kind === ',') return { key, operator, values: [''] }
    if (v.kind !== 'id') fail(v, 'identifier')
    return { key, operator, values: [value(next())] }
  }

  try {
    const requirements: Requirement[] = []
    if (peek().kind === 'end') return { ok: true, requirements }
    for (;;) {
      const t = peek()
      if (t.kind !== 'id' && t.kind !== '!') fail(t, "!, identifier, or 'end of string'")
      requirements.push(requirement())
      const sep = next()
      if (sep.kind === 'end') return { ok: true, requirements }
      if (sep.kind !== ',') fail(sep, "',' or 'end of string'")
      const after = peek()
      if (after.kind !== 'id' && after.kind !== '!') fail(after, "identifier after ','")
    }
  } catch (e) {
    if (e instanceof SelectorError) return { ok: false, error: e.message, offset: e.offset }
    throw e
  }
}

/** True when `labels` satisfy every requirement. */
export function matchesRequirements(requirements: readonly Requirement[], labels: Readonly<Record<string, string>>): boolean {
  return requirements.every((r) => {
    const has = Object.hasOwn(labels, r.key)
    const v = has ? labels[r.key] : undefined
    switch (r.operator) {
      case 'exists':
        return has
      case '!':
        return !has
      case 'in':
      case '=':
      case '==':
        return has && r.values.includes(v!)
      case 'notin':
      case '!=':
        return !has || !r.values.includes(v!)
      case 'gt':
      case 'lt': {
        if (!has || !/^[-+]?\d+$/.test(v!)) return false
        const a = BigInt(v!)
        const b = BigInt(r.values[0])
        return r.operator === 'gt' ? a > b : a < b
      }
    }
  })
}

/** Evaluates a selector string against labels; an invalid selector gives its parse error. */
export function matchesSelector(selector: string, labels: Readonly<Record<string, string>>): boolean | { error: string; offset: number } {
  const parsed = parseSelector(selector)
  if (!parsed.ok) return { error: parsed.error, offset: parsed.offset }
  return matchesRequirements(parsed.requirements, labels)
}
