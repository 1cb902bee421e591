/** The migration's draft of the repository: files read lazily from a {@link Vfs}, edited, created and deleted. */
import { YamlFile, type YamlDoc } from './document.ts'
import type { ResourceRef } from './diagnostics.ts'
import type { Vfs } from './vfs.ts'
import { collate } from './paths.ts'

export const isYamlPath = (p: string): boolean => /\.ya?ml$/i.test(p)

/** A file of the draft. */
export class WFile {
  /** Path the bytes (and so diagnostic positions) come from in the input repository. */
  origin: string
  /** Content at `path` in the input repository; undefined for a file that did not exist. */
  readonly before: string | undefined
  private text: string | undefined
  private parsed: YamlFile | undefined
  private isDeleted = false

  get deleted(): boolean {
    return this.isDeleted
  }
  set deleted(v: boolean) {
    if (v !== this.isDeleted) this.onChange?.(this)
    this.isDeleted = v
  }

  constructor(
    readonly path: string,
    before: string | undefined,
    content: string | undefined,
    origin?: string,
    /** Called before the file's content changes. */
    private readonly onChange?: (f: WFile) => void,
    /** A parse of the same text another reader already made, to share read-only (see {@link Workspace}). */
    private readonly reuse?: Reuse,
  ) {
    this.before = before
    this.text = content
    this.origin = origin ?? path
  }

  /** Parsed documents (YAML files only; parsed on first use). */
  get yaml(): YamlFile | undefined {
    if (this.parsed === undefined && this.text !== undefined && isYamlPath(this.path)) {
      const shared = this.reuse?.(this.path, this.text)
      if (shared) return (this.parsed = shared)
      this.parsed = parseOrCopy(this.text, this.text === this.before ? this.parsedBefore : undefined)
      this.parsed.onWrite = () => this.onChange?.(this)
    }
    return this.parsed
  }

  private parsedBefore: YamlFile | undefined

  /** `before` parsed, for reading only (never edit it: it is shared by every reader of the input). */
  get beforeYaml(): YamlFile | undefined {
    // A copy, not the draft's own parse: the draft may edit its own.
    if (this.parsedBefore === undefined && this.before !== undefined && isYamlPath(this.path)) this.parsedBefore = parseOrCopy(this.before, this.text === this.before ? this.parsed : undefined)
    return this.parsedBefore
  }

  /** The parse of `before` if one was made already. */
  get beforeYamlIfParsed(): YamlFile | undefined {
    return this.parsedBefore
  }

  /** Drops the parse of `before` (it is made again if asked for). */
  forgetBefore(): void {
    this.parsedBefore = undefined
  }

  /** Takes `parsed` (a parse of exactly this file's text) as its documents. */
  adopt(parsed: YamlFile): void {
    this.parsed = parsed
    parsed.onWrite = () => this.onChange?.(this)
  }

  /** Current content, or undefined when deleted. */
  get after(): string | undefined {
    if (this.deleted) return undefined
    if (this.parsed) return this.parsed.changed ? this.parsed.render() : this.text
    return this.text
  }

  /** True while the file is held as parsed documents (its content is then re-printed to be read). */
  get isParsed(): boolean {
    return this.parsed !== undefined
  }

  /** Replaces the whole content. */
  setText(text: string): void {
    this.onChange?.(this)
    this.text = text
    this.parsed = undefined
    this.deleted = false
  }

  get status(): 'added' | 'modified' | 'deleted' | 'unchanged' {
    const after = this.after
    if (after === this.before) return 'unchanged'
    if (this.before === undefined) return 'added'
    if (after === undefined) return 'deleted'
    return 'modified'
  }
}

/** A parse of `text`: a copy of `same` (cheaper than parsing) when that is an unedited parse of the same text. */
function parseOrCopy(text: string, same: YamlFile | undefined): YamlFile {
  return same && !same.edited ? new YamlFile(same) : new YamlFile(text)
}

/** One YAML document of a file, with its Kubernetes identity. */
export interface Resource {
  readonly file: WFile
  readonly doc: YamlDoc
  readonly ref: ResourceRef
}

export function refOf(doc: YamlDoc): ResourceRef | undefined {
  const apiVersion = doc.getString(['apiVersion'])
  const kind = doc.getString(['kind'])
  if (!apiVersion || !kind) return undefined
  return { apiVersion, kind, name: doc.getString(['metadata', 'name']) ?? '', namespace: doc.getString(['metadata', 'namespace']) }
}

/** Finds a parse of `text` (the content of `path`) made elsewhere; undefined to parse it anew. */
export type Reuse = (path: string, text: string) => YamlFile | undefined

