/**
 * Seeded fuzz: YAML files of real legacy repositories, mutated the ways hostile input comes (truncation, byte flips
 * and insertions, invalid UTF-8, tabs, duplicate keys, deep nesting, alias bombs, huge lines, mixed line ends, values
 * of another shape, values repeated through an alias), are
 * migrated in memory and, for a handful, through the CLI with `--write` on a temporary copy. Nothing may crash: every
 * failure is a diagnostic with a file, or a `MigrationError`; a failed run writes nothing.
 *
 * The files come from ../shared/corpus/legacy when it is present, and always from the project's own
 * examples/home-ops and golden inputs (so a clone without the corpus fuzzes something too). Case `i` is built from
 * seed `FUZZ_SEED + i` alone (default FUZZ_SEED 20261201); its name shows the seed, the mutations and the file, so
 * `npx vitest run test/fuzz.test.ts -t 'seed=20261234 '` replays one case.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { listLegacyApps } from '../src/app.ts'
import { main } from '../src/cli.ts'
import { SHAPES, aliased, reshaped, valueCount } from '../src/dev/sweep.ts'
import { formatDiagnostics } from '../src/diagnostics.ts'
import { YamlFile } from '../src/document.ts'
import { MigrationError } from '../src/errors.ts'
import { loadConfig, migrate, type MigrateResult } from '../src/migrate.ts'
import { isWithin } from '../src/paths.ts'
import { MemoryVfs } from '../src/vfs.ts'
import { Workspace } from '../src/workspace.ts'
import { CORPUS, cliIo, hasCorpus, readTree } from './helpers.ts'

const BASE_SEED = Number(process.env.FUZZ_SEED ?? 20261201)
/** Library cases on the project's own files; with the corpus present, as many again on the corpus. */
const OWN_CASES = 120
const CORPUS_CASES = 160
/** CLI cases (`migrate --write` on a temporary folder), on the project's own files. */
const CLI_CASES = 16

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Rnd = () => number
const int = (rnd: Rnd, lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1))
const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]

/** Bytes YAML gives a meaning to, and a few it forbids. */
const SIGNIFICANT = Buffer.from(':-?,[]{}#&*!|>\'"%@`\t\n\r \u0000\u0007\u007f')
const INVALID_UTF8 = [[0xff], [0xc3, 0x28], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]

const lines = (b: Buffer) => b.toString('latin1').split('\n')
const fromLines = (ls: string[]) => Buffer.from(ls.join('\n'), 'latin1')
const insertAt = (b: Buffer, at: number, add: Buffer) => Buffer.concat([b.subarray(0, at), add, b.subarray(at)])
/** A random line index, preferring lines that hold a mapping key. */
function keyLine(ls: string[], rnd: Rnd): number {
  const keyed = ls.map((l, i) => (/^\s*(- )?[\w.$/-]+:/.test(l) ? i : -1)).filter((i) => i >= 0)
  return keyed.length > 0 ? pick(rnd, keyed) : int(rnd, 0, Math.max(0, ls.length - 1))
}
const indentOf = (l: string) => /^\s*/.exec(l)![0].replace(/- $/, '  ')

function billionLaughs(rnd: Rnd, indent: string): string {
  const width = int(rnd, 6, 10)
  const depth = int(rnd, 6, 12)
  const names = Array.from({ length: depth }, (_, i) => `l${i}`)
  return names.map((n, i) => `${indent}${n}: &${n} [${Array.from({ length: width }, () => (i === 0 ? '"lol"' : `*${names[i - 1]}`)).join(', ')}]`).join('\n')
}

