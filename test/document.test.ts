import { describe, expect, it, vi } from 'vitest'
import fc from 'fast-check'
import { parse, parseDocument } from 'yaml'
import { YamlFile, mergePrint, needsQuotes, AliasValue, AnchoredValue, PlainValue } from '../src/document.ts'

const HR = `---
# yaml-language-server: $schema=https://example.com/hr.json
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: &app demo
spec:
  interval: 30m
  chart:
    spec:
      chart: app-template
      version: 3.7.3
  values:
    defaultMode: 0775
    tag: 61e9540
    zone: .
    enabled: yes
    caps: { drop: ["ALL"] }
    persistence:
      config:
        existingClaim: *app
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: other
data:
  key: 012345
`

describe('YamlFile', () => {
  it('re-renders an untouched file byte for byte', () => {
    const f = new YamlFile(HR)
    expect(f.problems).toEqual([])
    expect(f.render()).toBe(HR)
    expect(f.changed).toBe(false)
  })

  it('keeps CRLF line ends and a BOM', () => {
    const raw = '\uFEFF' + HR.replace(/\n/g, '\r\n')
    const f = new YamlFile(raw)
    expect(f.render()).toBe(raw)
    f.docs[1].set(['data', 'key2'], 'x')
    expect(f.render()).toBe('\uFEFF' + (HR + '  key2: x\n').replace(/\n/g, '\r\n'))
  })

  it('re-prints only the changed document and keeps untouched lines of it', () => {
    const f = new YamlFile(HR)
    f.docs[0].set(['spec', 'interval'], '1h')
    f.docs[0].delete(['spec', 'chart'])
    f.docs[0].set(['spec', 'chartRef'], { kind: 'OCIRepository', name: 'demo' }, { after: 'interval' })
    const out = f.render()
    expect(out).toContain('caps: { drop: ["ALL"] }')
    expect(out).toContain('defaultMode: 0775')
    expect(out).toContain('tag: 61e9540')
    expect(out).toContain('  interval: 1h\n  chartRef:\n    kind: OCIRepository\n    name: demo\n  values:')
    expect(out.endsWith('data:\n  key: 012345\n')).toBe(true)
    expect(out).not.toContain('chart:')
  })

  it('follows aliases when reading', () => {
    const f = new YamlFile(HR)
    expect(f.docs[0].getString(['spec', 'values', 'persistence', 'config', 'existingClaim'])).toBe('demo')
    expect(f.docs[0].aliasOf(['spec', 'values', 'persistence', 'config', 'existingClaim'])).toBe('app')
  })

  it('writes anchors, aliases and plain numbers', () => {
    const f = new YamlFile('a: 1\n')
    f.docs[0].set(['ns'], new AnchoredValue('default', 'namespace'))
    f.docs[0].set(['target'], new AliasValue('namespace'))
    f.docs[0].set(['retries'], new PlainValue('-1'))
    f.docs[0].set(['port'], 8080)
    f.docs[0].set(['mode'], '0644')
    expect(f.render()).toBe('a: 1\nns: &namespace default\ntarget: *namespace\nretries: -1\nport: 8080\nmode: "0644"\n')
  })

  it('reads and rewrites the schema comment written after --- as well as one before it', () => {
    const after = new YamlFile('---\n# yaml-language-server: $schema=old\napiVersion: v1\n')
    expect(after.docs[0].commentBefore).toBe(' yaml-language-server: $schema=old')
    after.docs[0].commentBefore = ' yaml-language-server: $schema=new'
    expect(after.render()).toBe('---\n# yaml-language-server: $schema=new\napiVersion: v1\n')
    const before = new YamlFile('# top\n\n---\napiVersion: v1\n')
    expect(before.docs[0].commentBefore).toBe(' top')
    expect(new YamlFile('apiVersion: v1\n').docs[0].commentBefore).toBeUndefined()
  })

  it('reports parse errors with offsets', () => {
    const f = new YamlFile('a: 1\na: 2\n')
    expect(f.hasErrors).toBe(true)
    expect(f.problems[0].code).toBe('DUPLICATE_KEY')
  })
})

