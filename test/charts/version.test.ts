import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { classifyVersion, versionToRef } from '../../src/charts/version.ts'

describe('classifyVersion', () => {
  it.each([
    ['3.7.3', 'exact'],
    ['v1.17.2', 'exact'],
    ['1.0.0-rc.1', 'exact'],
    ['1.0.0+build.5', 'exact'],
    ['0.0.1-alpha.0+sha.1234', 'exact'],
    ['4.x', 'range'],
    ['^4.0.0', 'range'],
    ['~1.2', 'range'],
    ['>=1.0.0 <2.0.0', 'range'],
    ['>=1.0.0, <2.0.0', 'range'],
    ['>= 1.2', 'range'],
    ['1.2.*', 'range'],
    ['1.x || 2.x', 'range'],
    ['1.2.3 - 2.3.4', 'range'],
    ['=1.2.3', 'range'],
    ['~>1.2', 'range'],
    ['1.2', 'range'],
    ['1', 'range'],
    ['v1.2', 'range'],
    ['>=1.0.0 !=1.2.3', 'range'],
    ['!=1.2.3', 'range'],
    [undefined, 'any'],
    ['', 'any'],
    ['*', 'any'],
    ['x', 'any'],
    ['>=0.0.0', 'any'],
    ['latest', 'invalid'],
    ['abc', 'invalid'],
    ['V1.2.3', 'invalid'],
    ['1.2.3.4', 'invalid'],
    ['01.2.3', 'invalid'],
    [' 1.2.3', 'invalid'],
    ['1.2.3 ', 'invalid'],
    ['1.x || ', 'invalid'],
    ['1.2.3 || latest', 'invalid'],
    ['!=latest', 'invalid'],
    ['>=1 !2', 'invalid'],
    ['v', 'invalid'],
  ] as const)('reads %j as %s', (input, kind) => {
    expect(classifyVersion(input)).toBe(kind)
  })
})

describe('versionToRef', () => {
  it('copies an exact version into ref.tag', () => {
    expect(versionToRef('3.7.3')).toEqual({ ref: { tag: '3.7.3' }, notes: [] })
    expect(versionToRef('v1.17.2')).toEqual({ ref: { tag: 'v1.17.2' }, notes: [] })
    expect(versionToRef('1.0.0-rc.1')).toEqual({ ref: { tag: '1.0.0-rc.1' }, notes: [] })
  })

  it('writes build metadata with "_" as Helm pushes it, and says so', () => {
    const r = versionToRef('1.0.0+build.5')
    expect(r).toMatchObject({ ref: { tag: '1.0.0_build.5' } })
    expect('notes' in r && r.notes.map((n) => [n.severity, n.rule])).toEqual([['info', 'oci-tag-build-metadata']])
  })

  it('copies a range into ref.semver', () => {
    for (const v of ['4.x', '^4.0.0', '>=1.0.0 <2.0.0', '1.2.*', '1.x || 2.x', '>=1.0.0, <2.0.0']) {
      expect(versionToRef(v)).toEqual({ ref: { semver: v }, notes: [] })
    }
  })

  it('follows every release when the version is absent or "*", with a warning', () => {
    for (const v of [undefined, '', '*']) {
      const r = versionToRef(v)
      expect(r).toMatchObject({ ref: { semver: '*' } })
      expect('notes' in r && r.notes.map((n) => [n.severity, n.rule])).toEqual([['warning', 'unpinned-chart-version']])
    }
  })

  it('keeps a match-everything range verbatim but warns', () => {
    const r = versionToRef('x')
    expect(r).toMatchObject({ ref: { semver: 'x' }, notes: [{ severity: 'warning', rule: 'unpinned-chart-version' }] })
  })

  it('rejects "latest" and other non-versions', () => {
    for (const v of ['latest', 'abc', 'stable']) {
      const r = versionToRef(v)
      expect(r).toMatchObject({ error: { severity: 'error', rule: 'invalid-version' } })
      expect('error' in r && r.error.message).toContain(JSON.stringify(v))
    }
  })

  it('rejects a version that is not a string (an unquoted 1.10 read as a number)', () => {
    expect(versionToRef(1.1)).toMatchObject({ error: { rule: 'invalid-version', hint: expect.stringContaining('quote') } })
  })

  const versionish = fc.oneof(
    fc.string(),
    fc.stringMatching(/^[v=^~<>!*xX0-9., |+-]{0,14}$/),
    fc.tuple(fc.nat(30), fc.nat(30), fc.nat(30), fc.constantFrom('', '-rc.1', '+b.7', '-0', '.x')).map(([a, b, c, s]) => `${a}.${b}.${c}${s}`),
  )

  it('classifies every string, and tag/semver outputs are copies of the input', () => {
    fc.assert(
      fc.property(versionish, (v) => {
        const kind = classifyVersion(v)
        expect(['exact', 'range', 'any', 'invalid']).toContain(kind)
        const r = versionToRef(v)
        expect('error' in r).toBe(kind === 'invalid')
        if (!('ref' in r)) return
        if ('tag' in r.ref) {
          expect(kind).toBe('exact')
          // The only rewrite: OCI tags cannot hold "+".
          expect(r.ref.tag).toBe(v.replace(/\+/g, '_'))
        } else {
          expect(r.ref.semver).toBe(v === '' ? '*' : v)
        }
      }),
      { numRuns: 2000 },
    )
  })
})
