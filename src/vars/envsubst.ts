/**
 * A scanner for Flux post-build substitution (`fluxcd/pkg` `envsubst`, a fork of `drone/envsubst`), written to
 * find every place a variable is referenced with exact offsets, not to render. It follows the controller's
 * lexer where it matters for positions:
 *
 * - `${v}`, `${v:-d}`, `${v:=d}` (unset or empty), `${v-d}`, `${v=d}` (unset); defaults nest (`${A:-${B}}`).
 * - `$$` is an escape: Flux prints one `$` and reads what follows as text, so `$${v}` prints `${v}`.
 * - `$v` (no braces) is plain text.
 * - The string functions Flux supports (`${#v}`, `${v^^}`, `${v:1:2}`, `${v/a/b}`, ...) are uses with `func`.
 * - `:+`, `:?`, `+`, `?`, malformed names and a missing `}` make Flux fail the build: they are uses with `problem`.
 *
 * Offsets are UTF-16 indexes into the text, so `text.slice(use.start, use.end)` is the expression.
 */
import { finding, type Finding } from './finding.ts'

/** Operators that supply a default value. */
export type DefaultOperator = ':-' | ':=' | '-' | '='

/** Why Flux would refuse to build an expression. */
export type UseProblem = 'unsupported-operator' | 'bad-substitution' | 'invalid-name' | 'unclosed'

/** One variable reference in a text. */
export interface Use {
  name: string
  /** Offset of the first `$`. */
  start: number
  /** Offset just past the closing `}` (for `unclosed`, just past the name). */
  end: number
  /** Raw source text of the default, nested expressions and backslashes included. */
  default?: string
  operator?: DefaultOperator
  /** Written `$${…}`: Flux prints it as `${…}` and never substitutes it. */
  escaped: boolean
  /** A supported string function other than a default: `#` (length), `^^`, `:` (substring), `/`, `%%`, ... */
  func?: string
  problem?: UseProblem
  /** The offending operator or character when `problem` is set. */
  token?: string
  /** 0 at top level, n inside n enclosing defaults or function arguments. */
  depth: number
}

/** A parsed expression: its use, the argument's offsets, and the expressions nested in the argument. */
export interface Expr {
  use: Use
  argStart?: number
  argEnd?: number
  children: Expr[]
}

/** Flux's rule for substitution variable names (ASCII, as Go's RE2 POSIX classes are). */
export const VARIABLE_NAME = /^[_A-Za-z][_A-Za-z0-9]*$/

/** True when `s` is a name Flux accepts for a substitution variable. */
export function isVariableName(s: string): boolean {
  return VARIABLE_NAME.test(s)
}

const DEFAULTS: readonly string[] = [':-', ':=', '-', '=']
const UNSUPPORTED: readonly string[] = [':+', ':?', '+', '?']
// Longest first, so that `^^` wins over `^` and `:-` over `:`.
const OPERATORS = [':-', ':=', ':+', ':?', '^^', ',,', '##', '%%', '//', '/#', '/%', ':', '-', '=', '+', '?', '^', ',', '#', '%', '/']
// Inside an argument, Flux's lexer lets a backslash protect these characters.
const ARG_ESCAPES = new Set(['}', '\\'])

interface Scan {
  exprs: Expr[]
  escapes: Use[]
  /** Offset of the `}` closing an argument, or -1 when the text ran out. */
  close: number
}

/** Parses `text` into a tree of expressions; escaped uses come separately, as they are text to Flux. */
export function parseEnvsubst(text: string): { exprs: Expr[]; escapes: Use[] } {
  const s = scan(text, 0, 0, false)
  return { exprs: s.exprs, escapes: s.escapes }
}

/** Every variable reference in `text`, nested ones included, ordered by start offset. */
export function scanVariables(text: string): Use[] {
  const { exprs, escapes } = parseEnvsubst(text)
  const out: Use[] = [...escapes]
  const walk = (list: Expr[]): void => {
    for (const e of list) {
      out.push(e.use)
      walk(e.children)
    }
  }
  walk(exprs)
  return out.sort((a, b) => a.start - b.start || a.depth - b.depth)
}