describe('needsQuotes', () => {
  it.each(['0775', 'yes', 'no', 'on', '1e3', '.', '~', 'null', '1_000', '12:30', '', ' x', 'true', '0x1F', '.inf'])('quotes %j', (s) => {
    expect(needsQuotes(s)).toBe(true)
  })
  it.each(['rtrox.io', 'v1.2.3', 'app-template', '${APP}', 'America/Los_Angeles', '4.x'])('leaves %j plain', (s) => {
    expect(needsQuotes(s)).toBe(false)
  })
  it.each(['Y', 'n', 'Off', 'NULL', 'True', 'e', 'inf', 'nan', 'Null', 'yES'])('decides the name %j as the parser reads it', (s) => {
    expect(needsQuotes(s)).toBe(parse(s, { version: '1.2' }) !== s || parse(s, { version: '1.1' }) !== s)
  })
  it('decides names (letter first) exactly as parsing them in YAML 1.2 and 1.1 does', () => {
    const words = ['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null']
    const cased = fc.constantFrom(...words).chain((w) => fc.array(fc.boolean(), { minLength: w.length, maxLength: w.length }).map((up) => [...w].map((c, i) => (up[i] ? c.toUpperCase() : c)).join('')))
    const name = fc.tuple(fc.constantFrom(...'aeEnNoOtTyYxZ'), fc.stringMatching(/^[A-Za-z0-9_./-]{0,6}$/)).map(([a, b]) => a + b)
    fc.assert(
      fc.property(fc.oneof(cased, name), (s) => {
        expect(needsQuotes(s)).toBe(parse(s, { version: '1.2' }) !== s || parse(s, { version: '1.1' }) !== s)
      }),
      { numRuns: 2000, seed: 20261126 },
    )
  })
  it.each(['./helmrelease.yaml', '../../components/volsync', '1h', '30m', '3.7.3', 'oci://ghcr.io/bjw-s-labs/helm/app-template', 'https://paper.rtrox.io', 'ghcr.io/onedr0p/exportarr:v2.2.0', 'a=b', 'x+y@z', '1:20', '1.0', '.5', '0x1F', '0o17', '1_000', '2001-12-14', '.inf', '.NaN', '+1', '1e3', '1e+3', '/'])(
    'decides the token %j as the parser reads it',
    (s) => {
      expect(needsQuotes(s)).toBe(parse(s, { version: '1.2' }) !== s || parse(s, { version: '1.1' }) !== s)
    },
  )
  it('decides paths, versions, durations, references and numbers exactly as parsing them in YAML 1.2 and 1.1 does', () => {
    // Pieces that make numbers (of every base and spelling), timestamps, sexagesimals, keywords and paths.
    const piece = fc.constantFrom('0', '1', '7', '9', '12', '2001', '-12-14', 'T10:00:00Z', '.', '_', ':', '-', '+', 'e', 'E', 'x', 'o', 'b', 'inf', 'Inf', 'nan', 'NaN', 'y', 'n', 'on', 'Off', 'null', 'true', '/', '@', '=', 'a', 'v1', 'h', 'm', 's', 'oci://', 'ghcr.io')
    const token = fc.array(piece, { minLength: 1, maxLength: 5 }).map((ps) => ps.join(''))
    const readBack = (s: string) => {
      try {
        return parse(s, { version: '1.2' }) !== s || parse(s, { version: '1.1' }) !== s
      } catch {
        return true
      }
    }
    fc.assert(
      fc.property(token, (s) => {
        // Never plain when a reader would take it for something else; exact when no indicator comes first (a leading
        // `-`, `:` or `@` is always quoted) and it does not end with `:`.
        if (readBack(s)) expect(needsQuotes(s)).toBe(true)
        if (/^[A-Za-z0-9_./]/.test(s) && !s.endsWith(':')) expect(needsQuotes(s)).toBe(readBack(s))
      }),
      { numRuns: 4000, seed: 20261126 },
    )
  })
})

describe('mergePrint', () => {
  it('takes source lines where the print only re-spelled them', () => {
    const src = 'a: { b: ["c"] }\nd: 1\n'
    const base = 'a: { b: [ "c" ] }\nd: 1\n'
    const next = 'a: { b: [ "c" ] }\nd: 2\n'
    expect(mergePrint(src, base, next)).toBe('a: { b: ["c"] }\nd: 2\n')
  })
})