/** A file's state when a journal first saw it change: absent (`file` undefined), deleted, or its content. */
class Saved {
  private content: string | undefined
  /** A copy of the documents of a file that was already edited: rendered only if the content is asked for. */
  private edited: YamlFile | undefined
  readonly deleted: boolean
  readonly origin: string

  constructor(readonly file: WFile | undefined, origin: string) {
    this.deleted = file?.deleted ?? false
    this.origin = file?.origin ?? origin
    if (!file || file.deleted) return
    // Rendering an edited file (a print and a merge) just in case the transform fails would be most of the cost of
    // journaling: a copy of its documents renders the same text later, when a rollback or a listing needs it.
    if (file.isParsed && file.yaml!.edited) this.edited = file.yaml!.copy()
    else this.content = file.after
  }

  /** The content then (undefined: absent or deleted). */
  get text(): string | undefined {
    if (this.edited) {
      this.content = this.edited.render()
      this.edited = undefined
    }
    return this.content
  }
}

export class Workspace {
  private readonly files = new Map<string, WFile>()
  /** Names of written files by parent folder, so listing a folder does not scan every file. */
  private readonly written = new Map<string, Set<string>>()
  /** Open journals, innermost last: each holds the state of every file before its first change since it opened. */
  private journals: Map<string, Saved>[] = []
  private readonly record = (f: WFile) => {
    this.changes++
    this.save(f.path, f)
  }
  private changes = 0
  /**
   * Grows with every change of the draft (an edit, a write, a deletion, an undo) and whenever files take new parses:
   * what was read off the draft (its resources) still holds while it is the same.
   */
  get generation(): number {
    return this.changes
  }
  /** Files loaded or written since the last {@link settle}, and the changed ones it kept parsed. */
  private fresh: WFile[] = []

  /**
   * `reuse` lets a workspace that only reads (the check of a migration) share parses another workspace made of the
   * same text instead of parsing again; such a workspace must not edit its files.
   */
  constructor(
    readonly vfs: Vfs,
    private readonly reuse?: Reuse,
  ) {}

  /** The file at `path` if it was loaded or written, without reading the repository. */
  peek(path: string): WFile | undefined {
    return this.files.get(path)
  }

  private save(path: string, f: WFile | undefined): void {
    let saved: Saved | undefined
    for (const j of this.journals) {
      if (j.has(path)) continue
      saved ??= new Saved(f, path)
      j.set(path, saved)
    }
  }

  /** The file at `path`, or undefined when it does not exist (or was deleted). */
  file(path: string): WFile | undefined {
    let f = this.files.get(path)
    if (!f) {
      const text = this.vfs.read(path)
      if (text === undefined) return undefined
      f = new WFile(path, text, text, undefined, this.record, this.reuse)
      this.files.set(path, f)
      this.fresh.push(f)
    }
    return f.deleted ? undefined : f
  }

  exists(path: string): boolean {
    return this.file(path) !== undefined
  }

  isDir(path: string): boolean {
    if (this.vfs.isDir(path) && this.list(path).length > 0) return true
    return (this.written.get(path)?.size ?? 0) > 0 && this.list(path).length > 0
  }

  /** Entry names of a directory, counting written files and not deleted ones. */
  list(dir: string): string[] {
    const names = new Set([...(this.vfs.list(dir) ?? []), ...(this.written.get(dir) ?? [])])
    const out: string[] = []
    for (const n of names) {
      const p = dir === '' ? n : `${dir}/${n}`
      // Loading the file (its text, not its parse) answers whether it exists, and the caller mostly reads it next.
      if (this.file(p) !== undefined) out.push(n)
      else if (this.vfs.isDir(p) || this.written.has(p)) out.push(n)
    }
    return out.sort()
  }

  /** Creates or overwrites a file. */
  write(path: string, text: string, origin?: string): WFile {
    this.changes++
    // Load what the repository has there first, so journals and `before` see it.
    this.file(path)
    const existing = this.files.get(path)
    this.save(path, existing)
    const before = existing ? existing.before : this.vfs.read(path)
    const f = new WFile(path, before, text, origin, this.record)
    this.files.set(path, f)
    this.fresh.push(f)
    let child = path
    for (let d = dirname(path); ; d = dirname(d)) {
      const set = this.written.get(d) ?? new Set<string>()
      set.add(child.slice(d === '' ? 0 : d.length + 1))
      this.written.set(d, set)
      if (d === '') break
      child = d
    }
    return f
  }

  /** Copies a file (current content); positions of the copy are reported against the source's origin. */
  copy(from: string, to: string): WFile | undefined {
    const src = this.file(from)
    if (!src) return undefined
    const f = this.write(to, src.after ?? '', src.origin)
    // An unedited parse is copied rather than made again from the same text.
    const parsed = src.isParsed ? src.yaml : undefined
    if (parsed && !parsed.edited && isYamlPath(to)) f.adopt(new YamlFile(parsed))
    return f
  }

