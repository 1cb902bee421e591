import { describe, expect, it } from 'vitest'
import { YamlFile } from '../../src/document.ts'

describe('YamlDoc.getTyped', () => {
  it('reads scalars as Kubernetes does: plain numbers and booleans typed, quoted ones strings, octal in YAML 1.1', () => {
    const y = new YamlFile('a: 8080\nb: "8080"\nc: true\nd: \'true\'\ne: 0644\nf: ${X}\ng: |\n  line\nh: 1.50\ni: ~\nj: [1, "2"]\n')
    const t = y.docs[0].getTyped()
    expect(t.value).toEqual({ a: 8080, b: '8080', c: true, d: 'true', e: 420, f: '${X}', g: 'line\n', h: 1.5, i: null, j: [1, '2'] })
    expect(t.respelled).toEqual([
      { path: ['e'], source: '0644', value: 420 },
      { path: ['h'], source: '1.50', value: 1.5 },
    ])
    expect(t.ambiguous).toEqual([])
  })

  it('lists plain scalars YAML 1.1 and 1.2 read differently and keeps them as text', () => {
    const t = new YamlFile('a: yes\nb: on\nc: 1_000\nd: "yes"\n').docs[0].getTyped()
    expect(t.value).toEqual({ a: 'yes', b: 'on', c: '1_000', d: 'yes' })
    expect(t.ambiguous.map((x) => x.path)).toEqual([['a'], ['b'], ['c']])
  })

  it('follows aliases', () => {
    expect(new YamlFile('a: &x {p: 1}\nb: *x\n').docs[0].getTyped().value).toEqual({ a: { p: 1 }, b: { p: 1 } })
  })
})
