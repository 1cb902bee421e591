/** The file-system side: reading a repository from disk (confined to its root) and atomic writes. */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Vfs } from './vfs.ts'
import { MigrationError } from './errors.ts'

const MAX_FILE = 8 * 1024 * 1024

/** A repository on disk. Symlinks that leave the root, and files over 8 MiB, read as absent. */
export class NodeVfs implements Vfs {
  readonly root: string
  constructor(root: string) {
    let st: fs.Stats
    try {
      st = fs.statSync(root)
    } catch (cause) {
      throw new MigrationError('READ_FAILED', `repository root ${root} does not exist`, cause)
    }
    if (!st.isDirectory()) throw new MigrationError('READ_FAILED', `repository root ${root} is not a directory`)
    this.root = fs.realpathSync(root)
  }

  /** Real paths of the folders seen so far (a folder's symlinks are resolved once per run, not per file read). */
  private readonly dirs = new Map<string, string | undefined>()

  private inside(real: string): boolean {
    return real === this.root || real.startsWith(this.root + path.sep)
  }

  private realDir(a: string): string | undefined {
    if (a === this.root) return a
    if (this.dirs.has(a)) return this.dirs.get(a)
    const parent = this.realDir(path.dirname(a))
    if (parent === undefined) return undefined
    const found = this.target(path.join(parent, path.basename(a)))
    // Missing now; it may be created later in the run, so nothing is remembered.
    if (found === undefined) return undefined
    this.dirs.set(a, found.real)
    return found.real
  }

  /**
   * What `here` (a path whose folder is real) stands for: its own status, or its link's target when that stays inside
   * the root (`real` undefined when it leaves). Absent paths are asked about without an exception being made.
   */
  private target(here: string): { real: string | undefined; st: fs.Stats } | undefined {
    try {
      const st = fs.lstatSync(here, { throwIfNoEntry: false })
      if (st === undefined) return undefined
      if (!st.isSymbolicLink()) return { real: here, st }
      const real = fs.realpathSync.native(here)
      const to = fs.statSync(real, { throwIfNoEntry: false })
      if (to === undefined) return undefined
      return { real: this.inside(real) ? real : undefined, st: to }
    } catch {
      return undefined
    }
  }

  /** The real path of `p` inside the root with its status, or undefined when absent or outside. */
  private resolved(p: string): { real: string; st: fs.Stats } | undefined {
    const a = path.resolve(this.root, p)
    if (!this.inside(a)) return undefined
    if (a === this.root) {
      const st = fs.statSync(a, { throwIfNoEntry: false })
      return st && { real: a, st }
    }
    const dir = this.realDir(path.dirname(a))
    if (dir === undefined) return undefined
    const found = this.target(path.join(dir, path.basename(a)))
    return found?.real === undefined ? undefined : { real: found.real, st: found.st }
  }

  read(p: string): string | undefined {
    const r = this.resolved(p)
    if (!r || !r.st.isFile() || r.st.size > MAX_FILE) return undefined
    try {
      return fs.readFileSync(r.real, 'utf8')
    } catch {
      return undefined
    }
  }
  unreadable(p: string): string | undefined {
    const a = path.resolve(this.root, p)
    // existsSync follows links: a dangling one is simply absent.
    if ((a !== this.root && !a.startsWith(this.root + path.sep)) || !fs.existsSync(a)) return undefined
    const r = this.resolved(p)
    if (r === undefined) return 'is a link that leaves the repository'
    return r.st.isFile() && r.st.size > MAX_FILE ? `is larger than ${MAX_FILE / 1024 / 1024} MiB, which bitty2chongus does not read` : undefined
  }
  isDir(p: string): boolean {
    return this.resolved(p)?.st.isDirectory() ?? false
  }
  list(p: string): string[] | undefined {
    const r = this.resolved(p)
    if (!r?.st.isDirectory()) return undefined
    try {
      return fs
        .readdirSync(r.real)
        .filter((n) => n !== '.git')
        .sort()
    } catch {
      return undefined
    }
  }
}

