/**
 * Partial evaluation of Flux post-build substitution: variables with a known value are inlined, and every other
 * byte stays as written (escapes, unknown variables, their defaults, string functions), so that Flux, if it
 * still substitutes the result, reads the rest exactly as before.
 */
import { parseEnvsubst, scanVariables, type Expr } from './envsubst.ts'
import { finding, type Finding } from './finding.ts'

/** Options of {@link substitute}. */
export interface SubstituteOptions {
  /**
   * Replace an expression whose variable has no known value by its default, as Flux does for an unset
   * variable. Off by default: the variable may be defined where the text is deployed.
   */
  applyDefaults?: boolean
  /**
   * Double every `$` of an inserted value. Use it when Flux substitutes the result again: Flux reads `$$` as
   * `$`, so a value holding `$$` or `${` would otherwise change.
   */
  escapeValues?: boolean
}

/** The substituted text and what is left of the variables. */
export interface SubstituteResult {
  text: string
  /** Names still referenced (not escaped) in the result, in order of first appearance. */
  unresolved: string[]
  /** Names inlined at least once, in order of first replacement. */
  replaced: string[]
  /** Notices about what was left alone or may read differently; they name variables, never values. */
  findings: Finding[]
}

/**
 * Inlines the variables of `values` into `text`.
 *
 * A known variable is inlined wherever it occurs, inside the default of an unknown one too: the default only
 * matters where the outer variable is unset, and there the known value is what Flux would have used.
 * `${v:-d}` with a known empty `v` becomes the (itself substituted) default `d`; `${v-d}` becomes the empty
 * value. Uses with a string function (`${v^^}`) or that Flux rejects are left as written.
 */
export function substitute(text: string, values: Readonly<Record<string, string>>, options: SubstituteOptions = {}): SubstituteResult {
  const replaced = new Set<string>()
  const findings: Finding[] = []
  const warned = new Set<string>()
  const warnOnce = (key: string, f: Finding): void => {
    if (warned.has(key)) return
    warned.add(key)
    findings.push(f)
  }
  const known = (name: string): boolean => Object.hasOwn(values, name)

  const insert = (name: string): string => {
    replaced.add(name)
    const v = values[name]
    if (options.escapeValues) return v.replaceAll('$', () => '$$')
    if (v.includes('$$') || v.includes('${')) {
      warnOnce(`dollar:${name}`, finding('warning', 'value-has-dollar', `the value of \`${name}\` contains \`$$\` or \`\${\`, which Flux rewrites if it substitutes this text again`, {
        hint: 'pass escapeValues when the result is still subject to post-build substitution',
      }))
    }
    return v
  }

  const render = (exprs: readonly Expr[], from: number, to: number): string => {
    let out = ''
    let pos = from
    for (const e of exprs) {
      out += text.slice(pos, e.use.start) + renderExpr(e)
      pos = e.use.end
    }
    return out + text.slice(pos, to)
  }

  const argOf = (e: Expr): string => render(e.children, e.argStart!, e.argEnd!)

  const renderExpr = (e: Expr): string => {
    const u = e.use
    const verbatim = text.slice(u.start, u.end)
    if (u.problem) return verbatim
    if (u.func) {
      if (known(u.name)) {
        warnOnce(`func:${u.name}:${u.func}`, finding('warning', 'function-not-inlined', `\`\${${u.name}${u.func}…}\` applies a string function; it was left as written`, {
          hint: `inline the result by hand, or keep \`${u.name}\` defined where the text is deployed`,
        }))
      }
      return verbatim
    }
    if (known(u.name)) {
      const empty = values[u.name] === ''
      if ((u.operator === ':-' || u.operator === ':=') && empty) return applyDefault(e)
      return insert(u.name)
    }
    if (u.operator !== undefined && options.applyDefaults) return applyDefault(e)
    return keepDefault(e)
  }

  const keepDefault = (e: Expr): string => {
    if (e.argStart === undefined) return text.slice(e.use.start, e.use.end)
    return text.slice(e.use.start, e.argStart) + argOf(e) + text.slice(e.argEnd, e.use.end)
  }

  const applyDefault = (e: Expr): string => {
    // Flux unescapes `\}` and `\\` inside a default; rather than guess its exact rules, keep such defaults.
    if (e.use.default!.includes('\\')) {
      warnOnce(`backslash:${e.use.start}`, finding('warning', 'default-not-applied', `the default of \`${e.use.name}\` at offset ${e.use.start} contains a backslash; the expression was left as written`))
      return keepDefault(e)
    }
    return argOf(e)
  }

  const { exprs } = parseEnvsubst(text)
  const out = render(exprs, 0, text.length)
  const unresolved: string[] = []
  for (const u of scanVariables(out)) {
    if (!u.escaped && u.name !== '' && !unresolved.includes(u.name)) unresolved.push(u.name)
  }
  return { text: out, unresolved, replaced: [...replaced], findings }
}
