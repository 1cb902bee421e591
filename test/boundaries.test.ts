/** Module boundaries: transforms stay pure, only document.ts imports yaml, and migrate never reaches ts-morph. */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(__dirname, '..')
const sources = (dir: string): string[] =>
  fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []))
const imports = (file: string) => [...fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1])

describe('boundaries', () => {
  it('transforms import only the transform API and their own helpers', () => {
    for (const f of sources('transforms')) {
      for (const i of imports(f)) {
        expect(i.startsWith('node:') || i === 'yaml' || i === 'ts-morph', `${f} imports ${i}`).toBe(false)
        if (i.startsWith('../src/') || i.startsWith('../../src/')) expect(i.endsWith('/src/transform-api.ts'), `${f} imports ${i}`).toBe(true)
      }
    }
  })

  it('only src/document.ts (and dev tooling) imports yaml, and nothing outside src/dev imports ts-morph', () => {
    for (const f of [...sources('src'), ...sources('transforms')]) {
      const is = imports(f)
      // src/dev/bench.ts measures yaml alone as the baseline.
      if (f !== path.join('src', 'document.ts') && !f.startsWith(path.join('src', 'dev'))) expect(is.includes('yaml'), f).toBe(false)
      if (!f.startsWith(path.join('src', 'dev'))) expect(is.includes('ts-morph'), f).toBe(false)
    }
  })

  it('loads the schema packages only lazily, and only the schema module names them', () => {
    for (const f of sources('src')) {
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8')
      expect(imports(f).filter((i) => /^(@kubernetes-models\/|kubernetes-models)/.test(i)), f).toEqual([])
      if (f !== path.join('src', 'check', 'schema.ts')) expect(/kubernetes-models/.test(text.replace(/^\s*(\*|\/\/).*$/gm, '')), f).toBe(false)
    }
  })

  it('only the process, file-system and git layers import node:*; the core (batch, plan, PR text) stays pure', () => {
    const allowed = new Set(['fs.ts', 'main.ts', 'cli-host.ts', 'git.ts', 'git-commit.ts', 'pr.ts', 'kubectl.ts', 'cli.ts'].map((f) => path.join('src', f)))
    for (const f of sources('src')) {
      if (f.startsWith(path.join('src', 'dev'))) continue
      const node = imports(f).filter((i) => i.startsWith('node:'))
      if (!allowed.has(f)) expect(node, f).toEqual([])
    }
  })

  /** Bare packages and local files reached from `entry`; `dynamic` also follows `import()` calls. */
  const reach = (entry: string, dynamic: boolean) => {
    const seen = new Set<string>()
    const bare = new Set<string>()
    const lazy: string[] = []
    const visit = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8')
      for (const m of text.matchAll(/(^import[^'"]*|^export[^'"]*from\s*|import\()\s*['"]([^'"]+)['"]/gm)) {
        const spec = m[2]
        if (m[1] === 'import(' && !dynamic) {
          lazy.push(spec.startsWith('.') ? path.normalize(path.join(path.dirname(file), spec)) : spec)
          continue
        }
        if (spec.startsWith('.')) visit(path.normalize(path.join(path.dirname(file), spec)))
        else bare.add(spec.split('/')[0])
      }
    }
    visit(entry)
    return { seen, bare, lazy }
  }

  it('the library entry reaches no ts-morph or typescript import, statically or dynamically', () => {
    const { seen, bare } = reach('src/index.ts', true)
    expect(seen.has(path.join('src', 'migrate.ts'))).toBe(true)
    expect(bare.has('yaml')).toBe(true)
    expect([...bare].filter((b) => b === 'ts-morph' || b === 'typescript')).toEqual([])
    expect([...seen].filter((f) => f.startsWith(path.join('src', 'dev')))).toEqual([])
  })

  it('the CLI reaches the authoring tools (and so ts-morph) only through a dynamic import of src/dev', () => {
    const { seen, bare, lazy } = reach('src/main.ts', false)
    expect(seen.has(path.join('src', 'migrate.ts'))).toBe(true)
    expect([...bare].filter((b) => b === 'ts-morph' || b === 'typescript')).toEqual([])
    expect([...seen].filter((f) => f.startsWith(path.join('src', 'dev')))).toEqual([])
    // The authoring tools, and the GitHub client that only `pr` needs.
    expect(lazy.sort()).toEqual(['@octokit/rest', path.join('src', 'dev', 'scaffold.ts')])
  })
})