/** A file operation of a migration. */
export interface FileWrite {
  path: string
  /** New content, or undefined to delete. */
  content: string | undefined
}

/** The file-system calls {@link writeAtomically} makes; injectable so tests can fail the Nth call. */
export interface WriteFs {
  writeFileSync(p: string, data: string): void
  renameSync(from: string, to: string): void
  unlinkSync(p: string): void
  mkdirSync(p: string, opts: { recursive: true }): void
  existsSync(p: string): boolean
  readFileSync(p: string): Buffer
  rmdirSync(p: string): void
}

/**
 * Applies every write or none: new contents are staged next to their targets, originals are kept aside, and any
 * failure restores the originals and removes what was created. Paths must stay inside `root`.
 */
export function writeAtomically(root: string, writes: readonly FileWrite[], io: WriteFs = fs as unknown as WriteFs): void {
  const realRoot = fs.realpathSync(root)
  const targets = writes.map((w) => {
    const abs = path.resolve(realRoot, w.path)
    if (!abs.startsWith(realRoot + path.sep)) throw new MigrationError('WRITE_FAILED', `refusing to write outside the repository: ${w.path}`)
    let probe = path.dirname(abs)
    while (!fs.existsSync(probe)) probe = path.dirname(probe)
    const real = fs.realpathSync(probe)
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) throw new MigrationError('WRITE_FAILED', `refusing to write through a link that leaves the repository: ${w.path}`)
    return { ...w, abs }
  })
  const tag = `.b2c-${process.pid}-${Date.now()}`
  const createdDirs: string[] = []
  const staged: string[] = []
  const backups: { abs: string; backup: string }[] = []
  const placed: string[] = []
  // The repository path being written when a call fails, for the message.
  let at = ''
  try {
    for (const t of targets) {
      if (t.content === undefined) continue
      at = t.path
      const dir = path.dirname(t.abs)
      const missing: string[] = []
      for (let d = dir; !io.existsSync(d); d = path.dirname(d)) missing.unshift(d)
      for (const d of missing) {
        io.mkdirSync(d, { recursive: true })
        createdDirs.push(d)
      }
      const tmp = `${t.abs}${tag}.new`
      io.writeFileSync(tmp, t.content)
      staged.push(tmp)
    }
    for (const t of targets) {
      at = t.path
      if (io.existsSync(t.abs)) {
        const backup = `${t.abs}${tag}.old`
        io.renameSync(t.abs, backup)
        backups.push({ abs: t.abs, backup })
      }
      if (t.content !== undefined) {
        io.renameSync(`${t.abs}${tag}.new`, t.abs)
        placed.push(t.abs)
      }
    }
  } catch (cause) {
    for (const p of placed.reverse()) tryDo(() => fs.unlinkSync(p))
    for (const b of backups.reverse()) tryDo(() => fs.renameSync(b.backup, b.abs))
    for (const s of staged) tryDo(() => fs.existsSync(s) && fs.unlinkSync(s))
    for (const d of createdDirs.reverse()) tryDo(() => fs.rmdirSync(d))
    throw new MigrationError('WRITE_FAILED', `writing ${at} failed, nothing was changed: ${(cause as Error).message}`, cause)
  }
  for (const b of backups) tryDo(() => fs.unlinkSync(b.backup))
  // Folders left empty by deletions go too, as git would not keep them.
  for (const t of targets) {
    if (t.content !== undefined) continue
    for (let d = path.dirname(t.abs); d.startsWith(realRoot + path.sep); d = path.dirname(d)) {
      try {
        if (fs.readdirSync(d).length > 0) break
        fs.rmdirSync(d)
      } catch {
        break
      }
    }
  }
}

function tryDo(f: () => unknown): void {
  try {
    f()
  } catch {
    /* best effort while restoring */
  }
}