/** The mutations, each from a file's bytes and the case's PRNG to new bytes. */
const MUTATIONS: Record<string, (b: Buffer, rnd: Rnd) => Buffer> = {
  truncate: (b, rnd) => b.subarray(0, int(rnd, 0, Math.max(0, b.length - 1))),
  flip: (b, rnd) => {
    const out = Buffer.from(b)
    for (let n = int(rnd, 1, 8); n > 0 && out.length > 0; n--) out[int(rnd, 0, out.length - 1)] ^= int(rnd, 1, 255)
    return out
  },
  insert: (b, rnd) => {
    let out = b
    for (let n = int(rnd, 1, 8); n > 0; n--) out = insertAt(out, int(rnd, 0, out.length), Buffer.from([rnd() < 0.7 ? pick(rnd, [...SIGNIFICANT]) : int(rnd, 0, 255)]))
    return out
  },
  'invalid-utf8': (b, rnd) => insertAt(b, int(rnd, 0, b.length), Buffer.from(pick(rnd, INVALID_UTF8))),
  tabs: (b, rnd) => {
    const ls = lines(b)
    const indented = ls.map((l, i) => (/^ +\S/.test(l) ? i : -1)).filter((i) => i >= 0)
    for (let n = int(rnd, 1, 3); n > 0 && indented.length > 0; n--) {
      const i = pick(rnd, indented)
      ls[i] = ls[i].replace(/^ {1,2}/, '\t')
    }
    return indented.length > 0 ? fromLines(ls) : Buffer.concat([Buffer.from('a:\n\tb: c\n'), b])
  },
  'duplicate-key': (b, rnd) => {
    const ls = lines(b)
    const i = keyLine(ls, rnd)
    const line = ls[i].replace(/^(\s*)- /, '$1  ')
    ls.splice(i + 1, 0, line)
    return fromLines(ls)
  },
  'deep-nesting': (b, rnd) => {
    const ls = lines(b)
    const i = keyLine(ls, rnd)
    const depth = int(rnd, 200, 6000)
    const nested = rnd() < 0.5 ? `${indentOf(ls[i])}deep: ${'['.repeat(depth)}${']'.repeat(depth)}` : Array.from({ length: Math.min(depth, 1500) }, (_, d) => `${indentOf(ls[i])}${' '.repeat(d)}n${d}:`).join('\n') + ' leaf'
    ls.splice(i, 0, nested)
    return fromLines(ls)
  },
  'alias-bomb': (b, rnd) => {
    const ls = lines(b)
    const i = keyLine(ls, rnd)
    ls.splice(i, 0, billionLaughs(rnd, indentOf(ls[i] ?? '')))
    return fromLines(ls)
  },
  'huge-line': (b, rnd) => {
    const ls = lines(b)
    const i = keyLine(ls, rnd)
    const n = int(rnd, 50_000, 1_000_000)
    ls[i] = rnd() < 0.5 ? `${ls[i]} ${'x'.repeat(n)}` : `${indentOf(ls[i])}huge: "${'y'.repeat(n)}"`
    return fromLines(ls)
  },
  'line-ends': (b, rnd) => {
    const ls = lines(b)
    for (let n = int(rnd, 1, Math.max(1, ls.length)); n > 0; n--) ls[int(rnd, 0, ls.length - 1)] += '\r'
    return Buffer.concat([rnd() < 0.3 ? Buffer.from('\ufeff') : Buffer.alloc(0), fromLines(ls)])
  },
  // A value of another shape, or repeated through an alias (in a file yaml can read; another stays as it is).
  reshape: (b, rnd) => {
    const text = b.toString('utf8')
    const n = valueCount(text)
    const out = n > 0 ? reshaped(text, int(rnd, 0, n - 1), pick(rnd, Object.keys(SHAPES))) : undefined
    return out === undefined ? b : Buffer.from(out, 'utf8')
  },
  alias: (b, rnd) => {
    const text = b.toString('utf8')
    const n = valueCount(text)
    const out = n > 0 ? aliased(text, int(rnd, 0, n - 1)) : undefined
    return out === undefined ? b : Buffer.from(out, 'utf8')
  },
  lines: (b, rnd) => {
    const ls = lines(b)
    const i = int(rnd, 0, ls.length - 1)
    const j = int(rnd, 0, ls.length - 1)
    const op = int(rnd, 0, 2)
    if (op === 0) ls.splice(i, 1)
    else if (op === 1) [ls[i], ls[j]] = [ls[j], ls[i]]
    else ls.splice(i, 0, ls[j])
    return fromLines(ls)
  },
}
const KINDS = Object.keys(MUTATIONS)

/** A repository to fuzz: its files and the legacy apps to migrate in it. */
interface Host {
  name: string
  tree: Record<string, string>
  apps: string[]
  toAppTemplate?: boolean
}

function hostOf(name: string, tree: Record<string, string>, apps?: string[], toAppTemplate?: boolean): Host {
  const vfs = new MemoryVfs(tree)
  return { name, tree, apps: apps ?? listLegacyApps(new Workspace(vfs), loadConfig(vfs)).map((a) => a.path), toAppTemplate }
}

