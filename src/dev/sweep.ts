/**
 * `npm run sweep -- [--repo DIR] [--mode M]... [--every N] [--to-app-template]`: hostile-input campaigns over the
 * legacy apps of a repository (default `../shared/corpus/legacy`, else `examples/home-ops`). Each mode changes one
 * YAML file of an app one way at a time and migrates the app in memory:
 *
 * - `cut`: the file cut short after some character;
 * - `lines`: the file without one of its lines;
 * - `shapes`: one value replaced by a string, an empty map, an empty list or a null;
 * - `aliases`: one value anchored and repeated through an alias at the end of its document;
 * - `styles`: the file in another YAML style that means the same (see {@link STYLES}); here the migration must also
 *   give the same outcome, the same files (by meaning) and the same warnings and errors as for the original.
 *
 * A problem is a transform crash (`<transform>/crashed`), an exception other than `MigrationError`, an error
 * diagnostic without a file, or (styles) a different result. `--every N` keeps one variant in N (default 1: all).
 * Each problem is printed once, with a file and the variant that shows it; the exit code is 1 if there was any.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Scalar, YAMLMap, YAMLSeq, isMap, isScalar, isSeq, parseAllDocuments, visit, type Document, type Node } from 'yaml'
import { listLegacyApps } from '../app.ts'
import { MigrationError } from '../errors.ts'
import { loadConfig, migrate, type MigrateResult } from '../migrate.ts'
import type { Transform } from '../transform-api.ts'
import { NodeVfs } from '../fs.ts'
import { MemoryVfs, walk } from '../vfs.ts'
import { Workspace } from '../workspace.ts'
import { isMain } from './ts-morph.ts'

export const MODES = ['cut', 'lines', 'shapes', 'aliases', 'styles'] as const
export type Mode = (typeof MODES)[number]

/** What a value becomes in `shapes`. */
export const SHAPES: Record<string, () => Node> = {
  'a string': () => new Scalar('x'),
  'an empty map': () => new YAMLMap(),
  'an empty list': () => new YAMLSeq(),
  'a null': () => new Scalar(null),
}

/** Plain scalars whose meaning a quote would change (YAML 1.1 and 1.2 booleans, nulls, numbers, merge keys). */
const TYPED = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+]?[0-9][0-9_:.eE+-]*|0x[0-9a-fA-F_]+|0o[0-7_]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|=|<<)$/
/** Flux substitutes text: quoting `${PORT}` would turn a number into a string, so such scalars keep their spelling. */
const substituted = (v: unknown) => typeof v === 'string' && v.includes('${')

/** Styles that say the same as the original (under YAML 1.1, and to Flux's substitution). */
export const STYLES: Record<string, (d: Document) => string> = {
  'four-space indents': (d) => d.toString({ indent: 4 }),
  'unindented sequences': (d) => d.toString({ indentSeq: false }),
  'flow maps and lists': (d) => {
    visit(d, {
      Map(_, n) {
        if (n.items.length <= 4 && n.items.every((p) => isScalar(p.value) && !substituted(p.value.value))) n.flow = true
      },
      Seq(_, n) {
        if (n.items.every((i) => isScalar(i) && !substituted(i.value))) n.flow = true
      },
    })
    return d.toString()
  },
  'double-quoted strings': (d) => {
    visit(d, {
      Pair(_, p) {
        const v = p.value
        if (isScalar(v) && typeof v.value === 'string' && v.type === 'PLAIN' && !TYPED.test(v.value) && !substituted(v.value) && !v.anchor) v.type = 'QUOTE_DOUBLE'
      },
    })
    return d.toString()
  },
  'no comments': (d) => {
    visit(d, (_, n) => {
      if (n && typeof n === 'object') Object.assign(n, { comment: undefined, commentBefore: undefined })
    })
    d.comment = null
    d.commentBefore = null
    return d.toString()
  },
}

/** The documents of `text` as yaml reads them (YAML 1.1, as Kubernetes does), or undefined when it cannot. */
function documents(text: string): Document[] | undefined {
  const docs = parseAllDocuments(text, { version: '1.1' })
  return Array.isArray(docs) && docs.every((d) => d.errors.length === 0) ? docs : undefined
}

/** The documents printed back as one file (each by `show`), or undefined when yaml refuses (an alias without its anchor). */
function print(docs: Document[], show: (d: Document) => string = (d) => d.toString()): string | undefined {
  try {
    return docs
      .map((d, i) => {
        const s = show(d)
        return i > 0 && !s.startsWith('---') ? `---\n${s}` : s
      })
      .join('')
  } catch {
    return undefined
  }
}