describe('print caching', () => {
  it('re-renders after every edit, also after a render was read in between', () => {
    const f = new YamlFile('a: 1\nb: two # note\n')
    expect(f.render()).toBe('a: 1\nb: two # note\n')
    f.docs[0].set(['a'], 2)
    expect(f.render()).toBe('a: 2\nb: two # note\n')
    f.docs[0].set(['c'], 'x')
    expect(f.render()).toBe('a: 2\nb: two # note\nc: x\n')
    f.docs[0].delete(['c'])
    f.docs[0].set(['a'], 1)
    expect(f.render()).toBe('a: 1\nb: two # note\n')
    expect(f.changed).toBe(false)
    expect(f.edited).toBe(true)
  })

  it('an edit whose journal hook reads the file sees the content before the edit, and the render after it', () => {
    const f = new YamlFile('a: 1\n')
    const seen: string[] = []
    f.onWrite = () => seen.push(f.render())
    f.docs[0].set(['a'], 2)
    f.addDocument({ b: 3 })
    expect(seen).toEqual(['a: 1\n', 'a: 2\n'])
    expect(f.render()).toBe('a: 2\n---\nb: 3\n')
  })

  it('an unedited document is its source; one the printer refuses (an alias before its anchor) is still frozen', () => {
    const plain = new YamlFile('host: "*.example.com"\nkeep:   spacing\n')
    expect(plain.edited).toBe(false)
    expect(plain.render()).toBe('host: "*.example.com"\nkeep:   spacing\n')
    const bad = new YamlFile('a: *x\nb: &x 1\n')
    expect(bad.hasErrors).toBe(true)
    expect(bad.docs[0].frozen).toBeDefined()
  })
})

describe('writing under a value that is not a collection', () => {
  it.each([
    ['left empty', 'spec:\nkind: X\n'],
    ['left empty at the end, no newline', 'kind: X\nspec:'],
    ['~', 'spec: ~\nkind: X\n'],
    ['null', 'spec: null\nkind: X\n'],
    ['NULL', 'spec: NULL\nkind: X\n'],
  ])('a null %s becomes the map, set or pushed into', (_name, text) => {
    const f = new YamlFile(text)
    f.docs[0].set(['spec', 'path'], './app')
    expect(parse(f.render())).toMatchObject({ spec: { path: './app' }, kind: 'X' })
    const g = new YamlFile(text)
    g.docs[0].push(['spec'], 'a')
    expect(parse(g.render())).toMatchObject({ spec: ['a'], kind: 'X' })
  })

  it('keeps the comment of the null it replaces under its key', () => {
    const f = new YamlFile('spec: # filled in later\nkind: X\n')
    f.docs[0].set(['spec', 'path'], './app')
    expect(f.render()).toBe('spec:\n  # filled in later\n  path: ./app\nkind: X\n')
  })

  it.each([
    ['a string', 'spec: path\n'],
    ['a quoted empty string', 'spec: ""\n'],
    ['a tagged null', 'spec: !!null\n'],
    ['an anchored null', 'spec: &s\nother: *s\n'],
    ['a number', 'spec: 0\n'],
  ])('%s is not replaced: the write fails and says where', (_name, text) => {
    const f = new YamlFile(text)
    expect(() => f.docs[0].set(['spec', 'path'], './app')).toThrow('cannot set spec.path: parent is not a collection')
    expect(() => f.docs[0].push(['spec'], 'a')).toThrow('spec is not a sequence')
  })

  it('typeAt and items tell what a value is without guessing', () => {
    const d = new YamlFile('m: {a: 1}\ns: [x, {y: 1}]\ne:\nt: ~\nq: ""\nn: 3\nl: &l [1]\nr: *l\n').docs[0]
    expect(['m', 's', 'e', 't', 'q', 'n', 'r', 'absent'].map((k) => d.typeAt([k]))).toEqual(['map', 'seq', 'null', 'null', 'scalar', 'scalar', 'seq', undefined])
    expect(d.typeAt([])).toBe('map')
    expect(d.typeAt(['s', 1])).toBe('map')
    expect(d.typeAt(['s', 2])).toBe(undefined)
    expect(d.items(['s'])).toEqual(['x', { y: '1' }])
    expect(d.items(['r'])).toEqual(['1'])
    for (const k of ['m', 'e', 'q', 'n', 'absent']) expect(d.items([k])).toEqual([])
  })
})

