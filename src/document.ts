/**
 * The only module that imports `yaml`. Files are parsed with the failsafe schema, so every scalar keeps the
 * exact text it was written with (`0775`, `61e9540`, `.`, `yes`); writes go through {@link toNode}, which quotes
 * any string a YAML 1.1 or 1.2 reader would take for something else. Only documents whose print differs from
 * their baseline print are re-emitted, and those are merged line by line onto their source text (see
 * {@link mergePrint}) so that lines no transform touched keep their bytes.
 */
import {
  Alias,
  Document,
  LineCounter,
  Pair,
  Scalar,
  YAMLMap,
  YAMLSeq,
  isAlias,
  isCollection,
  isDocument,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  parse,
  parseAllDocuments,
  Schema,
  type Node as YNode,
  type ToStringOptions,
} from 'yaml'
import { diffArrays } from 'diff'

export type KeyPath = readonly (string | number)[]
export type Span = readonly [start: number, end: number]

/** A parse problem, with offsets into the file's text. */
export interface YamlProblem {
  code: string
  message: string
  span: Span
  severity: 'error' | 'warning'
}

/** Marker values understood by {@link toNode}. */
export class AliasValue {
  constructor(readonly anchor: string) {}
}
export class AnchoredValue {
  constructor(
    readonly value: unknown,
    readonly anchor: string,
  ) {}
}
export class FlowValue {
  constructor(readonly value: unknown[] | Record<string, unknown>) {}
}
/** A value kept as a YAML node from another document (moved subtrees keep comments and styles). */
export class NodeValue {
  constructor(readonly node: unknown) {}
}
/** A plain scalar written exactly as given (numbers, booleans, durations the caller knows are right). */
export class PlainValue {
  constructor(readonly text: string) {}
}

/** Characters that may not start a plain scalar, or that end or split one. */
const PLAIN_START = /^[-?:,[\]{}#&*!|>'"%@`]/
const PLAIN_BREAK = /: |:$| #|[\n\r\t]/

const quoteCache = new Map<string, boolean>()
/**
 * One plain scalar token whatever it spells: no indicator first (`-`, `:`, `@`, … stay with the parser), and none of
 * the characters that end or split a plain scalar (`: ` and a final `:` are ruled out before).
 */
const PLAIN_TOKEN = /^[A-Za-z0-9_./][A-Za-z0-9_./:@+=-]*$/
let plainTagList: { test?: RegExp }[] | undefined
/** Tags that resolve plain scalars to something other than a string, in YAML 1.2 (core) or 1.1. */
function plainTags(): { test?: RegExp }[] {
  plainTagList ??= [new Schema({ schema: 'core' }), yaml11Schema()].flatMap((schema) => schema.tags.filter((t) => t.default === true && t.test !== undefined && t.tag !== 'tag:yaml.org,2002:str'))
  return plainTagList
}

let yaml11: Schema | undefined
/** YAML 1.1 as Kubernetes reads it (merge keys included), made once. */
function yaml11Schema(): Schema {
  yaml11 ??= new Schema({ schema: 'yaml-1.1', merge: true })
  return yaml11
}

/** True when `s` written as a plain scalar would not read back as the same string in YAML 1.1 or 1.2. */
export function needsQuotes(s: string): boolean {
  const hit = quoteCache.get(s)
  if (hit !== undefined) return hit
  let q = false
  if (s === '' || s !== s.trim() || PLAIN_START.test(s) || PLAIN_BREAK.test(s)) q = true
  // Paths, names, versions, durations, image references and URLs are one plain scalar each: a string unless a tag
  // of either version claims it (a number, a boolean, a null, a timestamp), as the parser would decide.
  else if (PLAIN_TOKEN.test(s)) q = plainTags().some((t) => t.test!.test(s))
  else {
    try {
      q = parse(s, { version: '1.2' }) !== s || parse(s, { version: '1.1' }) !== s
    } catch {
      q = true
    }
  }
  if (quoteCache.size > 10000) quoteCache.clear()
  quoteCache.set(s, q)
  return q
}

/** Whether `v` is a null as YAML spells one plainly (empty, `~`, `null`), which a failsafe parse keeps as text. */
export function isNullText(v: unknown): boolean {
  return v === null || (typeof v === 'string' && /^(|~|null|Null|NULL)$/.test(v))
}

/**
 * Whether `n` is a null a child may replace: a plain {@link isNullText} value. Not one with a tag or an anchor, which
 * something else may mean or refer to.
 */
function isNullScalar(n: unknown): boolean {
  if (!isScalar(n) || n.anchor || n.tag) return false
  if (n.value === null && !n.source) return true
  return (n.type === 'PLAIN' || n.type === undefined) && typeof n.source === 'string' && isNullText(n.source) && (n.value === n.source || n.value === null)
}

/** An edit of `doc` whose path goes through an alias: writing there would change every place the anchor's value is. */
export class AliasInTheWay extends Error {
  constructor(
    readonly alias: string,
    readonly doc: YamlDoc,
  ) {
    super(`cannot write through alias *${alias}`)
  }
}

/** Builds a failsafe-printable node from a JS value or a marker value. */
export function toNode(value: unknown): YNode {
  if (value instanceof NodeValue) return value.node as YNode
  if (isNode(value)) return value
  if (value instanceof AliasValue) return new Alias(value.anchor)
  if (value instanceof AnchoredValue) {
    const n = toNode(value.value)
    ;(n as Scalar).anchor = value.anchor
    return n
  }
  if (value instanceof FlowValue) {
    const n = toNode(value.value) as YAMLMap | YAMLSeq
    n.flow = true
    return n
  }
  if (value instanceof PlainValue) {
    const s = new Scalar(value.text)
    s.type = Scalar.PLAIN
    return s
  }
  if (typeof value === 'string') {
    const s = new Scalar(value)
    if (value.includes('\n')) s.type = Scalar.BLOCK_LITERAL
    else s.type = needsQuotes(value) ? Scalar.QUOTE_DOUBLE : Scalar.PLAIN
    return s
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    const s = new Scalar(String(value))
    s.type = Scalar.PLAIN
    return s
  }
  if (value === null || value === undefined) {
    const s = new Scalar('null')
    s.type = Scalar.PLAIN
    return s
  }
  if (Array.isArray(value)) {
    const seq = new YAMLSeq()
    for (const v of value) seq.items.push(toNode(v))
    return seq
  }
  if (typeof value === 'object') {
    const map = new YAMLMap()
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue
      map.items.push(new Pair(toNode(k), toNode(v)))
    }
    return map
  }
  throw new TypeError(`cannot write a ${typeof value} to YAML`)
}

function keyOf(p: Pair): string | undefined {
  const k = p.key
  if (isScalar(k)) return String(k.value)
  if (typeof k === 'string') return k
  return undefined
}

/** Print options chosen per file so re-printed documents look like their neighbours. */
export interface PrintStyle {
  indentSeq: boolean
  flowPadding: boolean
}