  delete(path: string): void {
    const f = this.file(path)
    if (f) f.deleted = true
  }

  /** Files loaded or written so far. */
  loaded(): WFile[] {
    return [...this.files.values()]
  }

  /** Files below `dir` (loaded from the repository on demand), sorted by path. */
  filesUnder(dir: string): WFile[] {
    const out: WFile[] = []
    const visit = (d: string) => {
      for (const name of this.list(d)) {
        const p = d === '' ? name : `${d}/${name}`
        const f = this.file(p)
        if (f) out.push(f)
        else visit(p)
      }
    }
    visit(dir)
    return out.sort((a, b) => collate(a.path, b.path))
  }

  /** Resources (documents with apiVersion and kind) of the given files. */
  resources(files: Iterable<WFile>): Resource[] {
    const out: Resource[] = []
    for (const file of files) {
      const y = file.yaml
      if (!y || y.hasErrors) continue
      for (const doc of y.docs) {
        const ref = refOf(doc)
        if (ref) out.push({ file, doc, ref })
      }
    }
    return out
  }

  /**
   * Opens a journal: every file records its state before its first change. The returned function undoes every
   * change since and closes the journal (for a transform that throws, or an app that fails); {@link commit} closes
   * it keeping the changes. Journals nest (an app's around each of its transforms').
   */
  snapshot(): () => void {
    const journal = new Map<string, Saved>()
    this.journals.push(journal)
    return () => {
      this.changes++
      this.journals = this.journals.filter((j) => j !== journal)
      for (const [path, s] of journal) {
        if (!s.file) {
          this.files.delete(path)
          continue
        }
        this.files.set(path, s.file)
        if (s.text !== undefined) s.file.setText(s.text)
        s.file.deleted = s.deleted
        s.file.origin = s.origin
      }
    }
  }

  /** Closes the innermost journal, keeping its changes. */
  commit(): void {
    this.journals.pop()
  }

  /** Files changed since the innermost journal opened: content then (undefined: absent) and now, sorted by path. */
  journaled(): { path: string; before: string | undefined; after: string | undefined }[] {
    const j = this.journals.at(-1)
    if (!j) return []
    const out: { path: string; before: string | undefined; after: string | undefined }[] = []
    for (const [path, s] of j) {
      const after = this.files.get(path)?.after
      if (after !== s.text) out.push({ path, before: s.text, after })
    }
    return out.sort((a, b) => collate(a.path, b.path))
  }

  /** The first file changed since the innermost journal opened that cannot be rendered (yaml refuses to print it). */
  unrenderable(): WFile | undefined {
    for (const path of this.journals.at(-1)?.keys() ?? []) {
      const f = this.files.get(path)
      try {
        void f?.after
      } catch {
        return f
      }
    }
    return undefined
  }

  /**
   * Keeps only the text of the files read or written since the last settle that no later edit needs (unchanged
   * ones, and changed ones `keepParsed` rejects), so that reading them stops re-printing their documents. With
   * `keepUnchanged`, a later check shares what is already a parse of a file's current text: unchanged files and
   * files no edit touched (a new file a transform read) keep theirs, and an edited one-document file takes the
   * parse that verified its merge. Changed files later edits may still report on stay parsed: their positions must
   * keep pointing into the input.
   */
  settle(keepParsed: (path: string) => boolean, options: { keepUnchanged?: boolean } = {}): void {
    this.changes++
    const kept: WFile[] = []
    for (const f of this.fresh) {
      if (this.files.get(f.path) !== f || f.deleted || !f.isParsed) continue
      const unchanged = f.after === f.before
      // Unchanged files are done with (kept parsed or not); only changed shared files stay listed for later apps,
      // so settling stays proportional to one app's files.
      if (unchanged && options.keepUnchanged) continue
      if (keepParsed(f.path) && !unchanged) {
        kept.push(f)
        continue
      }
      f.forgetBefore()
      if (options.keepUnchanged && !f.yaml!.edited) continue
      const reparsed = options.keepUnchanged ? f.yaml!.renderedParse() : undefined
      f.setText(f.after!)
      if (reparsed) f.adopt(reparsed)
    }
    this.fresh = kept
  }

  /** Files loaded or written since the last {@link settle}, and the changed ones it kept parsed. */
  recent(): WFile[] {
    return this.fresh.filter((f) => this.files.get(f.path) === f)
  }

  /** Drops every file under `dir` (a workspace that only reads: they are read again when asked for). */
  forget(dir: string): void {
    this.changes++
    for (const p of this.files.keys()) if (p === dir || p.startsWith(`${dir}/`)) this.files.delete(p)
  }
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/')
  return i < 0 ? '' : p.slice(0, i)
}