function scan(text: string, from: number, depth: number, inArg: boolean): Scan {
  const exprs: Expr[] = []
  const escapes: Use[] = []
  let i = from
  while (i < text.length) {
    const c = text[i]
    if (inArg && c === '\\' && ARG_ESCAPES.has(text[i + 1])) {
      i += 2
    } else if (inArg && c === '}') {
      return { exprs, escapes, close: i }
    } else if (c === '$' && text[i + 1] === '$') {
      if (text[i + 2] === '{') {
        // Parsed only to report the span; Flux goes on reading at the `{` as plain text.
        const shadow = parseExpr(text, i + 1, depth).expr.use
        escapes.push({ ...shadow, start: i, escaped: true })
      }
      i += 2
    } else if (c === '$' && text[i + 1] === '{') {
      const { expr, next, nested } = parseExpr(text, i, depth)
      exprs.push(expr)
      escapes.push(...nested)
      i = next
    } else {
      i++
    }
  }
  return { exprs, escapes, close: -1 }
}

interface Parsed {
  expr: Expr
  /** Where scanning resumes. */
  next: number
  /** Escaped uses found inside the argument. */
  nested: Use[]
}

/** Parses the expression whose `${` starts at `at`. */
function parseExpr(text: string, at: number, depth: number): Parsed {
  let j = at + 2
  let func: string | undefined
  if (text[j] === '#' && /[_A-Za-z0-9]/.test(text[j + 1] ?? '')) {
    func = '#'
    j++
  }
  const name = /^[_A-Za-z0-9]*/.exec(text.slice(j))![0]
  const k = j + name.length
  const use: Use = { name, start: at, end: k, escaped: false, depth }
  if (func) use.func = func
  if (name === '' || !isVariableName(name)) {
    use.problem = name === '' ? 'bad-substitution' : 'invalid-name'
    if (name === '') use.token = text[k] ?? ''
  }
  if (text[k] === '}') {
    use.end = k + 1
    return { expr: { use, children: [] }, next: k + 1, nested: [] }
  }
  if (k >= text.length) return unclosed(use, k)

  const op = func ? undefined : OPERATORS.find((o) => text.startsWith(o, k))
  if (op === undefined) {
    if (!use.problem) {
      use.problem = 'bad-substitution'
      use.token = text[k]
    }
    return closeArg(text, use, k, k, depth)
  }
  if (DEFAULTS.includes(op)) use.operator = op as DefaultOperator
  else if (UNSUPPORTED.includes(op)) {
    use.problem ??= 'unsupported-operator'
    use.token ??= op
  } else use.func = op
  return closeArg(text, use, k, k + op.length, depth)
}

function closeArg(text: string, use: Use, nameEnd: number, argStart: number, depth: number): Parsed {
  const inner = scan(text, argStart, depth + 1, true)
  if (inner.close < 0) return unclosed(use, nameEnd)
  use.end = inner.close + 1
  if (use.operator) use.default = text.slice(argStart, inner.close)
  return { expr: { use, argStart, argEnd: inner.close, children: inner.exprs }, next: inner.close + 1, nested: inner.escapes }
}

function unclosed(use: Use, nameEnd: number): Parsed {
  // Flux fails on the missing brace; scanning resumes after the name so later references are still found.
  const u: Use = { name: use.name, start: use.start, end: nameEnd, escaped: false, depth: use.depth, problem: 'unclosed' }
  return { expr: { use: u, children: [] }, next: nameEnd, nested: [] }
}

/** Findings for the uses Flux would reject (each fails the Kustomization's build). */
export function variableFindings(uses: readonly Use[]): Finding[] {
  const out: Finding[] = []
  for (const u of uses) {
    if (u.escaped || !u.problem) continue
    const ref = u.name ? `\`\${${u.name}…}\`` : 'a `${…}` expression'
    const at = `at offset ${u.start}`
    switch (u.problem) {
      case 'unsupported-operator':
        out.push(
          finding('error', 'unsupported-operator', `${ref} ${at} uses \`${u.token}\`, which Flux does not support`, {
            hint: 'Flux supports `:-`, `:=`, `-` and `=` defaults; write `$${…}` if the text is meant for another tool',
          }),
        )
        break
      case 'invalid-name':
        out.push(
          finding('error', 'invalid-name', `${ref} ${at}: variable names must match ${VARIABLE_NAME.source}`, {
            hint: 'write `$${…}` to keep the text literal',
          }),
        )
        break
      case 'unclosed':
        out.push(finding('error', 'unclosed', `${ref} ${at} has no closing \`}\``, { hint: 'write `$${` to keep the text literal' }))
        break
      case 'bad-substitution':
        out.push(
          finding('error', 'bad-substitution', `${ref} ${at} is not a valid substitution`, {
            hint: 'write `$${…}` to keep the text literal, or label the resource `kustomize.toolkit.fluxcd.io/substitute: disabled`',
          }),
        )
        break
    }
  }
  return out
}