function detectStyle(text: string): PrintStyle {
  // A block sequence directly under a key at the same indentation means `indentSeq: false`.
  const lines = text.split('\n')
  let indented = 0
  let flat = 0
  for (let i = 1; i < lines.length; i++) {
    const m = /^(\s*)- /.exec(lines[i])
    if (!m) continue
    const prev = /^(\s*)[^\s#-][^:]*:\s*(#.*)?$/.exec(lines[i - 1])
    if (!prev) continue
    if (m[1].length > prev[1].length) indented++
    else if (m[1].length === prev[1].length) flat++
  }
  const padded = (text.match(/[[{] \S/g) ?? []).length
  const tight = (text.match(/[[{][^\s\]}]/g) ?? []).length
  return { indentSeq: flat <= indented, flowPadding: padded >= tight }
}

/** A file's print style, detected from its text on first use: most parsed files are never printed. */
class StyleOf {
  private style: PrintStyle | undefined
  constructor(private readonly text: string) {}
  get(): PrintStyle {
    this.style ??= detectStyle(this.text)
    return this.style
  }
}

function printOptions(style: PrintStyle): ToStringOptions {
  return { lineWidth: 0, indentSeq: style.indentSeq, flowCollectionPadding: style.flowPadding }
}

/** Whether `source` may hold an alias (`*name` where a node can start); a quoted `"*.example.com"` does not count. */
function mayHaveAlias(source: string): boolean {
  return /(?:^|[\s[{,])\*[^\s,\]}]/.test(source)
}

/**
 * The aliases of a document: how many, whether one lies inside an anchored node (an alias of that node then
 * expands to several), and the first one met before its anchor in the order the printer writes the document
 * (undefined when none is).
 */
function aliasesOf(doc: Document): { count: number; nested: boolean; unresolved: string | undefined } {
  const defined = new Set<string>()
  let unresolved: string | undefined
  let count = 0
  let nested = false
  eachNode(doc.contents, (n, inAnchored) => {
    if (isAlias(n)) {
      count++
      if (!defined.has(n.source)) unresolved ??= n.source
      nested ||= inAnchored
      return
    }
    if (n.anchor) defined.add(n.anchor)
  })
  return { count, nested, unresolved }
}

/**
 * Calls `fn` for every node under `n` in the order yaml's `visit` meets them (a node before its items, a pair's key
 * before its value), with whether a collection around it has an anchor. `visit` freezes a copy of the path for
 * every collection and pair it enters, which made it the costliest part of reading a document's aliases.
 */
export function eachNode(n: unknown, fn: (n: YNode, inAnchored: boolean) => void, inAnchored = false): void {
  if (isPair(n)) {
    eachNode(n.key, fn, inAnchored)
    eachNode(n.value, fn, inAnchored)
    return
  }
  if (!isNode(n)) return
  fn(n, inAnchored)
  if (!isCollection(n)) return
  const inner = inAnchored || n.anchor !== undefined
  for (const item of n.items) eachNode(item, fn, inner)
}

/**
 * Whether expanding the aliases could exceed the limit {@link aliasProblem} enforces (yaml's `maxAliasCount` of
 * 1000, roughly the times an anchor is used multiplied by the aliases inside it). With no alias inside an anchored
 * node every anchor expands to itself alone, and a document with a hundred aliases at most stays well within it;
 * any other document is expanded by yaml to tell.
 */
function mayExpandTooFar(a: { count: number; nested: boolean; unresolved: string | undefined }): boolean {
  return a.count > 0 && (a.nested || a.count > 100 || a.unresolved !== undefined)
}

/** A document's directives (yaml does not export their class). */
type Directives = NonNullable<Document['directives']>

/**
 * Printing a document, yaml's `Directives.toString(doc)` walks the whole document for the tags that `%TAG` handles
 * abbreviate, to write only the handles in use. It never writes the default `!!` handle, so while that is the only
 * one the walk cannot change the print: the directives are then printed as without a document, which skips it.
 */
function skipTagWalk(d: Directives): void {
  if (Object.hasOwn(d, 'toString')) return
  const print = Object.getPrototypeOf(d).toString as (this: Directives, doc?: Document) => string
  Object.defineProperty(d, 'toString', {
    configurable: true,
    writable: true,
    value(this: Directives, doc?: Document): string {
      const onlyDefault = Object.keys(this.tags).length === 1 && this.tags['!!'] === 'tag:yaml.org,2002:'
      return print.call(this, onlyDefault ? undefined : doc)
    },
  })
}

/** One YAML document of a file. */
export class YamlDoc {
  /** Print of the document as parsed, made just before its first edit (printing is most of a file's cost). */
  private baselineText: string | undefined
  /** True once an edit began: only then can the print differ from the baseline. */
  private dirty = false
  /** Whether an edit began (the document may still print as parsed). */
  get edited(): boolean {
    return this.dirty
  }
  constructor(
    readonly doc: Document.Parsed | Document,
    /** The document's source bytes, or undefined for a document created by a transform. */
    public source: string | undefined,
    private readonly styleOf: StyleOf,
    /** Offsets of `source` in the file's text. */
    readonly offset: number,
  ) {}

  /** How the file is printed (sequence indentation, flow padding), as its text does it. */
  get style(): PrintStyle {
    return this.styleOf.get()
  }

  /** Print of the document as parsed; a document whose print still equals it is emitted as its source. */
  get baseline(): string {
    if (this.baselineText === undefined) {
      try {
        this.baselineText = this.source === undefined ? '' : this.print()
      } catch (e) {
        this.frozen = (e as Error).message
        this.baselineText = this.source ?? ''
      }
    }
    return this.baselineText
  }

  /** Why the document cannot be re-printed (it is then kept as it is and reported). */
  frozen: string | undefined
  /** Called before every edit (the workspace journals the file so a failing transform can be undone). */
  onWrite: (() => void) | undefined

  /** Every edit starts here: the baseline is printed before the first one changes the tree. */
  private touch(): void {
    if (!this.dirty) {
      void this.baseline
      this.dirty = true
    }
    this.onWrite?.()
    this.printed = undefined
    this.merged = undefined
    this.anchorNodes = undefined
  }

  /** The last print, until the next edit. */
  private printed: string | undefined
  /** The last render of an edited document (a merge, checked by a parse), until the next edit. */
  private merged: { text: string; parsed?: YamlFile } | undefined
  /** The parse that verified the last render's merge (an unedited parse of exactly that text), if one was made. */
  get renderParse(): YamlFile | undefined {
    const p = this.merged?.parsed
    return p && !p.edited ? p : undefined
  }

  print(): string {
    // A document with parse errors is frozen: it is never re-printed.
    if ((this.doc as Document.Parsed).errors?.length || this.frozen) return this.source ?? ''
    if (this.doc.directives) skipTagWalk(this.doc.directives)
    this.printed ??= this.doc.toString(printOptions(this.style))
    return this.printed
  }

  get isEmpty(): boolean {
    return this.doc.contents === null || (isScalar(this.doc.contents) && (this.doc.contents.value === null || this.doc.contents.value === ''))
  }

  /** True when this document's bytes will differ from its source. */
  get changed(): boolean {
    return this.source === undefined || (this.dirty && this.print() !== this.baseline)
  }

  /** The value as Kubernetes reads it (YAML 1.1 types), for schema validation: {@link typedValue} of {@link render}. */
  typedValue(): unknown {
    // Unedited, the tree is exactly the source's: it is read without parsing again when it can be.
    if (!this.dirty && this.frozen === undefined && this.doc.errors.length === 0) {
      const v = typedValueOfTree(this.doc.contents)
      if (v !== REPARSE) return v
    }
    return typedValue(this.render())
  }

  /**
   * {@link typedValue} of `sub` applied to {@link render} (a text substitution such as Flux's post-build one; `out`,
   * its result, when the caller has it). Read off the tree when {@link substitutedTypedValue} can, else the
   * substituted text is parsed.
   */
  typedValueAfter(sub: (text: string) => string, out = sub(this.render())): unknown {
    if (out === this.render()) return this.typedValue()
    const v = substitutedTypedValue(this, sub, out)
    return v === REPARSE ? typedValue(out) : v
  }

  render(): string {
    if (this.source === undefined) return this.print()
    if (!this.dirty) return this.source
    const now = this.print()
    if (now === this.baseline) return this.source
    this.merged ??= mergeParsed(this.source, this.baseline, now, () => ({ value: this.value(), commentBefore: this.doc.commentBefore }))
    return this.merged.text
  }

  /** The node at `path`, following aliases; undefined when absent. */
  node(path: KeyPath): YNode | undefined {
    let cur: unknown = this.doc.contents
    for (const seg of path) {
      cur = this.deref(cur)
      if (typeof seg === 'number') {
        if (!isSeq(cur)) return undefined
        cur = cur.items[seg]
      } else {
        if (!isMap(cur)) return undefined
        const pair = cur.items.find((p) => keyOf(p) === seg)
        if (!pair) return undefined
        cur = pair.value
      }
      if (cur === undefined || cur === null) return undefined
    }
    const n = this.deref(cur)
    return isNode(n) ? n : undefined
  }

  private deref(n: unknown): unknown {
    let cur = n
    for (let i = 0; i < 32 && isAlias(cur); i++) cur = this.resolveAlias(cur)
    return cur
  }

  /** Aliases and anchored nodes in document order, until the next edit (resolving an alias would walk the document). */
  private anchorNodes: YNode[] | undefined

  /** The node an alias stands for: the last node before it with its anchor (as yaml resolves it). */
  private resolveAlias(alias: Alias): unknown {
    if (this.anchorNodes === undefined) {
      const nodes: YNode[] = []
      eachNode(this.doc.contents, (n) => {
        if (isAlias(n) || n.anchor) nodes.push(n)
      })
      this.anchorNodes = nodes
    }
    let found: YNode | undefined
    for (const n of this.anchorNodes) {
      if (n === alias) break
      if (!isAlias(n) && n.anchor === alias.source) found = n
    }
    return found
  }

  /** The JS value at `path` (failsafe: scalars are strings). */
  get(path: KeyPath): unknown {
    const n = this.node(path)
    if (n === undefined) return undefined
    // A scalar's JS value is its value (what toJS returns for it, without setting up a walk).
    if (isScalar(n)) return n.value
    return this.toJS(n)
  }

  /** The whole document's JS value (`toJS`). */
  value(): unknown {
    return this.toJS(null)
  }

  /** Whether `<<` is a merge key in this document's schema (never in a failsafe one, which the parse uses). */
  private get mergeKeys(): boolean {
    return this.doc.schema.tags.some((t) => t.tag === 'tag:yaml.org,2002:merge' && !!t.default)
  }

  /** yaml's `toJS` of `n` (of the contents when null): {@link plainValueOfTree} when it can tell, else `toJS` itself. */
  private toJS(n: YNode | null): unknown {
    const v = plainValueOfTree(n ?? this.doc.contents, { resolve: (a) => this.resolveAlias(a), merge: this.mergeKeys })
    if (v !== REPARSE) return v
    return n ? n.toJS(this.doc as Document, { maxAliasCount: 1000 }) : this.doc.toJS({ maxAliasCount: 1000 })
  }

  getString(path: KeyPath): string | undefined {
    const n = this.node(path)
    return isScalar(n) && n.value !== null ? String(n.value) : undefined
  }

  /**
   * The value at `path` as Kubernetes reads it: plain scalars become numbers, booleans or null where YAML 1.1 and
   * 1.2 agree, octal-looking integers (`0644`) their YAML 1.1 value; quoted and block scalars stay strings. Plain
   * scalars the two versions read differently (`yes`, `on`, `1_000`) are listed in `ambiguous` and kept as text.
   */
  getTyped(path: KeyPath = []): TypedValue {
    const out: TypedValue = { value: undefined, respelled: [], ambiguous: [] }
    const n = path.length === 0 ? this.doc.contents : this.node(path)
    if (n !== undefined && n !== null) out.value = this.typed(n, [...path], out, 0)
    return out
  }

  private typed(n: unknown, path: (string | number)[], out: TypedValue, depth: number): unknown {
    const node = this.deref(n)
    if (depth > 100) return undefined
    if (isMap(node)) {
      const o: Record<string, unknown> = {}
      for (const p of node.items) {
        const k = keyOf(p)
        if (k !== undefined) o[k] = this.typed(p.value, [...path, k], out, depth + 1)
      }
      return o
    }
    if (isSeq(node)) return node.items.map((x, i) => this.typed(x, [...path, i], out, depth + 1))
    if (!isScalar(node)) return null
    const text = node.value === null || node.value === undefined ? '' : String(node.value)
    if (node.type !== Scalar.PLAIN || node.tag) return text
    const t = typedScalar(node.source ?? text)
    if (t.ambiguous) out.ambiguous.push({ path, source: text })
    else if (t.respelled) out.respelled.push({ path, source: text, value: t.value })
    return t.value
  }

  has(path: KeyPath): boolean {
    return this.node(path) !== undefined
  }

  /** Map keys at `path` in order, or [] when it is not a map. */
  keys(path: KeyPath): string[] {
    const n = path.length === 0 ? this.deref(this.doc.contents) : this.node(path)
    if (!isMap(n)) return []
    return n.items.map((p) => keyOf(p)).filter((k): k is string => k !== undefined)
  }

  /** Number of items of the sequence at `path`, or 0. */
  length(path: KeyPath): number {
    const n = this.node(path)
    return isSeq(n) ? n.items.length : 0
  }

  /** The values of the sequence at `path`, or [] when it is not a sequence (absent, a map, a scalar). */
  items(path: KeyPath): unknown[] {
    const v = this.isSeq(path) ? this.get(path) : undefined
    return Array.isArray(v) ? v : []
  }

  /**
   * What the value at `path` is: a map, a sequence, a null (left empty, or `~`/`null` spelled plainly), another
   * scalar, or undefined when absent.
   */
  typeAt(path: KeyPath): 'map' | 'seq' | 'null' | 'scalar' | undefined {
    const n = path.length === 0 ? this.deref(this.doc.contents) : this.node(path)
    if (n === undefined) {
      // A key whose value yaml left out altogether.
      const last = path.at(-1)
      return typeof last === 'string' && this.keys(path.slice(0, -1)).includes(last) ? 'null' : undefined
    }
    return isMap(n) ? 'map' : isSeq(n) ? 'seq' : isNullScalar(n) ? 'null' : 'scalar'
  }

  isMap(path: KeyPath): boolean {
    return isMap(path.length === 0 ? this.deref(this.doc.contents) : this.node(path))
  }
  isSeq(path: KeyPath): boolean {
    return isSeq(this.node(path))
  }

  /** Offsets of the node at `path`, or of its nearest ancestor that has a position. */
  span(path: KeyPath): Span {
    for (let i = path.length; i >= 0; i--) {
      const n = i === 0 ? this.doc.contents : this.rawNode(path.slice(0, i))
      const r = (n as { range?: [number, number, number] } | undefined)?.range
      if (r) return [r[0], r[1]]
      if (i > 0) {
        const keyNode = this.keyNode(path.slice(0, i))
        if (keyNode?.range) return [keyNode.range[0], keyNode.range[1]]
      }
    }
    const r = (this.doc as Document.Parsed).range
    return r ? [r[0], r[1]] : [this.offset, this.offset]
  }

  private rawNode(path: KeyPath): YNode | undefined {
    let cur: unknown = this.doc.contents
    for (const seg of path) {
      if (typeof seg === 'number') {
        if (!isSeq(cur)) return undefined
        cur = cur.items[seg]
      } else {
        if (!isMap(cur)) return undefined
        cur = cur.items.find((p) => keyOf(p) === seg)?.value
      }
      if (cur === undefined || cur === null) return undefined
    }
    return isNode(cur) ? cur : undefined
  }

  private keyNode(path: KeyPath): Scalar | undefined {
    const last = path[path.length - 1]
    if (typeof last !== 'string') return undefined
    const parent = path.length === 1 ? this.deref(this.doc.contents) : this.node(path.slice(0, -1))
    if (!isMap(parent)) return undefined
    const k = parent.items.find((p) => keyOf(p) === last)?.key
    return isScalar(k) ? k : undefined
  }

  /** The parent collection of `path`, creating maps for missing string segments when `create`. */
  private container(path: KeyPath, create: boolean): YAMLMap | YAMLSeq | undefined {
    if (path.length === 0) {
      if (!isCollection(this.doc.contents)) {
        if (!create) return undefined
        this.doc.contents = new YAMLMap() as never
      }
      return this.doc.contents as unknown as YAMLMap
    }
    let cur: unknown = this.doc.contents
    if (cur === null || cur === undefined) {
      if (!create) return undefined
      cur = this.doc.contents = new YAMLMap() as never
    }
    for (const seg of path) {
      if (isAlias(cur)) throw new AliasInTheWay(cur.source, this)
      if (typeof seg === 'number') {
        if (!isSeq(cur)) return undefined
        cur = cur.items[seg]
        if (cur === undefined) return undefined
      } else {
        if (!isMap(cur)) return undefined
        let pair = cur.items.find((p) => keyOf(p) === seg)
        if (!pair || pair.value === null || isNullScalar(pair.value)) {
          if (!create) return undefined
          const m = new YAMLMap()
          // A null in the way (`spec:` left empty, `~`) becomes the map; its comment stays under the key.
          const note = isScalar(pair?.value) ? [pair.value.commentBefore, pair.value.comment].filter(Boolean).join('\n') : ''
          if (note) m.commentBefore = note
          if (pair) pair.value = m
          else {
            pair = new Pair(toNode(seg), m)
            cur.items.push(pair)
          }
        }
        cur = pair.value
      }
    }
    if (isAlias(cur)) throw new AliasInTheWay(cur.source, this)
    return isMap(cur) || isSeq(cur) ? cur : undefined
  }

  /**
   * Sets the value at `path`, creating parent maps. A scalar replacing a scalar is edited in place (anchor, comment
   * and quote style kept when still valid); a new key is appended, or placed before/after a sibling key.
   */
  set(path: KeyPath, value: unknown, where?: { before?: string; after?: string }): void {
    this.touch()
    if (path.length === 0) throw new Error('cannot replace a whole document')
    const parent = this.container(path.slice(0, -1), true)
    const last = path[path.length - 1]
    if (!parent) throw new Error(`cannot set ${path.join('.')}: parent is not a collection`)
    if (typeof last === 'number') {
      if (!isSeq(parent)) throw new Error(`cannot set ${path.join('.')}: not a sequence`)
      const old = parent.items[last]
      parent.items[last] = replaceNode(old, value)
      return
    }
    if (!isMap(parent)) throw new Error(`cannot set ${path.join('.')}: not a map`)
    const pair = parent.items.find((p) => keyOf(p) === last)
    if (pair) {
      pair.value = replaceNode(pair.value, value)
      return
    }
    const np = new Pair(toNode(last), toNode(value))
    const anchor = where?.before ?? where?.after
    const idx = anchor === undefined ? -1 : parent.items.findIndex((p) => keyOf(p) === anchor)
    if (idx < 0) parent.items.push(np)
    else parent.items.splice(where?.before !== undefined ? idx : idx + 1, 0, np)
  }

  /** Appends to the sequence at `path` (created when absent), or inserts at `index`. */
  push(path: KeyPath, value: unknown, index?: number): void {
    this.touch()
    let seq = this.node(path)
    if (seq === undefined || isNullScalar(seq)) {
      this.set(path, [])
      seq = this.node(path)
    }
    if (!isSeq(seq)) throw new Error(`${path.join('.')} is not a sequence`)
    if (index === undefined || index >= seq.items.length) seq.items.push(toNode(value))
    else seq.items.splice(index, 0, toNode(value))
  }

  /** Removes the value at `path`; returns false when absent. A comment above a removed key is kept on the next key. */
  delete(path: KeyPath): boolean {
    this.touch()
    const parent = this.container(path.slice(0, -1), false)
    const last = path[path.length - 1]
    if (!parent) return false
    if (typeof last === 'number') {
      if (!isSeq(parent) || last >= parent.items.length) return false
      const [gone] = parent.items.splice(last, 1)
      carryComment(gone, parent.items[last])
      return true
    }
    if (!isMap(parent)) return false
    const i = parent.items.findIndex((p) => keyOf(p) === last)
    if (i < 0) return false
    const [gone] = parent.items.splice(i, 1)
    carryComment(gone.key, parent.items[i]?.key)
    return true
  }

  /** Renames a map key in place (value, position and comments kept). */
  renameKey(path: KeyPath, newKey: string): boolean {
    this.touch()
    const parent = this.container(path.slice(0, -1), false)
    const last = path[path.length - 1]
    if (!isMap(parent) || typeof last !== 'string') return false
    const pair = parent.items.find((p) => keyOf(p) === last)
    if (!pair) return false
    const k = pair.key
    if (isScalar(k)) k.value = newKey
    else pair.key = toNode(newKey)
    return true
  }

  /** Reorders the keys of the map at `path` by `order` (keys not listed keep their relative order, after). */
  sortKeys(path: KeyPath, compare: (a: string, b: string) => number): void {
    this.touch()
    const n = path.length === 0 ? this.deref(this.doc.contents) : this.node(path)
    if (!isMap(n)) return
    const items = n.items.map((p, i) => ({ p, i, k: keyOf(p) ?? '' }))
    items.sort((a, b) => compare(a.k, b.k) || a.i - b.i)
    n.items = items.map((x) => x.p)
  }

  /** Detaches the node at `path` for re-use elsewhere (see {@link NodeValue}). */
  take(path: KeyPath): NodeValue | undefined {
    const n = this.rawNode(path)
    if (n === undefined) return undefined
    return new NodeValue(n)
  }

  /** Anchor name defined on the node at `path`, if any. */
  anchor(path: KeyPath): string | undefined {
    const n = this.rawNode(path)
    return n && !isAlias(n) ? ((n as Scalar).anchor ?? undefined) : undefined
  }

  /**
   * Every string scalar and map key, depth first, with its path (a key's path ends with the key). Aliases are not
   * entered: the anchored node they stand for is visited once, where it is defined, so an edit there reaches every
   * alias. One walk of the tree.
   */
  strings(): { path: KeyPath; value: string; key: boolean }[] {
    const out: { path: KeyPath; value: string; key: boolean }[] = []
    const visit = (n: unknown, path: (string | number)[]): void => {
      if (isMap(n)) {
        // A path names the first pair with its key.
        const first = new Map<string, unknown>()
        for (const p of n.items) {
          const k = keyOf(p)
          if (k !== undefined && !first.has(k)) first.set(k, p.value)
        }
        for (const p of n.items) {
          const k = keyOf(p)
          if (k === undefined) continue
          const at = [...path, k]
          out.push({ path: at, value: k, key: true })
          const v = first.get(k)
          if (!isAlias(v)) visit(v, at)
        }
      } else if (isSeq(n)) {
        n.items.forEach((item, i) => {
          if (!isAlias(item)) visit(item, [...path, i])
        })
      } else if (isScalar(n) && n.value !== null) out.push({ path, value: String(n.value), key: false })
    }
    visit(this.deref(this.doc.contents), [])
    return out
  }

  /** Alias name when the value at `path` is an alias. */
  aliasOf(path: KeyPath): string | undefined {
    const n = this.rawNode(path)
    return isAlias(n) ? n.source : undefined
  }

  /**
   * The leading comment of the document (e.g. the `yaml-language-server` schema line). yaml keeps a comment
   * written after `---` on the contents, and one before it (or followed by a blank line) on the document; the
   * setter writes back where the comment was.
   */
  get commentBefore(): string | undefined {
    return this.doc.commentBefore ?? (this.doc.contents as YNode | null)?.commentBefore ?? undefined
  }
  set commentBefore(c: string | undefined) {
    this.touch()
    const contents = this.doc.contents as YNode | null
    if (!this.doc.commentBefore && contents?.commentBefore) contents.commentBefore = c ?? undefined
    else this.doc.commentBefore = c ?? null
  }

  /**
   * Replaces `from` by `to` in the comment above the document's first line (the schema line), wherever the parser
   * attached it: to the document, to its contents, or to the first key. Returns false when no such comment has it.
   */
  editLeadingComment(from: string, to: string): boolean {
    const contents = this.doc.contents as YNode | null
    const first = isMap(contents) ? (contents.items[0]?.key as YNode | undefined) : undefined
    const holders: { commentBefore?: string | null }[] = [this.doc, ...(contents ? [contents] : []), ...(isNode(first) ? [first] : [])]
    for (const h of holders) {
      if (!h.commentBefore?.includes(from)) continue
      this.touch()
      h.commentBefore = h.commentBefore.replace(from, to)
      return true
    }
    return false
  }

  /** Deep copy of this document as a new, detached document (for a file created from another). */
  clone(): YamlDoc {
    const d = cloneDocument(this.doc)
    const y = new YamlDoc(d, this.source, this.styleOf, this.offset)
    y.baselineText = this.baselineText
    y.dirty = this.dirty
    y.frozen = this.frozen
    return y
  }
}

const isEnumerable = Object.prototype.propertyIsEnumerable

/**
 * Per node class, the own keys its constructor makes not enumerable (yaml's node type, a collection's `schema`),
 * when they all come before the enumerable ones: a copy then defines them and assigns the rest, in the same key
 * order. Null for a class where they do not (an alias's `tag` guard comes after its `source`): copied key by key.
 */
const hiddenByClass = new Map<object, PropertyKey[] | null>()

function hiddenKeys(n: object): PropertyKey[] | null {
  const proto = Object.getPrototypeOf(n) as object
  let hidden = hiddenByClass.get(proto)
  if (hidden === undefined) {
    const own = Reflect.ownKeys(n)
    const names = own.filter((k) => typeof k === 'string')
    const firstShown = names.findIndex((k) => isEnumerable.call(n, k))
    const first = (firstShown < 0 || names.slice(firstShown).every((k) => isEnumerable.call(n, k))) && own.every((k) => typeof k === 'string' || !isEnumerable.call(n, k))
    hidden = first ? own.filter((k) => !isEnumerable.call(n, k)) : null
    hiddenByClass.set(proto, hidden)
  }
  return hidden
}

/**
 * A deep copy of a node as yaml's own `clone` makes it: every own property (non-enumerable ones with their
 * descriptors), `range` copied, a collection's items cloned and its `schema` replaced when one is given. yaml builds
 * a descriptor map of every node for that, which made copying a file cost a third of parsing it.
 */
export function cloneNode<T>(n: T, schema?: Schema): T {
  if (isPair(n)) return new Pair(isNode(n.key) ? cloneNode(n.key, schema) : n.key, isNode(n.value) ? cloneNode(n.value, schema) : n.value) as T
  if (!isNode(n)) return n
  const copy = Object.create(Object.getPrototypeOf(n)) as Record<PropertyKey, unknown>
  const hidden = hiddenKeys(n)
  if (hidden) {
    for (const k of hidden) {
      const d = Object.getOwnPropertyDescriptor(n, k)
      if (d) Object.defineProperty(copy, k, d)
    }
    Object.assign(copy, n)
  } else {
    for (const k of Reflect.ownKeys(n)) {
      if (isEnumerable.call(n, k)) copy[k] = (n as unknown as Record<PropertyKey, unknown>)[k]
      else Object.defineProperty(copy, k, Object.getOwnPropertyDescriptor(n, k)!)
    }
  }
  if (n.range) copy.range = n.range.slice()
  if (isCollection(n)) {
    if (schema) copy.schema = schema
    copy.items = (n.items as unknown[]).map((item) => (isNode(item) || isPair(item) ? cloneNode(item, schema) : item))
  }
  return copy as T
}

/** `doc.clone()`, its contents copied by {@link cloneNode}. */
export function cloneDocument(doc: Document.Parsed | Document): Document.Parsed {
  const contents = doc.contents
  // yaml copies the document's own fields (options, directives, schema, errors); the contents are copied here.
  doc.contents = null
  let copy: Document.Parsed
  try {
    copy = doc.clone() as Document.Parsed
  } finally {
    doc.contents = contents
  }
  copy.contents = isNode(contents) ? (cloneNode(contents, copy.schema) as never) : contents
  return copy
}

function replaceNode(old: unknown, value: unknown): YNode {
  if (isScalar(old) && !isCollection(value) && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof PlainValue)) {
    const text = value instanceof PlainValue ? value.text : String(value)
    if (old.value === text) return old
    old.value = text
    delete (old as { source?: string }).source
    if (typeof value === 'string') {
      const quoted = old.type === Scalar.QUOTE_DOUBLE || old.type === Scalar.QUOTE_SINGLE
      if (text.includes('\n')) old.type = Scalar.BLOCK_LITERAL
      else if (!quoted || old.type === undefined) old.type = needsQuotes(text) ? Scalar.QUOTE_DOUBLE : Scalar.PLAIN
    } else old.type = Scalar.PLAIN
    return old
  }
  const n = toNode(value)
  if (isNode(old) && !isAlias(old)) {
    if (old.comment && !n.comment) n.comment = old.comment
  }
  return n
}

function carryComment(gone: unknown, next: unknown): void {
  const c = (gone as YNode | undefined)?.commentBefore
  if (!c || !isNode(next)) return
  next.commentBefore = next.commentBefore ? `${c}\n${next.commentBefore}` : c
}

/** Result of {@link YamlDoc.getTyped}. */
export interface TypedValue {
  value: unknown
  /** Scalars whose value is written differently from their source (`0644` → 420). */
  respelled: { path: KeyPath; source: string; value: unknown }[]
  /** Plain scalars YAML 1.1 and 1.2 read differently, kept as text. */
  ambiguous: { path: KeyPath; source: string }[]
}

const typedCache = new Map<string, { value: unknown; respelled?: boolean; ambiguous?: boolean }>()

/** A plain scalar's value as Kubernetes' YAML readers take it. */
function typedScalar(source: string): { value: unknown; respelled?: boolean; ambiguous?: boolean } {
  const hit = typedCache.get(source)
  if (hit) return hit
  let r: { value: unknown; respelled?: boolean; ambiguous?: boolean } = { value: source }
  if (/^[-+]?0[0-7]+$/.test(source)) r = { value: parseInt(source, 8), respelled: true }
  else if (!source.includes('\n')) {
    try {
      const v12 = parse(source, { version: '1.2' }) as unknown
      const v11 = parse(source, { version: '1.1' }) as unknown
      if (typeof v12 === 'string' && typeof v11 === 'string') r = { value: source }
      else if (v12 === v11 || (Number.isNaN(v12) && Number.isNaN(v11))) r = { value: v12, respelled: v12 !== null && String(v12) !== source }
      else r = { value: source, ambiguous: true }
    } catch {
      r = { value: source }
    }
  }
  if (typedCache.size > 10000) typedCache.clear()
  typedCache.set(source, r)
  return r
}

/** Uses of aliases a walk makes itself; `toJS` (limit 1000 uses of an anchor) takes documents with more. */
const MAX_ALIASES = 1000

/** How {@link plainValueOfTree} reads aliases and `<<` keys of a document. */
export interface PlainWalk {
  /** The node an alias stands for (as yaml resolves it: the last node before it with its anchor). */
  resolve?: (alias: Alias) => unknown
  /** Whether the document's schema makes `<<` a merge key (YAML 1.1 with merge); a failsafe one does not. */
  merge?: boolean
}

/**
 * What yaml's `toJS` makes of a failsafe tree, made by a plain walk: maps are objects (keys as `toJS` spells them,
 * set the way it sets them), sequences arrays, scalars their values. `toJS` sets up a context for aliases and merge
 * keys on every call and dispatches every node through it; this walk has no context to set up. An alias is its
 * anchor's value: a scalar's value, or the very object made of a collection (as `toJS` shares it). Whatever else
 * needs `toJS`'s context (an alias without `resolve`, unresolved or inside its own anchor; aliases whose uses could
 * reach the limit `toJS` counts them against; a merge key; a key that is not a scalar or holds an object; a pair in a
 * sequence; a node of another class such as a set) returns REPARSE, and the caller uses `toJS` after all.
 */
export function plainValueOfTree(node: unknown, walk: PlainWalk = {}): unknown {
  const made = new Map<unknown, unknown>()
  const open = new Set<unknown>()
  let left = MAX_ALIASES
  // Set once an alias stands for a collection that itself holds aliases: see below.
  let nested = false
  const resolvesFlat = (a: Alias): boolean => {
    const found = walk.resolve?.(a)
    return found !== undefined && (Object.getPrototypeOf(found) === Scalar.prototype || aliasesIn(found).length === 0)
  }
  const value = (n: unknown): unknown => {
    if (n === null) return null
    const proto = Object.getPrototypeOf(n)
    // `toJS` keeps scalar values as they are (a YAMLDoc's own values are strings, or null).
    if (proto === Scalar.prototype) return (n as Scalar).value
    if (proto === Alias.prototype) {
      const found = walk.resolve?.(n as Alias)
      if (!found || --left <= 0) return REPARSE
      if (Object.getPrototypeOf(found) === Scalar.prototype) return (found as Scalar).value
      if (open.has(found)) return REPARSE
      const inner = aliasesIn(found)
      if (inner.length > 0) {
        // toJS weighs each use of an anchor by the uses of the anchors inside it (count × alias count > 1000 throws).
        // With the aliases inside all standing for scalars or alias-free collections, that weight is at most
        // (uses + 1)², so 30 uses in all can never reach the limit; deeper or busier documents are left to toJS.
        if (!inner.every(resolvesFlat)) return REPARSE
        nested = true
      }
      return made.has(found) ? made.get(found) : value(found)
    }
    if (proto !== YAMLMap.prototype && proto !== YAMLSeq.prototype) return REPARSE
    open.add(n)
    const out = proto === YAMLMap.prototype ? mapValue(n as YAMLMap) : seqValue(n as YAMLSeq)
    open.delete(n)
    if ((n as YAMLMap).anchor) made.set(n, out)
    return out
  }
  const mapValue = (n: YAMLMap): unknown => {
    const out: Record<string, unknown> = {}
    for (const p of n.items) {
      const key = p.key
      let k: string
      if (key === null) k = ''
      else if (Object.getPrototypeOf(key) === Scalar.prototype) {
        const kv = (key as Scalar).value
        if ((kv === '<<' && walk.merge !== false) || (key as { addToJSMap?: unknown }).addToJSMap || (kv !== null && typeof kv === 'object')) return REPARSE
        k = kv === null ? '' : String(kv)
      } else return REPARSE
      const v = value(p.value)
      if (v === REPARSE) return REPARSE
      // As toJS sets it: a key an object already has (`__proto__`, `constructor`) becomes an own property.
      if (k in out) Object.defineProperty(out, k, { value: v, writable: true, enumerable: true, configurable: true })
      else out[k] = v
    }
    return out
  }
  const seqValue = (n: YAMLSeq): unknown => {
    const out: unknown[] = []
    for (const item of n.items) {
      const v = value(item)
      if (v === REPARSE) return REPARSE
      out.push(v)
    }
    return out
  }
  const out = value(node)
  return nested && MAX_ALIASES - left > NESTED_ALIASES ? REPARSE : out
}

/** Uses of aliases a walk makes itself once an alias stands for a collection holding aliases (31² < 1000). */
const NESTED_ALIASES = 30

/** The aliases a node holds, at any depth. */
function aliasesIn(n: unknown, out: Alias[] = []): Alias[] {
  if (isAlias(n)) out.push(n)
  else if (isMap(n)) for (const p of n.items) aliasesIn(p.key, out), aliasesIn(p.value, out)
  else if (isSeq(n)) for (const i of n.items) aliasesIn(i, out)
  return out
}

/** A parsed YAML file: its documents and the text they came from. */
export class YamlFile {
  readonly docs: YamlDoc[]
  readonly problems: YamlProblem[]
  readonly lineCounter: LineCounter
  private readonly bom: string
  private readonly crlf: boolean
  private readonly styleOf: StyleOf
  /** Text as parsed (LF line ends, no BOM). */
  readonly text: string
  /** A document was added or removed. */
  private restructured = false
  /** Called before every edit of any document of the file. */
  onWrite: (() => void) | undefined

  /**
   * Parses `raw`; or, given an unedited file, makes an independent copy of it (cheaper than parsing its text again).
   * `edited` allows copying an edited file (see {@link copy}).
   */
  constructor(raw: string | YamlFile, edited = false) {
    if (raw instanceof YamlFile) {
      if (raw.edited && !edited) throw new Error('only an unedited file can be copied')
      this.problems = raw.problems
      this.lineCounter = raw.lineCounter
      this.bom = raw.bom
      this.crlf = raw.crlf
      this.styleOf = raw.styleOf
      this.text = raw.text
      this.trailing = raw.trailing
      this.restructured = raw.restructured
      this.rendered = raw.rendered
      this.docs = raw.docs.map((d) => this.own(d.clone()))
      return
    }
    this.problems = []
    this.lineCounter = new LineCounter()
    this.bom = raw.startsWith('\uFEFF') ? '\uFEFF' : ''
    let text = this.bom ? raw.slice(1) : raw
    this.crlf = /\r\n/.test(text)
    if (this.crlf) text = text.replace(/\r\n/g, '\n')
    this.text = text
    this.styleOf = new StyleOf(text)
    const parsed = parseAllDocuments(text, {
      schema: 'failsafe',
      lineCounter: this.lineCounter,
      prettyErrors: false,
      // yaml's own unique-key check is quadratic in the map size; see structureProblems.
      uniqueKeys: false,
      strict: true,
      // Reading a key that is a collection as a JS object key would print a process warning with the key's text.
      logLevel: 'error',
    })
    const list = Array.isArray(parsed) ? parsed : []
    if (!Array.isArray(parsed)) this.problems.push({ code: 'EMPTY', message: 'empty stream', span: [0, 0], severity: 'warning' })
    this.docs = []
    // YAML forbids C0 controls other than tab and line ends; U+FFFD is what invalid UTF-8 decodes to.
    const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/.exec(text)
    if (bad) {
      const what = bad[0] === '\uFFFD' ? 'invalid UTF-8 (or a U+FFFD replacement character)' : `control character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`
      this.problems.push({ code: 'BAD_CHARACTER', message: `${what}: the file is left as it is`, span: [bad.index, bad.index + 1], severity: 'error' })
    }
    let start = 0
    list.forEach((d, i) => {
      for (const e of d.errors) this.problems.push({ code: e.code, message: firstLine(e.message), span: [e.pos[0], e.pos[1]], severity: 'error' })
      for (const w of d.warnings) this.problems.push({ code: w.code, message: firstLine(w.message), span: [w.pos[0], w.pos[1]], severity: 'warning' })
      const end = i === list.length - 1 ? text.length : d.range[2]
      const source = text.slice(start, end)
      // `*` in the text is mostly a wildcard or a glob; only alias nodes need the checks below.
      const aliases = mayHaveAlias(source) ? aliasesOf(d) : undefined
      if (d.errors.length === 0) {
        const { duplicates, tooDeep } = structureProblems(d.contents)
        for (const dup of duplicates) this.problems.push({ code: 'DUPLICATE_KEY', message: `map keys must be unique: ${dup.key}`, span: dup.span, severity: 'error' })
        if (tooDeep) this.problems.push({ code: 'TOO_DEEP', message: `nested more than ${MAX_NESTING} levels deep: the file is left as it is`, span: tooDeep, severity: 'error' })
        const bomb = aliases && mayExpandTooFar(aliases) ? aliasProblem(d) : undefined
        if (bomb) this.problems.push({ code: 'BAD_ALIAS', message: bomb, span: [d.range[0], d.range[1]], severity: 'error' })
      }
      const y = this.own(new YamlDoc(d, source, this.styleOf, start))
      // The parser accepts some documents the printer refuses (an alias before its anchor): they are frozen.
      const alias = aliases?.unresolved
      if (alias !== undefined) {
        y.frozen = `Unresolved alias (the anchor must be set before the alias): ${alias}`
        this.problems.push({ code: 'BAD_ALIAS', message: y.frozen, span: [d.range[0], d.range[1]], severity: 'error' })
      }
      if (this.problems.some((p) => p.severity === 'error' && p.span[0] >= start && p.span[0] <= end)) y.frozen ??= 'the document has errors'
      this.docs.push(y)
      start = end
    })
    // A file with text but no document (only comments) keeps that text verbatim.
    if (list.length === 0 && text.length > 0) this.trailing = text
  }

  /**
   * An independent copy of the file as it stands, edits included: it renders what this file renders now. (Not a
   * parse of any text once edited: its positions are still the input's.)
   */
  copy(): YamlFile {
    return new YamlFile(this, true)
  }

  /** How the file is printed, as its text does it. */
  get style(): PrintStyle {
    return this.styleOf.get()
  }

  /** Makes `y` a document of this file: its edits go through this file's hook. */
  private own(y: YamlDoc): YamlDoc {
    y.onWrite = () => this.beforeEdit()
    return y
  }

  private trailing = ''
  /** The last render, until the next edit. */
  private rendered: string | undefined

  /** Before an edit: the owner may journal the file (reading its content), then the cached render goes stale. */
  private beforeEdit(): void {
    this.onWrite?.()
    this.rendered = undefined
  }

  get hasErrors(): boolean {
    return this.problems.some((p) => p.severity === 'error')
  }

  /** Whether any edit began; an unedited file is exactly its parse. */
  get edited(): boolean {
    return this.restructured || this.docs.some((d) => d.edited)
  }

  /** True when rendering would change the file. */
  get changed(): boolean {
    return this.restructured || this.docs.some((d) => d.changed)
  }

  /** Adds a new document at the end (or at `index`). */
  addDocument(value: unknown, opts: { commentBefore?: string; index?: number } = {}): YamlDoc {
    this.beforeEdit()
    const d = new Document(null, { schema: 'failsafe', logLevel: 'error' })
    d.contents = toNode(value) as never
    // On the contents, not the document: the comment then prints after `---`, as the owner writes it.
    if (opts.commentBefore) (d.contents as unknown as YNode).commentBefore = opts.commentBefore
    d.directives!.docStart = true
    const y = this.own(new YamlDoc(d, undefined, this.styleOf, this.text.length))
    if (opts.index === undefined) this.docs.push(y)
    else this.docs.splice(opts.index, 0, y)
    this.restructured = true
    return y
  }

  removeDocument(doc: YamlDoc): void {
    this.beforeEdit()
    const i = this.docs.indexOf(doc)
    if (i >= 0) {
      this.docs.splice(i, 1)
      this.restructured = true
    }
  }

  render(): string {
    this.rendered ??= this.renderNow()
    return this.rendered
  }

  private renderNow(): string {
    if (!this.changed) return this.bom + (this.crlf ? this.text.replace(/\n/g, '\r\n') : this.text)
    let out = ''
    for (const d of this.docs) {
      let piece = d.render()
      if (d.source === undefined && out.length > 0 && !out.endsWith('\n')) out += '\n'
      if (d.source === undefined && !piece.startsWith('---') && out.length > 0) piece = `---\n${piece}`
      out += piece
    }
    if (this.docs.length === 0) out = this.trailing
    if (this.crlf) out = out.replace(/\n/g, '\r\n')
    return this.bom + out
  }

  /**
   * A parse of exactly {@link render}'s text made on the way (the verification of its one document's merge), for a
   * reader of the new text; undefined when there is none.
   */
  renderedParse(): YamlFile | undefined {
    if (this.docs.length !== 1 || this.bom || this.crlf || this.restructured) return undefined
    const parsed = this.docs[0].renderParse
    return parsed && parsed.text === this.render() ? parsed : undefined
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; col: number } {
    const p = this.lineCounter.linePos(offset)
    return { line: p.line, col: p.col }
  }
}

/**
 * Deepest nesting of maps and sequences a document may have. Kubernetes manifests stay far below it; deeper ones
 * would overflow the stack of the recursive readers (the YAML library's, JSONPath's) instead of being reported.
 */
export const MAX_NESTING = 256

/**
 * Duplicate keys of every map below `node`, and the first node nested deeper than {@link MAX_NESTING}, in one pass
 * (iterative: deep nesting cannot overflow the stack).
 */
function structureProblems(node: unknown): { duplicates: { key: string; span: Span }[]; tooDeep: Span | undefined } {
  const duplicates: { key: string; span: Span }[] = []
  let tooDeep: Span | undefined
  const stack: [unknown, number][] = [[node, 0]]
  while (stack.length > 0) {
    const [n, depth] = stack.pop()!
    if (!isMap(n) && !isSeq(n)) continue
    if (depth >= MAX_NESTING) {
      tooDeep ??= [n.range?.[0] ?? 0, n.range?.[1] ?? 0]
      continue
    }
    if (isMap(n)) {
      const seen = new Set<string>()
      for (const p of n.items) {
        const k = isScalar(p.key) ? String(p.key.value) : undefined
        if (k !== undefined) {
          if (seen.has(k) && k !== '<<') duplicates.push({ key: k, span: [(p.key as Scalar).range?.[0] ?? 0, (p.key as Scalar).range?.[1] ?? 0] })
          seen.add(k)
        }
        stack.push([p.key, depth + 1], [p.value, depth + 1])
      }
    } else for (const item of n.items) stack.push([item, depth + 1])
  }
  return { duplicates, tooDeep }
}

/** Expanding aliases is bounded: a document whose aliases expand too far (a "billion laughs") is refused. */
function aliasProblem(d: Document.Parsed): string | undefined {
  try {
    d.toJS({ maxAliasCount: 1000 })
    return undefined
  } catch (e) {
    return `aliases cannot be expanded: ${(e as Error).message}`
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0]
}

/** Prints a new file from documents given as JS values (with marker values). */
export function printNewFile(docs: { value: unknown; commentBefore?: string }[]): string {
  const f = new YamlFile('')
  for (const d of docs) f.addDocument(d.value, { commentBefore: d.commentBefore })
  return f.render()
}

function splitLines(s: string): string[] {
  const out = s.split(/(?<=\n)/)
  return out.length === 1 && out[0] === '' ? [] : out
}

/**
 * Three-way line merge: `base` is the print of the document as parsed, `source` its bytes, `next` the print after
 * the transforms. Lines the transforms did not touch are taken from `source`; a source region the printer
 * re-spelled (flow padding, a moved comment) is kept unless a change falls inside it. If the merged text does not
 * parse to the same value as `next`, the plain print is used.
 */
export function mergePrint(source: string, base: string, next: string, expected?: () => Expected): string {
  return mergeParsed(source, base, next, expected).text
}

/** {@link mergePrint}, with the parse of the merged text that verified it (none when the plain print is used). */
function mergeParsed(source: string, base: string, next: string, expected?: () => Expected): { text: string; parsed?: YamlFile } {
  if (source === base) return { text: next }
  const s = splitLines(source)
  const b = splitLines(base)
  const n = splitLines(next)
  // Groups of base lines with the source lines they stand for.
  type Group = { from: number; to: number; src: string[] }
  const groups: Group[] = []
  let bi = 0
  let pending: Group | undefined
  for (const part of diffArrays(b, s)) {
    if (!part.added && !part.removed) {
      if (pending) groups.push(pending), (pending = undefined)
      for (const line of part.value) groups.push({ from: bi, to: bi + 1, src: [line] }), bi++
    } else {
      pending ??= { from: bi, to: bi, src: [] }
      if (part.removed) (bi += part.count ?? part.value.length), (pending.to = bi)
      else pending.src.push(...part.value)
    }
  }
  if (pending) groups.push(pending)
  // What the transforms did to each base line.
  const kept: (string | undefined)[] = new Array(b.length)
  const inserted: string[][] = Array.from({ length: b.length + 1 }, () => [])
  bi = 0
  for (const part of diffArrays(b, n)) {
    if (!part.added && !part.removed) for (const line of part.value) kept[bi++] = line
    else if (part.removed) bi += part.count ?? part.value.length
    else inserted[bi].push(...part.value)
  }
  const out: string[] = []
  const emitted = new Set<number>()
  const emitInserted = (i: number) => {
    if (emitted.has(i)) return
    emitted.add(i)
    out.push(...inserted[i])
  }
  for (const g of groups) {
    let touched = false
    for (let i = g.from; i < g.to; i++) if (kept[i] === undefined) touched = true
    for (let i = g.from + 1; i < g.to; i++) if (inserted[i].length > 0) touched = true
    emitInserted(g.from)
    if (!touched) out.push(...g.src)
    else
      for (let i = g.from; i < g.to; i++) {
        if (i > g.from) emitInserted(i)
        if (kept[i] !== undefined) out.push(kept[i]!)
      }
  }
  emitInserted(b.length)
  const merged = out.join('')
  const parsed = sameValue(merged, next, expected)
  return parsed ? { text: merged, parsed } : { text: next }
}

type Meaning = { value: string; commentBefore: string | null | undefined }[]
/** The value and leading comment a merged document must have (its tree's, which the print came from). */
type Expected = { value: unknown; commentBefore: string | null | undefined }

/** What `text` means, and its parse (a file's, so that a reader of the text can take it); undefined on errors. */
function meaning(text: string): { meaning: Meaning; parsed: YamlFile } | undefined {
  const parsed = new YamlFile(text)
  if (parsed.hasErrors) return undefined
  return { meaning: parsed.docs.map((d) => ({ value: JSON.stringify(d.value()), commentBefore: d.doc.commentBefore })), parsed }
}

const sameMeaning = (a: Meaning, b: Meaning) => a.length === b.length && a.every((d, i) => d.value === b[i].value && d.commentBefore === b[i].commentBefore)

/**
 * The parse of the merged text when it means what the fresh print `next` means, else undefined. The document's own
 * tree, when given, stands for `next` (it is what was printed): one parse instead of two; the print is parsed only
 * when the two disagree.
 */
function sameValue(merged: string, next: string, expected?: () => Expected): YamlFile | undefined {
  try {
    const m = meaning(merged)
    if (!m) return undefined
    if (expected) {
      const e = expected()
      if (sameMeaning(m.meaning, [{ value: JSON.stringify(e.value), commentBefore: e.commentBefore }])) return m.parsed
    }
    const n = meaning(next)
    return n !== undefined && sameMeaning(m.meaning, n.meaning) ? m.parsed : undefined
  } catch {
    return undefined
  }
}

/** Whether a value is a YAML node (for callers that move subtrees). */
export function isYamlNode(v: unknown): boolean {
  return isNode(v) || isPair(v) || isDocument(v)
}

/**
 * The value of one YAML document as Kubernetes reads it (YAML 1.1 types: `yes` and `0775` are a boolean and an
 * octal number), for schema validation. Undefined when the text does not parse.
 */
export function typedValue(text: string): unknown {
  try {
    const d = parseAllDocuments(text, { version: '1.1', merge: true, prettyErrors: false, logLevel: 'error' })
    const doc = Array.isArray(d) ? d.find((x) => x.contents !== null) : undefined
    if (!doc || doc.errors.length > 0) return undefined
    return doc.toJS({ maxAliasCount: 1000 })
  } catch {
    return undefined
  }
}

/** A part of a tree the walks here leave to yaml itself ({@link typedValue}'s full parse, or `toJS`). */
export const REPARSE = Symbol('reparse')

/**
 * {@link typedValue} read off a parsed (failsafe) tree without parsing again: plain scalars take the type YAML 1.1
 * gives them, by the same tags and in the same order as the parser tries them; quoted and block scalars stay
 * strings; an alias is the value of its anchor's node. Whatever that does not cover (an explicit tag, a merge key,
 * a key that is not a string) returns REPARSE, and the text is parsed as YAML 1.1 after all.
 */
export function typedValueOfTree(node: unknown, atKey = false, anchors = new Map<string, unknown>(), respelled?: Respelled): unknown {
  const v = typedNode(node, atKey, anchors, respelled)
  if (v !== REPARSE && isNode(node) && !isAlias(node) && node.anchor) anchors.set(node.anchor, v)
  return v
}

/** Scalars read with another text than their own: their new value, and whether they are plain (typed by it). */
type Respelled = Map<Scalar, { value: string; plain: boolean }>

function typedNode(node: unknown, atKey: boolean, anchors: Map<string, unknown>, respelled: Respelled | undefined): unknown {
  if (isAlias(node)) return anchors.has(node.source) ? anchors.get(node.source) : REPARSE
  if (isScalar(node)) {
    const other = respelled?.get(node)
    const v = other ? other.value : node.value
    if (node.tag !== undefined || typeof v !== 'string') return REPARSE
    if (!(other ? other.plain : node.type === Scalar.PLAIN)) return v
    const tag = yaml11Schema().tags.find((t) => (t.default === true || (atKey && t.default === 'key')) && t.test?.test(v))
    if (!tag) return v
    if (tag.tag === 'tag:yaml.org,2002:merge' || !tag.resolve) return REPARSE
    let failed = false
    // Only scalar tags have a `test`.
    const resolve = tag.resolve as (value: string, onError: (message: string) => void, options: object) => unknown
    const out = resolve(v, () => (failed = true), {})
    // Some tags (null, float) resolve to a node holding the value.
    const value = isScalar(out) ? out.value : out
    return failed || isNode(value) || typeof value === 'symbol' ? REPARSE : value
  }
  if (isMap(node)) {
    if (node.tag !== undefined) return REPARSE
    const out: Record<string, unknown> = {}
    for (const p of node.items) {
      const k = typedValueOfTree(p.key, true, anchors, respelled)
      if (typeof k !== 'string' || k === '__proto__' || Object.hasOwn(out, k)) return REPARSE
      const v = p.value === null ? null : typedValueOfTree(p.value, false, anchors, respelled)
      if (v === REPARSE) return REPARSE
      out[k] = v
    }
    return out
  }
  if (isSeq(node)) {
    if (node.tag !== undefined) return REPARSE
    const out: unknown[] = []
    for (const item of node.items) {
      const v = item === null ? null : typedValueOfTree(item, false, anchors, respelled)
      if (v === REPARSE) return REPARSE
      out.push(v)
    }
    return out
  }
  return REPARSE
}

/**
 * The value {@link typedValue} reads from `out` (`sub` applied to the unedited document `y`'s source), read off the
 * tree: every change `sub` makes must fall inside one-line scalars, plain ones staying one plain scalar (nothing that
 * starts a comment, a key or an indicator) and quoted ones staying quoted without escapes, and `sub` applied to each
 * of them alone must make exactly `out`. Those scalars are then read with their new text (a plain one typed by it).
 * REPARSE when any of this does not hold: the caller parses `out`.
 */
export function substitutedTypedValue(y: YamlDoc, sub: (text: string) => string, out: string): unknown {
  const source = y.source
  if (y.edited || y.frozen !== undefined || source === undefined || y.doc.errors.length > 0) return REPARSE
  const found: { node: Scalar; start: number; end: number }[] = []
  let bad = false
  const walk = (n: unknown): void => {
    if (bad || n === null || n === undefined) return
    if (isScalar(n)) {
      const [a, b] = n.range ?? [0, 0]
      const start = a - y.offset
      const end = b - y.offset
      if (start < 0 || end > source.length) bad = true
      else if (source.slice(start, end).includes('$')) found.push({ node: n, start, end })
    } else if (isMap(n)) for (const p of n.items) walk(p.key), walk(p.value)
    else if (isSeq(n)) for (const i of n.items) walk(i)
    else if (!isAlias(n)) bad = true
  }
  walk(y.doc.contents)
  if (bad) return REPARSE
  found.sort((p, q) => p.start - q.start)
  const respelled: Respelled = new Map()
  let rebuilt = ''
  let last = 0
  for (const f of found) {
    if (f.start < last) return REPARSE
    const was = source.slice(f.start, f.end)
    const now = sub(was)
    rebuilt += source.slice(last, f.start) + now
    last = f.end
    if (now === was) continue
    // (A key longer than 1024 characters, or a document marker, is read otherwise.)
    if (was.includes('\n') || now.length > 1024 || /^(?:---|\.\.\.)/.test(now)) return REPARSE
    if (f.node.type === Scalar.PLAIN) {
      // (A plain scalar of a flow collection cannot hold `{`: no `${…}` is ever in one.)
      if (now === '' || now !== now.trim() || PLAIN_START.test(now) || PLAIN_BREAK.test(now)) return REPARSE
      respelled.set(f.node, { value: now, plain: true })
    } else {
      const q = f.node.type === Scalar.QUOTE_DOUBLE ? '"' : f.node.type === Scalar.QUOTE_SINGLE ? "'" : undefined
      if (!q || was.length < 2 || !was.startsWith(q) || !was.endsWith(q) || now.length < 2 || !now.startsWith(q) || !now.endsWith(q)) return REPARSE
      const inner = now.slice(1, -1)
      // Escapes (a backslash in double quotes, a doubled quote in single ones) would make the value differ from the text.
      if (/[\n\r]/.test(inner) || inner.includes(q) || (q === '"' && (inner.includes('\\') || was.includes('\\')))) return REPARSE
      respelled.set(f.node, { value: inner, plain: false })
    }
  }
  // The text Flux reads is then the source with those scalars re-spelled, nothing else (a `$schema` comment left as it
  // was is fine; a substitution in a comment, an anchor or across scalars is not).
  if (rebuilt + source.slice(last) !== out) return REPARSE
  return typedValueOfTree(y.doc.contents, false, new Map(), respelled)
}
