import { basename, isWithin, normalize } from './paths.ts'

/** Read access to a repository: repository-relative POSIX paths. */
export interface Vfs {
  /** File text, or undefined when absent (or not a regular file inside the repository). */
  read(path: string): string | undefined
  isDir(path: string): boolean
  /** Names of the entries of a directory (every one `read` or `isDir` finds, `.git` aside), or undefined when it is not one. */
  list(dir: string): string[] | undefined
  /** Why a path that is there reads as absent (a link leaving the repository, a file too large), if it does. */
  unreadable?(path: string): string | undefined
}

/**
 * A repository as one run sees it: every read, listing and folder test of `base` is made once and remembered, since
 * a migration reads the same files many times (the draft, then the check of the draft and of the input) and the
 * repository does not change under it. A run makes its own; one that is kept would not see later changes.
 */
export class SnapshotVfs implements Vfs {
  private readonly reads = new Map<string, string | undefined>()
  private readonly dirs = new Map<string, boolean>()
  private readonly lists = new Map<string, string[] | undefined>()
  /** The entry names of each folder listed so far. */
  private readonly names = new Map<string, Set<string>>()
  constructor(readonly base: Vfs) {}
  read(path: string): string | undefined {
    if (!this.reads.has(path)) this.reads.set(path, this.ruledOut(path) ? undefined : this.base.read(path))
    return this.reads.get(path)
  }
  unreadable(path: string): string | undefined {
    return this.base.unreadable?.(path)
  }
  isDir(path: string): boolean {
    let d = this.dirs.get(path)
    if (d === undefined) this.dirs.set(path, (d = !this.ruledOut(path) && this.base.isDir(path)))
    return d
  }
  list(dir: string): string[] | undefined {
    if (!this.lists.has(dir)) {
      const l = this.ruledOut(dir) ? undefined : this.base.list(dir)
      this.lists.set(dir, l)
      if (l) this.names.set(dir, new Set(l))
    }
    const l = this.lists.get(dir)
    return l && [...l]
  }

  /**
   * Whether what the snapshot knows of the path's folders rules the path out, so that the base is not asked: a folder
   * above it is not one, or a listing of one lacks the next name. Most absent paths a run asks about (a file name
   * tried in a folder, a Chongus folder not made yet) are known to be absent this way.
   */
  private ruledOut(path: string): boolean {
    const segments = path.split('/')
    if (segments.some((s) => s === '' || s === '.' || s === '..' || s === '.git')) return false
    let dir = ''
    for (const name of segments) {
      if (this.dirs.get(dir) === false || (this.lists.has(dir) && this.lists.get(dir) === undefined)) return true
      const names = this.names.get(dir)
      if (names !== undefined && !names.has(name)) return true
      dir = dir === '' ? name : `${dir}/${name}`
    }
    return false
  }
}

/** A repository held in memory, e.g. for library users and tests. */
export class MemoryVfs implements Vfs {
  private readonly files = new Map<string, string>()
  private readonly dirs = new Map<string, Set<string>>()

  constructor(files: Iterable<[string, string]> | Record<string, string>) {
    const entries = Symbol.iterator in Object(files) ? (files as Iterable<[string, string]>) : Object.entries(files)
    for (const [p, text] of entries) {
      const n = normalize(p)
      if (n === undefined || n === '') throw new Error(`invalid repository path: ${p}`)
      this.files.set(n, text)
      let child = n
      for (let d = parentOf(n); ; d = parentOf(d)) {
        const set = this.dirs.get(d) ?? new Set<string>()
        set.add(basename(child))
        this.dirs.set(d, set)
        if (d === '') break
        child = d
      }
    }
  }

  read(path: string): string | undefined {
    return this.files.get(path)
  }
  isDir(path: string): boolean {
    return this.dirs.has(path)
  }
  list(dir: string): string[] | undefined {
    const s = this.dirs.get(dir)
    return s ? [...s].sort() : undefined
  }
  /** Every file path, sorted. */
  paths(): string[] {
    return [...this.files.keys()].sort()
  }
}

function parentOf(p: string): string {
  const i = p.lastIndexOf('/')
  return i < 0 ? '' : p.slice(0, i)
}

/** All files below `dir`, recursively, sorted. */
export function walk(vfs: Vfs, dir: string): string[] {
  const out: string[] = []
  const visit = (d: string) => {
    for (const name of vfs.list(d) ?? []) {
      const p = d === '' ? name : `${d}/${name}`
      if (vfs.isDir(p)) visit(p)
      else out.push(p)
    }
  }
  visit(dir)
  return out.filter((p) => isWithin(p, dir)).sort()
}

/** A repository seen through pending changes: `files` maps a path to its new text, or undefined when deleted. */
export class OverlayVfs implements Vfs {
  private readonly mem: MemoryVfs
  constructor(
    readonly base: Vfs,
    readonly files: ReadonlyMap<string, string | undefined>,
  ) {
    this.mem = new MemoryVfs([...files].filter((e): e is [string, string] => e[1] !== undefined))
  }
  read(path: string): string | undefined {
    return this.files.has(path) ? this.files.get(path) : this.base.read(path)
  }
  unreadable(path: string): string | undefined {
    return this.files.has(path) ? undefined : this.base.unreadable?.(path)
  }
  isDir(path: string): boolean {
    return this.mem.isDir(path) || (this.base.isDir(path) && (this.list(path) ?? []).length > 0)
  }
  list(dir: string): string[] | undefined {
    const names = new Set([...(this.base.list(dir) ?? []), ...(this.mem.list(dir) ?? [])])
    const out = [...names].filter((n) => {
      const p = dir === '' ? n : `${dir}/${n}`
      return this.read(p) !== undefined || this.mem.isDir(p) || (this.base.isDir(p) && (this.base.list(p) ?? []).some((c) => this.read(`${p}/${c}`) !== undefined || this.isDir(`${p}/${c}`)))
    })
    return out.length === 0 && !this.base.isDir(dir) && !this.mem.isDir(dir) ? undefined : out.sort()
  }
}
