import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { labelKeyError, matchesSelector, parseSelector } from '../../src/vars/label-selector.ts'

const DISABLED = 'substitution.flux.home.arpa/disabled'

describe('parseSelector', () => {
  it('parses every operator', () => {
    const p = parseSelector('a=1, b==2,c!=3 ,d in (x, y),e notin (z),f,!g,h>4,i<-5')
    expect(p).toEqual({
      ok: true,
      requirements: [
        { key: 'a', operator: '=', values: ['1'] },
        { key: 'b', operator: '==', values: ['2'] },
        { key: 'c', operator: '!=', values: ['3'] },
        { key: 'd', operator: 'in', values: ['x', 'y'] },
        { key: 'e', operator: 'notin', values: ['z'] },
        { key: 'f', operator: 'exists', values: [] },
        { key: 'g', operator: '!', values: [] },
        { key: 'h', operator: 'gt', values: ['4'] },
        { key: 'i', operator: 'lt', values: ['-5'] },
      ],
    })
  })

  it('reads the empty selector as selecting everything', () => {
    expect(parseSelector('')).toEqual({ ok: true, requirements: [] })
    expect(parseSelector('   ')).toEqual({ ok: true, requirements: [] })
  })

  it('reads prefixed keys and the Bitty selector', () => {
    expect(parseSelector(`${DISABLED} notin (true)`)).toEqual({ ok: true, requirements: [{ key: DISABLED, operator: 'notin', values: ['true'] }] })
  })

  it('reads empty values the way Kubernetes does', () => {
    expect(parseSelector('a=')).toMatchObject({ requirements: [{ key: 'a', operator: '=', values: [''] }] })
    expect(parseSelector('a in ()')).toMatchObject({ requirements: [{ key: 'a', operator: 'in', values: [''] }] })
    expect(parseSelector('a in (x,)')).toMatchObject({ requirements: [{ values: ['x', ''] }] })
  })

  it('accepts the keywords as keys and values', () => {
    expect(parseSelector('in in (notin)')).toEqual({ ok: true, requirements: [{ key: 'in', operator: 'in', values: ['notin'] }] })
  })

  it.each([
    ['a b', "found 'b'", 2],
    ['a in x', "found 'x', expected: '('", 5],
    ['a in (x y)', "found 'y'", 8],
    ['a in (x', "found 'end of string'", 7],
    ['!a=b', "found '='", 2],
    ['a,', "found 'end of string', expected: identifier after ','", 2],
    [',a', "found ','", 0],
    ['a>b', "found 'b', expected: an integer", 2],
    ['a=(', "found '('", 2],
    ['-bad=1', 'invalid label key `-bad`', 0],
    ['UPPER.example/x=1', 'invalid prefix', 0],
    ['a=not valid!', "found 'valid'", 6],
    [`a=${'v'.repeat(64)}`, 'invalid label value', 2],
  ])('rejects %j with a located error', (s, error, offset) => {
    const p = parseSelector(s)
    expect(p.ok).toBe(false)
    if (!p.ok) {
      expect(p.error).toContain(error)
      expect(p.offset).toBe(offset)
    }
  })
})

describe('matchesSelector', () => {
  it('selects every child without the opt-out label, and only the opted-out with true', () => {
    const s = `${DISABLED} notin (true)`
    expect(matchesSelector(s, {})).toBe(true)
    expect(matchesSelector(s, { 'app.kubernetes.io/name': 'x' })).toBe(true)
    expect(matchesSelector(s, { [DISABLED]: 'false' })).toBe(true)
    expect(matchesSelector(s, { [DISABLED]: 'true' })).toBe(false)
  })

  it.each([
    ['a=1', { a: '1' }, true],
    ['a=1', { a: '2' }, false],
    ['a=1', {}, false],
    ['a==1', { a: '1' }, true],
    ['a!=1', { a: '1' }, false],
    ['a!=1', { a: '2' }, true],
    ['a!=1', {}, true],
    ['a in (1,2)', { a: '2' }, true],
    ['a in (1,2)', { a: '3' }, false],
    ['a in (1,2)', {}, false],
    ['a notin (1,2)', { a: '3' }, true],
    ['a notin (1,2)', { a: '1' }, false],
    ['a', { a: '' }, true],
    ['a', {}, false],
    ['!a', {}, true],
    ['!a', { a: 'x' }, false],
    ['a=', { a: '' }, true],
    ['a=', {}, false],
    ['a>4', { a: '5' }, true],
    ['a>4', { a: '4' }, false],
    ['a>4', { a: 'five' }, false],
    ['a>4', {}, false],
    ['a<4', { a: '-1' }, true],
    ['a=1,b=2', { a: '1', b: '2' }, true],
    ['a=1,b=2', { a: '1' }, false],
    ['', { any: 'thing' }, true],
  ])('%s on %j is %s', (s, labels, expected) => {
    expect(matchesSelector(s, labels as Record<string, string>)).toBe(expected)
  })

  it('ignores inherited properties of the labels object', () => {
    expect(matchesSelector('constructor', {})).toBe(false)
    expect(matchesSelector('!toString', {})).toBe(true)
  })

  it('returns the parse error of an invalid selector', () => {
    expect(matchesSelector('a in', {})).toEqual({ error: "found 'end of string', expected: '('", offset: 4 })
  })

  it('treats comma as AND: a conjunction matches iff each part matches', () => {
    const key = fc.constantFrom('a', 'b', 'c')
    const val = fc.constantFrom('1', '2')
    const req = fc.oneof(
      fc.tuple(key, val).map(([k, v]) => `${k}=${v}`),
      fc.tuple(key, val).map(([k, v]) => `${k}!=${v}`),
      fc.tuple(key, val, val).map(([k, v, w]) => `${k} in (${v},${w})`),
      fc.tuple(key, val).map(([k, v]) => `${k} notin (${v})`),
      key,
      key.map((k) => `!${k}`),
    )
    const labels = fc.dictionary(key, val)
    fc.assert(
      fc.property(fc.array(req, { minLength: 1, maxLength: 4 }), labels, (reqs, l) => {
        expect(matchesSelector(reqs.join(','), l)).toBe(reqs.every((r) => matchesSelector(r, l) === true))
      }),
    )
  })

  it('negation pairs are complements', () => {
    fc.assert(
      fc.property(fc.constantFrom('a', 'b'), fc.constantFrom('1', '2'), fc.dictionary(fc.constantFrom('a', 'b'), fc.constantFrom('1', '2')), (k, v, l) => {
        expect(matchesSelector(`${k}=${v}`, l)).toBe(!matchesSelector(`${k}!=${v}`, l))
        expect(matchesSelector(`${k} in (${v})`, l)).toBe(!matchesSelector(`${k} notin (${v})`, l))
        expect(matchesSelector(k, l)).toBe(!matchesSelector(`!${k}`, l))
      }),
    )
  })
})

describe('labelKeyError', () => {
  it('accepts qualified names and rejects malformed ones', () => {
    for (const ok of ['a', 'app.kubernetes.io/name', 'A_b-c.d', 'x/y']) expect(labelKeyError(ok)).toBeUndefined()
    for (const bad of ['', '/a', 'a/', 'a/b/c', '_a', `${'a'.repeat(64)}`]) expect(labelKeyError(bad)).toBeDefined()
  })
})
