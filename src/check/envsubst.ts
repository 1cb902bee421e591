/**
 * Flux's post-build substitution syntax (`fluxcd/pkg` envsubst): `${VAR}`, defaults `${VAR:-d}` `${VAR:=d}`
 * `${VAR-d}` `${VAR=d}` (nested ones included), `$${VAR}` printing `${VAR}`; a bare `$VAR` is left alone.
 */

/** A variable a text would need, at an offset of that text. */
export interface VariableUse {
  name: string
  offset: number
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/

/** Index of the `}` closing the `${` that starts at `open`, or -1. */
function closing(s: string, open: number): number {
  let depth = 0
  for (let i = open; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '$') {
      i++
      continue
    }
    if (s[i] === '$' && s[i + 1] === '{') {
      depth++
      i++
    } else if (s[i] === '}') {
      depth--
      if (depth === 0) return i
    }
  }
  return -1
}

/**
 * Variables of `s` that substitution evaluates and `defined` does not define, and that have no default. A default
 * is only evaluated (and so only needs its own variables) when its variable is undefined.
 */
export function missingVariables(s: string, defined: (name: string) => boolean, base = 0): VariableUse[] {
  const out: VariableUse[] = []
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '$') continue
    if (s[i + 1] === '$') {
      i++
      continue
    }
    if (s[i + 1] !== '{') continue
    const end = closing(s, i)
    if (end < 0) break
    const inner = s.slice(i + 2, end)
    const m = NAME.exec(inner)
    if (m) {
      const name = m[0]
      const rest = inner.slice(name.length)
      const op = /^(:-|:=|-|=)/.exec(rest)
      if (op) {
        if (!defined(name)) out.push(...missingVariables(rest.slice(op[0].length), defined, base + i + 2 + name.length + op[0].length))
      } else if (!defined(name)) out.push({ name, offset: base + i })
    }
    i = end
  }
  return out
}

/** Applies substitution like Flux: defined values, then defaults; undefined variables without default stay as written. */
export function substitute(s: string, values: Readonly<Record<string, string>>): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '$') {
      out += '$'
      i++
      continue
    }
    if (s[i] !== '$' || s[i + 1] !== '{') {
      out += s[i]
      continue
    }
    const end = closing(s, i)
    if (end < 0) return out + s.slice(i)
    const inner = s.slice(i + 2, end)
    const m = NAME.exec(inner)
    const rest = m ? inner.slice(m[0].length) : ''
    const op = /^(:-|:=|-|=)/.exec(rest)
    if (!m || (!op && rest !== '')) out += s.slice(i, end + 1)
    else {
      const v = values[m[0]]
      const emptyCounts = op !== null && op[0].startsWith(':')
      if (v !== undefined && !(emptyCounts && v === '')) out += v
      else if (op) out += substitute(rest.slice(op[0].length), values)
      else out += s.slice(i, end + 1)
    }
    i = end
  }
  return out
}