const ROOT = path.resolve(__dirname, '..')
const GOLDEN = path.join(ROOT, 'golden')
const ownHosts: Host[] = [
  hostOf('examples/home-ops', readTree(path.join(ROOT, 'examples/home-ops'))),
  ...fs
    .readdirSync(GOLDEN)
    .filter((d) => !d.startsWith('_') && fs.existsSync(path.join(GOLDEN, d, 'case.yaml')))
    .sort()
    .map((d) => {
      const c = new YamlFile(fs.readFileSync(path.join(GOLDEN, d, 'case.yaml'), 'utf8')).docs[0].get([]) as { apps: string[]; options?: { toAppTemplate?: unknown } }
      return hostOf(`golden/${d}`, readTree(path.join(GOLDEN, d, 'input')), c.apps, String(c.options?.toAppTemplate) === 'true')
    })
    .filter((h) => h.apps.every((a) => `${a}/ks.yaml` in h.tree)),
]
const corpusHost = hasCorpus ? hostOf('corpus', readTree(CORPUS)) : undefined

/** The host's files without the other apps' folders (the migration of one app reads only a few of them). */
function appTree(host: Host, app: string): Record<string, string> {
  return Object.fromEntries(Object.entries(host.tree).filter(([p]) => isWithin(p, app) || !host.apps.some((a) => a !== app && isWithin(p, a))))
}

interface Case {
  seed: number
  host: string
  app: string
  file: string
  kinds: string[]
  tree: Record<string, string>
  bytes: Buffer
  toAppTemplate: boolean
}

function makeCase(seed: number, host: Host): Case {
  const rnd = prng(seed)
  const app = pick(rnd, host.apps)
  const tree = appTree(host, app)
  const files = Object.keys(tree).sort()
  // Every file of the app (configuration files of generators too), the YAML files around it.
  const inApp = files.filter((p) => isWithin(p, app))
  const shared = files.filter((p) => !isWithin(p, app) && /\.ya?ml$/.test(p))
  // Mostly the app's own files (the migration reads all of them), sometimes the configuration or a shared file.
  const r = rnd()
  const file = r < 0.75 || shared.length === 0 ? pick(rnd, inApp) : r < 0.85 && '.bitty2chongus.yaml' in tree ? '.bitty2chongus.yaml' : pick(rnd, shared)
  const kinds = [KINDS[seed % KINDS.length], ...(rnd() < 0.3 ? [pick(rnd, KINDS)] : [])]
  let bytes: Buffer = Buffer.from(tree[file], 'utf8')
  for (const k of kinds) bytes = MUTATIONS[k](bytes, rnd)
  return { seed, host: host.name, app, file, kinds, tree, bytes, toAppTemplate: !!host.toAppTemplate }
}

/** Files that kustomizations of the tree name as `configMapGenerator`/`secretGenerator` sources. */
function generatorSources(tree: Record<string, string>): Set<string> {
  const out = new Set<string>()
  for (const [p, text] of Object.entries(tree)) {
    if (!/(^|\/)kustomization\.ya?ml$/.test(p)) continue
    const dir = path.posix.dirname(p)
    const value = new YamlFile(text).docs[0]?.get([]) as Record<string, { files?: unknown }[] | undefined> | undefined
    for (const key of ['configMapGenerator', 'secretGenerator'])
      for (const g of Array.isArray(value?.[key]) ? value![key]! : [])
        for (const f of Array.isArray(g?.files) ? g.files : []) if (typeof f === 'string') out.add(path.posix.normalize(path.posix.join(dir, f.slice(f.indexOf('=') + 1))))
  }
  return out
}

const title = (c: Case) => `seed=${c.seed} ${c.kinds.join('+')} in ${c.host}: ${c.file}`

