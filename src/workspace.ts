/** The migration's draft of the repository: files read lazily from a {@link Vfs}, edited, created and deleted. */
import { YamlFile, type YamlDoc } from './document.ts'
import type { ResourceRef } from './diagnostics.ts'
import { isWithin } from './paths.ts'
import type { Vfs } from './vfs.ts'

export const isYamlPath = (p: string): boolean => /\.ya?ml$/i.test(p)

/** A file of the draft. */
export class WFile {
  /** Path the bytes (and so diagnostic positions) come from in the input repository. */
  origin: string
  /** Content at `path` in the input repository; undefined for a file that did not exist. */
  readonly before: string | undefined
  private text: string | undefined
  private parsed: YamlFile | undefined
  deleted = false

  constructor(
    readonly path: string,
    before: string | undefined,
    content: string | undefined,
    origin?: string,
  ) {
    this.before = before
    this.text = content
    this.origin = origin ?? path
  }

  /** Parsed documents (YAML files only; parsed on first use). */
  get yaml(): YamlFile | undefined {
    if (this.parsed === undefined && this.text !== undefined && isYamlPath(this.path)) this.parsed = new YamlFile(this.text)
    return this.parsed
  }

  /** Current content, or undefined when deleted. */
  get after(): string | undefined {
    if (this.deleted) return undefined
    if (this.parsed) return this.parsed.changed ? this.parsed.render() : this.text
    return this.text
  }

  /** Replaces the whole content. */
  setText(text: string): void {
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

export class Workspace {
  private readonly files = new Map<string, WFile>()
  constructor(readonly vfs: Vfs) {}

  /** The file at `path`, or undefined when it does not exist (or was deleted). */
  file(path: string): WFile | undefined {
    let f = this.files.get(path)
    if (!f) {
      const text = this.vfs.read(path)
      if (text === undefined) return undefined
      f = new WFile(path, text, text)
      this.files.set(path, f)
    }
    return f.deleted ? undefined : f
  }

  exists(path: string): boolean {
    return this.file(path) !== undefined
  }

  isDir(path: string): boolean {
    if (this.vfs.isDir(path) && this.list(path).length > 0) return true
    for (const f of this.files.values()) if (!f.deleted && f.path !== path && isWithin(f.path, path)) return true
    return false
  }

  /** Entry names of a directory, counting created files and not deleted ones. */
  list(dir: string): string[] {
    const names = new Set(this.vfs.list(dir) ?? [])
    for (const f of this.files.values()) {
      if (!isWithin(f.path, dir) || f.path === dir) continue
      const rest = dir === '' ? f.path : f.path.slice(dir.length + 1)
      const name = rest.split('/')[0]
      if (f.deleted && !rest.includes('/')) names.delete(name)
      else if (!f.deleted) names.add(name)
    }
    return [...names]
      .filter((n) => {
        const p = dir === '' ? n : `${dir}/${n}`
        // A folder may exist only in the draft (files copied into a new app folder).
        return this.exists(p) || this.vfs.isDir(p) || this.isDir(p)
      })
      .sort()
  }

  /** Creates or overwrites a file. */
  write(path: string, text: string, origin?: string): WFile {
    const existing = this.files.get(path)
    const before = existing ? existing.before : this.vfs.read(path)
    const f = new WFile(path, before, text, origin)
    this.files.set(path, f)
    return f
  }

  /** Copies a file (current content); positions of the copy are reported against the source's origin. */
  copy(from: string, to: string): WFile | undefined {
    const src = this.file(from)
    if (!src) return undefined
    return this.write(to, src.after ?? '', src.origin)
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
    return out.sort((a, b) => a.path.localeCompare(b.path))
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

  /** Captures the draft so a failing transform can be undone. */
  snapshot(): () => void {
    const saved = new Map<string, { text: string | undefined; deleted: boolean; origin: string }>()
    for (const [p, f] of this.files) saved.set(p, { text: f.after, deleted: f.deleted, origin: f.origin })
    return () => {
      for (const [p, f] of [...this.files]) {
        const s = saved.get(p)
        if (!s) {
          this.files.delete(p)
          continue
        }
        if (s.text !== undefined) f.setText(s.text)
        f.deleted = s.deleted
        f.origin = s.origin
      }
    }
  }
}