describe('process warnings', () => {
  it('reading a key that is a collection (a template cut short, say) warns nobody: the text stays out of logs', () => {
    const spy = vi.spyOn(process, 'emitWarning')
    try {
      const d = new YamlFile('a:\n  {{ .TOKEN }}: 1\n').docs[0]
      expect(d.get(['a'])).toEqual({ '{ ? { .TOKEN } }': '1' })
      d.set(['b'], 'x')
      expect(d.get([])).toMatchObject({ b: 'x' })
      expect(spy).not.toHaveBeenCalled()
    } finally {
      spy.mockRestore()
    }
  })
})

describe('documents the printer refuses', () => {
  const cases = ['a: *x\nb: &x 1\n', 'a: &x 1\nb: *x\n', 'a: &x [*x]\n', 'a: &x 1\nb: &x 2\nc: *x\n', '? *x\n: &x 1\n', '- [*y, &y 1]\n', '- &y [1]\n- {k: *y}\n']
  for (const text of cases)
    it(`are frozen exactly when printing fails: ${JSON.stringify(text)}`, () => {
      const f = new YamlFile(text)
      let fails = false
      try {
        f.docs[0].doc.toString()
      } catch {
        fails = true
      }
      expect(f.docs[0].frozen !== undefined).toBe(fails)
      expect(f.render()).toBe(text)
    })
})

describe('aliases', () => {
  it('resolve to the last anchor of their name before them, also after an edit', () => {
    const f = new YamlFile('a: &x {v: 1}\nb: *x\nc: &x {v: 2}\nd: *x\n')
    const d = f.docs[0]
    expect(d.getString(['b', 'v'])).toBe('1')
    expect(d.getString(['d', 'v'])).toBe('2')
    d.set(['e'], 'new')
    expect(d.getString(['b', 'v'])).toBe('1')
    expect(d.getString(['d', 'v'])).toBe('2')
  })
})

describe('alias bombs', () => {
  const refused = (text: string) => new YamlFile(text).problems.some((p) => p.code === 'BAD_ALIAS')
  /** What yaml itself says: expanding the aliases within its limit of 1000 throws or not. */
  const yamlRefuses = (text: string) => {
    try {
      parseDocument(text).toJS({ maxAliasCount: 1000 })
      return false
    } catch {
      return true
    }
  }
  const list = (n: number, alias: string) => `[${Array.from({ length: n }, () => alias).join(', ')}]`

  it.each([
    ['anchors used a few times', 'name: &app echo\nspec:\n  app: *app\n  labels: {a: *app}\n'],
    ['a flat anchor used 100 times', `a: &x 1\nl: ${list(100, '*x')}\n`],
    ['a flat anchor used 101 times', `a: &x 1\nl: ${list(101, '*x')}\n`],
    ['a flat anchor used 999 times', `a: &x 1\nl: ${list(999, '*x')}\n`],
    ['a flat anchor used 1000 times', `a: &x 1\nl: ${list(1000, '*x')}\n`],
    ['an anchored map holding aliases, used a few times', 'a: &a 1\nb: &b {x: *a, y: *a}\nc: [*b, *b]\n'],
    ['nested anchors used 40 times each', `a: &a ${list(40, '1')}\nb: &b ${list(40, '*a')}\nc: ${list(40, '*b')}\n`],
    ['a billion laughs', ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} ${list(9, `*${String.fromCharCode(97 + i)}`)}`)].join('\n') + '\n'],
  ])('%s: refused exactly when yaml refuses to expand it', (_name, text) => {
    expect(refused(text)).toBe(yamlRefuses(text))
  })

  it('refuses the cases that exceed the limit (the table above is not vacuous)', () => {
    expect(refused(`a: &x 1\nl: ${list(1000, '*x')}\n`)).toBe(true)
    expect(refused(`a: &x 1\nl: ${list(999, '*x')}\n`)).toBe(false)
  })
})