/** `text` in `style`, or undefined when yaml cannot read or print it. */
export function restyle(text: string, style: string): string | undefined {
  const docs = documents(text)
  return docs && print(docs, STYLES[style])
}

/** A value of a document that can be replaced: a map value or a list item. */
type Slot = { doc: Document; parent: YAMLMap | YAMLSeq; index: number }

/** The replaceable values of `docs`, in document order. */
function slots(docs: Document[]): Slot[] {
  const out: Slot[] = []
  for (const doc of docs) {
    const walk = (n: unknown) => {
      if (isMap(n))
        n.items.forEach((p, index) => {
          if (p.value === null) return
          out.push({ doc, parent: n, index })
          walk(p.value)
        })
      else if (isSeq(n))
        n.items.forEach((item, index) => {
          out.push({ doc, parent: n, index })
          walk(item)
        })
    }
    walk(doc.contents)
  }
  return out
}

/** `text` with its `i`-th value (see {@link slots}) changed by `change`, or undefined when that cannot be printed. */
function withSlot(text: string, i: number, change: (node: unknown, doc: Document) => Node | undefined): string | undefined {
  try {
    const docs = documents(text)
    const slot = docs && slots(docs)[i]
    if (!docs || !slot) return undefined
    const { doc, parent, index } = slot
    const next = change(isMap(parent) ? parent.items[index].value : parent.items[index], doc)
    if (next === undefined) return undefined
    if (isMap(parent)) parent.items[index].value = next
    else parent.items[index] = next
    return print(docs)
  } catch {
    return undefined
  }
}

/** How many values of `text` {@link reshaped} and {@link aliased} can change (0 when yaml cannot read it). */
export function valueCount(text: string): number {
  try {
    const docs = documents(text)
    return docs ? slots(docs).length : 0
  } catch {
    // Nested deeper than the stack goes (a fuzzed file): nothing to change.
    return 0
  }
}

/** `text` with its `i`-th value made `shape` (a key of {@link SHAPES}), or undefined when that cannot be printed. */
export function reshaped(text: string, i: number, shape: string): string | undefined {
  return withSlot(text, i, () => SHAPES[shape]())
}

/** `text` with its `i`-th value anchored and repeated through an alias at the end of its document. */
export function aliased(text: string, i: number): string | undefined {
  return withSlot(text, i, (node, doc) => {
    if (!(isScalar(node) || isMap(node) || isSeq(node)) || node.anchor || !isMap(doc.contents)) return undefined
    node.anchor = 'swept'
    doc.contents.items.push(doc.createPair('sweptCopy', doc.createAlias(node)))
    return node
  })
}

/** The variants of `text` that `mode` makes, each with a label saying what was done. */
export function* variants(text: string, mode: Mode): Generator<{ label: string; text: string }> {
  if (mode === 'cut') {
    for (let n = 0; n < text.length; n++) yield { label: `cut after ${n} characters`, text: text.slice(0, n) }
    return
  }
  if (mode === 'lines') {
    const lines = text.split('\n')
    for (let n = 0; n < lines.length; n++) yield { label: `line ${n + 1} deleted`, text: [...lines.slice(0, n), ...lines.slice(n + 1)].join('\n') }
    return
  }
  if (mode === 'styles') {
    for (const style of Object.keys(STYLES)) {
      const t = restyle(text, style)
      if (t !== undefined && t !== text) yield { label: style, text: t }
    }
    return
  }
  const n = valueCount(text)
  for (let i = 0; i < n; i++) {
    if (mode === 'shapes')
      for (const shape of Object.keys(SHAPES)) {
        const t = reshaped(text, i, shape)
        if (t !== undefined) yield { label: `value ${i + 1} made ${shape}`, text: t }
      }
    else {
      const t = aliased(text, i)
      if (t !== undefined) yield { label: `value ${i + 1} repeated through an alias`, text: t }
    }
  }
}

