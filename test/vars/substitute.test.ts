import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { substitute } from '../../src/vars/substitute.ts'

const VALUES = { SECRET_DOMAIN: 'example.test', LOCAL_TZ: 'Etc/UTC', EMPTY: '' }

describe('substitute', () => {
  it('inlines known variables and keeps every other byte', () => {
    const text = '# ${SECRET_DOMAIN} in a comment\nhost: app.${SECRET_DOMAIN}\ntz: "${LOCAL_TZ}"\r\npath: ${APP}\n'
    const r = substitute(text, VALUES)
    expect(r.text).toBe('# example.test in a comment\nhost: app.example.test\ntz: "Etc/UTC"\r\npath: ${APP}\n')
    expect(r.unresolved).toEqual(['APP'])
    expect(r.replaced).toEqual(['SECRET_DOMAIN', 'LOCAL_TZ'])
    expect(r.findings).toEqual([])
  })

  it('returns the text unchanged when nothing is known', () => {
    const text = 'a ${A:-${B}} $${C} ${D^^} ${E:+x} $HOME ${OPEN'
    const r = substitute(text, {})
    expect(r.text).toBe(text)
    expect(r.unresolved).toEqual(['A', 'B', 'D', 'E', 'OPEN'])
    expect(r.replaced).toEqual([])
  })

  it('never substitutes an escape, even of a known variable', () => {
    expect(substitute('$${SECRET_DOMAIN} $$${SECRET_DOMAIN}', VALUES).text).toBe('$${SECRET_DOMAIN} $$example.test')
  })

  it('leaves $v alone', () => {
    expect(substitute('$SECRET_DOMAIN', VALUES).text).toBe('$SECRET_DOMAIN')
  })

  it('uses the known value over the default', () => {
    expect(substitute('${SECRET_DOMAIN:-other.test} ${SECRET_DOMAIN-x} ${SECRET_DOMAIN=x} ${SECRET_DOMAIN:=x}', VALUES).text).toBe(
      'example.test example.test example.test example.test',
    )
  })

  it('applies the default of a known empty variable for :- and := only', () => {
    const r = substitute('[${EMPTY:-d}] [${EMPTY:=d}] [${EMPTY-d}] [${EMPTY=d}] [${EMPTY}]', VALUES)
    expect(r.text).toBe('[d] [d] [] [] []')
  })

  it('substitutes inside the default it applies', () => {
    expect(substitute('${EMPTY:-app.${SECRET_DOMAIN}}', VALUES).text).toBe('app.example.test')
    expect(substitute('${EMPTY:-${UNKNOWN}}', VALUES)).toMatchObject({ text: '${UNKNOWN}', unresolved: ['UNKNOWN'] })
  })

  it('keeps the default of an unknown variable but inlines known variables inside it', () => {
    const r = substitute('${HOST:-app.${SECRET_DOMAIN}}', VALUES)
    expect(r.text).toBe('${HOST:-app.example.test}')
    expect(r.unresolved).toEqual(['HOST'])
  })

  it('applies defaults of unknown variables only when asked, recursively', () => {
    const text = 'tz: ${TZ:-${LOCAL_TZ}} a: ${A-${B:-b}} c: ${C}'
    expect(substitute(text, VALUES).text).toBe('tz: ${TZ:-Etc/UTC} a: ${A-${B:-b}} c: ${C}')
    const r = substitute(text, VALUES, { applyDefaults: true })
    expect(r.text).toBe('tz: Etc/UTC a: b c: ${C}')
    expect(r.unresolved).toEqual(['C'])
  })

  it('does not apply a default holding a backslash, and says so', () => {
    const r = substitute('${A:-x\\}y}', {}, { applyDefaults: true })
    expect(r.text).toBe('${A:-x\\}y}')
    expect(r.findings.map((f) => f.rule)).toEqual(['default-not-applied'])
  })

  it('leaves a string function of a known variable as written, with a warning', () => {
    const r = substitute('${SECRET_DOMAIN^^} ${SECRET_DOMAIN^^} ${OTHER,,}', VALUES)
    expect(r.text).toBe('${SECRET_DOMAIN^^} ${SECRET_DOMAIN^^} ${OTHER,,}')
    expect(r.unresolved).toEqual(['SECRET_DOMAIN', 'OTHER'])
    expect(r.findings).toHaveLength(1)
    expect(r.findings[0]).toMatchObject({ severity: 'warning', rule: 'function-not-inlined' })
  })

  it('leaves expressions Flux rejects as written', () => {
    const text = '${SECRET_DOMAIN:+x} ${SECRET_DOMAIN.x} ${SECRET_DOMAIN'
    expect(substitute(text, VALUES).text).toBe(text)
  })

  it('reads names as own keys only', () => {
    const r = substitute('${constructor} ${toString} ${__proto__}', { toString: 'ok' })
    expect(r.text).toBe('${constructor} ok ${__proto__}')
    expect(r.unresolved).toEqual(['constructor', '__proto__'])
  })

  it('warns when an inserted value would be rewritten by a later substitution, without quoting it', () => {
    const r = substitute('pw: ${P}', { P: 'a$$b' })
    expect(r.text).toBe('pw: a$$b')
    expect(r.findings).toHaveLength(1)
    expect(r.findings[0]).toMatchObject({ rule: 'value-has-dollar' })
    expect(JSON.stringify(r.findings)).not.toContain('a$$b')
  })

  it('doubles dollars of inserted values when asked', () => {
    const r = substitute('pw: ${P} ${Q}', { P: 'a$$b', Q: '${X}' }, { escapeValues: true })
    expect(r.text).toBe('pw: a$$$$b $${X}')
    expect(r.unresolved).toEqual([])
    expect(r.findings).toEqual([])
  })

  it('reports names that a value brings in when values are not escaped', () => {
    expect(substitute('${Q}', { Q: '${X}' }).unresolved).toEqual(['X'])
  })

  it('is the identity when no value is given', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('$', '{', '}', ':', '-', 'A', 'B', '\\', ' ', '+') }), (text) => {
        expect(substitute(text, {}).text).toBe(text)
      }),
    )
  })

  it('removes every plain use of a known variable and touches no other byte', () => {
    const piece = fc.constantFrom('${K}', '${K:-d}', '${U}', '$${K}', 'x', ' ', '$', '}', '\n')
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
        const text = pieces.join('')
        const out = substitute(text, { K: 'v' }).text
        const expected = text.replace(/\$\$|\$\{K(:-d)?\}/g, (m) => (m === '$$' ? '$$' : 'v'))
        expect(out).toBe(expected)
      }),
    )
  })
})
