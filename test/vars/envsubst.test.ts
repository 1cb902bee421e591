import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { isVariableName, scanVariables, variableFindings, type Use } from '../../src/vars/envsubst.ts'

/** The fields a test cares about, plus the exact source text of the span. */
function brief(text: string, u: Use): Record<string, unknown> {
  const o: Record<string, unknown> = { name: u.name, text: text.slice(u.start, u.end), depth: u.depth }
  if (u.escaped) o.escaped = true
  for (const k of ['operator', 'default', 'func', 'problem', 'token'] as const) if (u[k] !== undefined) o[k] = u[k]
  return o
}
const scan = (text: string) => scanVariables(text).map((u) => brief(text, u))

describe('scanVariables', () => {
  it('finds a plain reference with exact offsets', () => {
    const text = 'host: app.${SECRET_DOMAIN}\n'
    const [u] = scanVariables(text)
    expect(u).toEqual({ name: 'SECRET_DOMAIN', start: 10, end: 26, escaped: false, depth: 0 })
    expect(text.slice(u.start, u.end)).toBe('${SECRET_DOMAIN}')
  })

  it('finds several references on one line and across lines', () => {
    expect(scan('${A}${B}\n x ${C} ${A}')).toEqual([
      { name: 'A', text: '${A}', depth: 0 },
      { name: 'B', text: '${B}', depth: 0 },
      { name: 'C', text: '${C}', depth: 0 },
      { name: 'A', text: '${A}', depth: 0 },
    ])
  })

  it.each([
    [':-', '${TZ:-UTC}', 'UTC'],
    [':=', '${TZ:=UTC}', 'UTC'],
    ['-', '${TZ-UTC}', 'UTC'],
    ['=', '${TZ=UTC}', 'UTC'],
  ])('reads the %s default operator', (operator, text, def) => {
    expect(scan(text)).toEqual([{ name: 'TZ', text, depth: 0, operator, default: def }])
  })

  it('keeps an empty default and defaults with spaces, colons and braces of other syntaxes', () => {
    expect(scan('${A:-}')).toEqual([{ name: 'A', text: '${A:-}', depth: 0, operator: ':-', default: '' }])
    expect(scan('${MODE:-a b:c}')[0]).toMatchObject({ default: 'a b:c' })
    expect(scan('${X:-{{ .y }}')[0]).toMatchObject({ default: '{{ .y ', text: '${X:-{{ .y }' })
  })

  it('reports nested defaults, outer first, with depths', () => {
    const text = 'v: ${A:-${B:-${C}}}!'
    expect(scan(text)).toEqual([
      { name: 'A', text: '${A:-${B:-${C}}}', depth: 0, operator: ':-', default: '${B:-${C}}' },
      { name: 'B', text: '${B:-${C}}', depth: 1, operator: ':-', default: '${C}' },
      { name: 'C', text: '${C}', depth: 2 },
    ])
  })

  it('reads a default made of text around a nested reference', () => {
    expect(scan('${HOST:-app.${SECRET_DOMAIN}:443}')).toEqual([
      { name: 'HOST', text: '${HOST:-app.${SECRET_DOMAIN}:443}', depth: 0, operator: ':-', default: 'app.${SECRET_DOMAIN}:443' },
      { name: 'SECRET_DOMAIN', text: '${SECRET_DOMAIN}', depth: 1 },
    ])
  })

  it('marks $${v} as escaped and never as a plain use', () => {
    const text = 'echo $${HOME} ${APP}'
    const uses = scanVariables(text)
    expect(uses.map((u) => brief(text, u))).toEqual([
      { name: 'HOME', text: '$${HOME}', depth: 0, escaped: true },
      { name: 'APP', text: '${APP}', depth: 0 },
    ])
    expect(uses[0].start).toBe(5)
  })

  it('reads what follows an escape as text, so a reference inside it is still live', () => {
    // Flux prints `${A:-` + B's value + `}`: the escape covers the `$` of A only.
    expect(scan('$${A:-${B}}')).toEqual([
      { name: 'A', text: '$${A:-${B}}', depth: 0, escaped: true, operator: ':-', default: '${B}' },
      { name: 'B', text: '${B}', depth: 0 },
    ])
  })

  it('pairs dollars from the left', () => {
    expect(scan('$$${A}')).toEqual([{ name: 'A', text: '${A}', depth: 0 }])
    expect(scan('$$$${A}')).toEqual([{ name: 'A', text: '$${A}', depth: 0, escaped: true }])
    expect(scan('$$$$$${A}')).toEqual([{ name: 'A', text: '$${A}', depth: 0, escaped: true }])
  })

  it('leaves $v, a lone $ and $$ without a brace alone', () => {
    expect(scanVariables('echo $HOME $ $1 $$PATH cost: 5$ {A} $ {B}')).toEqual([])
  })

  it('finds escapes inside a default', () => {
    expect(scan('${A:-$${B}}')).toEqual([
      // The escaped `{B` is text to Flux, so the first `}` closes A's default.
      { name: 'A', text: '${A:-$${B}', depth: 0, operator: ':-', default: '$${B' },
      { name: 'B', text: '$${B}', depth: 1, escaped: true },
    ])
  })

  it('lets a backslash protect a closing brace inside a default', () => {
    expect(scan('${A:-a\\}b}')).toEqual([{ name: 'A', text: '${A:-a\\}b}', depth: 0, operator: ':-', default: 'a\\}b' }])
  })

  it('does not treat a backslash as an escape outside a default', () => {
    expect(scan('\\${A}')).toEqual([{ name: 'A', text: '${A}', depth: 0 }])
  })

  it.each([
    ['${A:+x}', ':+'],
    ['${A:?x}', ':?'],
    ['${A+x}', '+'],
    ['${A?x}', '?'],
  ])('reports the unsupported operator in %s', (text, token) => {
    expect(scan(text)).toEqual([{ name: 'A', text, depth: 0, problem: 'unsupported-operator', token }])
  })

  it.each([
    ['${#A}', '#'],
    ['${A^}', '^'],
    ['${A^^}', '^^'],
    ['${A,}', ','],
    ['${A,,}', ',,'],
    ['${A:1}', ':'],
    ['${A:1:2}', ':'],
    ['${A#x}', '#'],
    ['${A##x}', '##'],
    ['${A%x}', '%'],
    ['${A%%x}', '%%'],
    ['${A/x/y}', '/'],
    ['${A//x/y}', '//'],
    ['${A/#x/y}', '/#'],
    ['${A/%x/y}', '/%'],
  ])('reads the string function in %s as a use of A', (text, func) => {
    expect(scan(text)).toEqual([{ name: 'A', text, depth: 0, func }])
  })

  it('reports references inside function arguments', () => {
    expect(scan('${A/x/${B}}')).toEqual([
      { name: 'A', text: '${A/x/${B}}', depth: 0, func: '/' },
      { name: 'B', text: '${B}', depth: 1 },
    ])
  })

  it.each([
    ['${}', '', 'bad-substitution'],
    ['${ A }', '', 'bad-substitution'],
    ['${@}', '', 'bad-substitution'],
    ['${1}', '1', 'invalid-name'],
    ['${9LIVES}', '9LIVES', 'invalid-name'],
    ['${a.b}', 'a', 'bad-substitution'],
    ['${arr[@]}', 'arr', 'bad-substitution'],
  ])('reports %s as a problem', (text, name, problem) => {
    const [u] = scanVariables(text)
    expect(u).toMatchObject({ name, problem, start: 0, end: text.length })
  })

  it('reports an unclosed reference and keeps finding later ones', () => {
    const text = 'a ${OPEN:-x ${B} and ${C'
    expect(scan(text)).toEqual([
      { name: 'OPEN', text: '${OPEN', depth: 0, problem: 'unclosed' },
      { name: 'B', text: '${B}', depth: 0 },
      { name: 'C', text: '${C', depth: 0, problem: 'unclosed' },
    ])
  })

  it('handles non-ASCII text around references with UTF-16 offsets', () => {
    const text = 'été ✓ 😀 ${A} ${Ä}'
    const uses = scanVariables(text)
    expect(text.slice(uses[0].start, uses[0].end)).toBe('${A}')
    expect(uses[1]).toMatchObject({ name: '', problem: 'bad-substitution', token: 'Ä' })
  })

  it('is total: spans are in bounds and slice to an expression starting with ${ or $${', () => {
    const alphabet = fc.constantFrom('$', '{', '}', ':', '-', '=', '+', '?', 'A', 'b', '_', '1', '\\', ' ', '\n', '#', '/')
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }).map((a) => a.join('')), (text) => {
        for (const u of scanVariables(text)) {
          expect(u.start).toBeGreaterThanOrEqual(0)
          expect(u.end).toBeLessThanOrEqual(text.length)
          expect(u.end).toBeGreaterThan(u.start)
          expect(text.slice(u.start, u.end).startsWith(u.escaped ? '$${' : '${')).toBe(true)
        }
      }),
    )
  })
})

describe('isVariableName', () => {
  it('follows the Flux name rule', () => {
    for (const ok of ['A', '_', '_A1', 'SECRET_DOMAIN', 'lower', 'IPv6_LOCAL']) expect(isVariableName(ok)).toBe(true)
    for (const bad of ['', '1A', 'A-B', 'A.B', 'Ä', ' A']) expect(isVariableName(bad)).toBe(false)
  })
})

describe('variableFindings', () => {
  it('turns each problem into an error that names the variable and never a default', () => {
    const text = '${A:+secret-default} ${1X} ${ } $${ESC:+ok} ${OPEN'
    const f = variableFindings(scanVariables(text))
    expect(f.map((x) => [x.severity, x.rule])).toEqual([
      ['error', 'unsupported-operator'],
      ['error', 'invalid-name'],
      ['error', 'bad-substitution'],
      ['error', 'unclosed'],
    ])
    expect(f[0].message).toContain('`${A…}`')
    expect(f[0].message).toContain('`:+`')
    expect(JSON.stringify(f)).not.toContain('secret-default')
  })

  it('says nothing about valid and escaped uses', () => {
    expect(variableFindings(scanVariables('${A} ${B:-x} $${C:+y} ${D^^}'))).toEqual([])
  })
})