/** Runs the library on a case; checks the invariants of any run; returns the result (undefined when it threw). */
async function migrateCase(c: Case): Promise<MigrateResult | undefined> {
  const text = c.bytes.toString('utf8')
  const repo = { ...c.tree, [c.file]: text }
  let r: MigrateResult
  try {
    r = await migrate({ repo, apps: [c.app], toAppTemplate: c.toAppTemplate })
  } catch (e) {
    // A run that cannot happen is a typed error that names the file it could not use.
    expect(e, String((e as Error).stack)).toBeInstanceOf(MigrationError)
    expect((e as Error).message).toContain(path.posix.basename(c.file))
    return undefined
  }
  const shown = formatDiagnostics(r.diagnostics)
  expect(r.diagnostics.filter((d) => d.ruleId.endsWith('/crashed')), shown).toEqual([])
  expect(r.ok).toBe(!r.diagnostics.some((d) => d.severity === 'error'))
  for (const d of r.diagnostics) if (d.severity === 'error') expect(d.file, shown).toBeTruthy()
  if (r.ok) {
    // Nothing written holds a replacement character: on disk that would replace the bytes that were not UTF-8.
    for (const ch of r.changes) expect(ch.after?.includes('\uFFFD') ?? false, ch.path).toBe(false)
    // A broken YAML file is never edited: it stays as it is, or moves byte for byte. A generator's source is data,
    // not a manifest: Bitty substituted it as text, and the migration edits it as text whatever its syntax.
    const data = generatorSources(c.tree).has(c.file)
    if (new YamlFile(text).hasErrors && !data) {
      const own = r.changes.find((ch) => ch.path === c.file)
      if (own) expect(own.after === undefined && r.changes.some((ch) => ch.after === text), `${c.file} was edited\n${shown}`).toBe(true)
    }
    // What a successful run writes parses, but for a broken file it carries as it is.
    for (const ch of r.changes) if (ch.after !== undefined && ch.after !== text && /\.ya?ml$/.test(ch.path) && !(data && new YamlFile(text).hasErrors)) expect(new YamlFile(ch.after).problems.filter((p) => p.severity === 'error'), ch.path).toEqual([])
  }
  return r
}

const ownCases = Array.from({ length: OWN_CASES }, (_, i) => makeCase(BASE_SEED + i, ownHosts[(BASE_SEED + i) % ownHosts.length]))
const corpusCases = corpusHost ? Array.from({ length: CORPUS_CASES }, (_, i) => makeCase(BASE_SEED + OWN_CASES + i, corpusHost)) : []

describe('fuzz: mutated legacy YAML through migrate', { timeout: 60_000 }, () => {
  it('covers every mutation on the project files', () => {
    expect(new Set(ownCases.flatMap((c) => c.kinds))).toEqual(new Set(KINDS))
    expect(new Set(ownCases.map((c) => c.bytes.toString('hex'))).size).toBeGreaterThan(OWN_CASES * 0.9)
  })

  it.each(ownCases.map((c) => [title(c), c] as const))('%s', async (_name, c) => {
    await migrateCase(c)
  })

  it.each(corpusCases.map((c) => [title(c), c] as const))('corpus %s', async (_name, c) => {
    await migrateCase(c)
  })

  it('the corpus was fuzzed too', () => {
    if (!hasCorpus) console.warn(`corpus not found at ${path.relative(process.cwd(), CORPUS)}: only the project's own files were fuzzed`)
    expect(corpusCases.length).toBe(hasCorpus ? CORPUS_CASES : 0)
  })
})

/** Raw bytes of every file below `dir` (invalid UTF-8 included), by POSIX relative path. */
function readBytes(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')] = fs.readFileSync(path.join(e.parentPath, e.name)).toString('hex')
  }
  return out
}

const cliCases = Array.from({ length: CLI_CASES }, (_, i) => makeCase(BASE_SEED + 100_000 + i, ownHosts[(BASE_SEED + i) % ownHosts.length]))

describe('fuzz: mutated legacy YAML through the CLI with --write', { timeout: 60_000 }, () => {
  it.each(cliCases.map((c) => [title(c), c] as const))('%s', async (_name, c) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-fuzz-'))
    try {
      for (const [p, text] of Object.entries(c.tree)) {
        fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true })
        fs.writeFileSync(path.join(dir, p), p === c.file ? c.bytes : text)
      }
      const before = readBytes(dir)
      const t = cliIo(process.cwd())
      const code = await main(['migrate', c.app, '--repo', dir, '--write', ...(c.toAppTemplate ? ['--to-app-template'] : [])], t.io)
      expect(t.err()).not.toMatch(/internal error|^\s+at .+:\d+:\d+\)?$/m)
      const r = await migrateCase(c)
      // The CLI says what the library says: exit 1 when the migration has errors, 2 when it could not run.
      expect(code, t.err()).toBe(r === undefined ? 2 : r.ok ? 0 : 1)
      if (code !== 0) expect(readBytes(dir)).toEqual(before)
      else expect(t.err()).toMatch(r!.changes.length > 0 ? /wrote \d+ file\(s\)/ : /0 file\(s\) changed/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