/** What must not depend on style: the outcome, each written file's meaning, and the warnings and errors by rule. */
export function outcome(r: MigrateResult): { ok: boolean; files: Record<string, string | null>; findings: string[] } {
  const meaning = (text: string) => JSON.stringify(parseAllDocuments(text, { version: '1.1', merge: true }).map((d) => d.toJS({ maxAliasCount: -1 })))
  const files: Record<string, string | null> = {}
  for (const c of r.changes) files[c.path] = c.after === undefined ? null : /\.ya?ml$/.test(c.path) ? meaning(c.after) : c.after
  return { ok: r.ok, files, findings: [...new Set(r.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.severity} ${d.ruleId}`))].sort() }
}

/** One problem a sweep found. */
export interface Problem {
  app: string
  file: string
  mode: Mode
  /** What the variant did to the file. */
  variant: string
  message: string
  /** The file as the variant wrote it. */
  text: string
}

export interface SweepOptions {
  modes: readonly Mode[]
  /** Keep one variant in `every` (1: all). */
  every?: number
  toAppTemplate?: boolean
  /** Only apps whose path contains this. */
  only?: string
  /** The pipeline (default: the built-in transforms). */
  transforms?: readonly Transform[]
}

/** What a sweep did: its runs by outcome, and the problems it found. */
export interface SweepResult {
  runs: number
  /** Runs that migrated, that were refused with errors, and that stopped with a `MigrationError`. */
  outcomes: { migrated: number; refused: number; runError: number }
  problems: Problem[]
}

/** Runs the sweep over the legacy apps of `tree`; a problem is reported once per message. */
export async function sweep(tree: Record<string, string>, options: SweepOptions): Promise<SweepResult> {
  const vfs = new MemoryVfs(tree)
  const apps = listLegacyApps(new Workspace(vfs), loadConfig(vfs))
    .map((a) => a.path)
    .filter((a) => !options.only || a.includes(options.only))
  const every = Math.max(1, options.every ?? 1)
  const seen = new Set<string>()
  const problems: Problem[] = []
  const outcomes = { migrated: 0, refused: 0, runError: 0 }
  let runs = 0
  let k = 0
  const run = (repo: Record<string, string>, app: string) => migrate({ repo, apps: [app], toAppTemplate: options.toAppTemplate, transforms: options.transforms })
  for (const app of apps) {
    const files = Object.keys(tree).filter((p) => p.startsWith(`${app}/`) && /\.ya?ml$/.test(p))
    const base = options.modes.includes('styles') ? outcome(await run(tree, app)) : undefined
    for (const mode of options.modes)
      for (const file of files)
        for (const v of variants(tree[file], mode)) {
          if (k++ % every !== 0) continue
          runs++
          const found: string[] = []
          try {
            const r = await run({ ...tree, [file]: v.text }, app)
            outcomes[r.ok ? 'migrated' : 'refused']++
            for (const d of r.diagnostics) {
              if (d.ruleId.endsWith('/crashed')) found.push(`${d.ruleId} ${d.message}`)
              else if (d.severity === 'error' && !d.file) found.push(`${d.ruleId} has no file: ${d.message}`)
            }
            if (mode === 'styles' && JSON.stringify(outcome(r)) !== JSON.stringify(base)) found.push(`${v.label}: the migration differs from the original's`)
          } catch (e) {
            if (e instanceof MigrationError) outcomes.runError++
            else found.push(`threw ${e instanceof Error ? e.message : String(e)}`)
          }
          for (const message of found) {
            if (seen.has(message)) continue
            seen.add(message)
            problems.push({ app, file, mode, variant: v.label, message, text: v.text })
          }
        }
  }
  return { runs, outcomes, problems }
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2)
  const value = (flag: string) => {
    const i = args.indexOf(flag)
    return i >= 0 ? args[i + 1] : undefined
  }
  const modes = args.flatMap((a, i) => (args[i - 1] === '--mode' ? [a] : []))
  for (const m of modes) if (!(MODES as readonly string[]).includes(m)) throw new Error(`unknown mode ${m} (modes: ${MODES.join(', ')})`)
  const corpus = path.resolve('../shared/corpus/legacy')
  const repo = value('--repo') ?? (fs.existsSync(corpus) ? corpus : 'examples/home-ops')
  // Through the repository layer, which leaves .git out.
  const vfs = new NodeVfs(repo)
  const tree: Record<string, string> = {}
  for (const p of walk(vfs, '')) {
    const text = vfs.read(p)
    if (text !== undefined) tree[p] = text
  }
  const t0 = performance.now()
  const { runs, outcomes, problems } = await sweep(tree, { modes: modes.length > 0 ? (modes as Mode[]) : ['lines', 'shapes'], every: Number(value('--every') ?? 1), toAppTemplate: args.includes('--to-app-template'), only: value('--only') })
  for (const p of problems) process.stdout.write(`${p.file} (${p.mode}: ${p.variant}): ${p.message}\n`)
  const took = ((performance.now() - t0) / 1000).toFixed(0)
  process.stdout.write(`${repo}: ${runs} runs in ${took} s (${outcomes.migrated} migrated, ${outcomes.refused} refused, ${outcomes.runError} run errors), ${problems.length} problem(s)\n`)
  process.exitCode = problems.length > 0 ? 1 : 0
}
