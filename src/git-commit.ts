/**
 * Commits without a checkout: a tree is read straight from the object database, and commits are built in a
 * temporary index. The user's branch, index and working tree are never touched, so there is nothing to restore.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { Git } from './git.ts'
import type { Change } from './patch.ts'

/** Files over this size read as absent, as they do from disk (`NodeVfs`). */
const MAX_FILE = 8 * 1024 * 1024

/** The regular files of a commit below `prefix`, keyed by their path relative to it, with their git modes. */
export async function readCommitTree(git: Git, commit: string, prefix: string): Promise<{ files: Record<string, string>; modes: Map<string, string> }> {
  const spec = prefix === '' ? [] : ['--', prefix]
  const listing = (await git.run(['ls-tree', '-r', '-z', '--long', '--full-tree', commit, ...spec])).split('\0').filter(Boolean)
  const wanted: { sha: string; path: string; mode: string }[] = []
  for (const entry of listing) {
    const tab = entry.indexOf('\t')
    const [mode, type, sha, size] = entry.slice(0, tab).split(/ +/)
    const full = entry.slice(tab + 1)
    // Links and submodules are left out, as reading from disk confines links to the repository anyway.
    if (type !== 'blob' || (mode !== '100644' && mode !== '100755') || Number(size) > MAX_FILE) continue
    wanted.push({ sha, mode, path: prefix === '' ? full : full.slice(prefix.length + 1) })
  }
  const files: Record<string, string> = {}
  const modes = new Map<string, string>()
  if (wanted.length === 0) return { files, modes }
  const out = await git.runRaw(['cat-file', '--batch'], { input: wanted.map((w) => w.sha).join('\n') + '\n' })
  let at = 0
  for (const w of wanted) {
    const eol = out.indexOf(10, at)
    const size = Number(out.subarray(at, eol).toString('latin1').split(' ')[2])
    files[w.path] = out.subarray(eol + 1, eol + 1 + size).toString('utf8')
    modes.set(w.path, w.mode)
    at = eol + 1 + size + 1
  }
  return { files, modes }
}

/** What one commit adds on top of its parent. */
export interface CommitSpec {
  message: string
  /** Changes with paths relative to `prefix`. */
  changes: readonly Change[]
}

/**
 * Builds a chain of commits on `parent` (each on the previous one) from exactly the changed paths, and returns their
 * shas. Nothing but objects is written: no ref, no index, no working tree file.
 */
export async function buildCommits(git: Git, parent: string, specs: readonly CommitSpec[], prefix: string, modes: ReadonlyMap<string, string>): Promise<string[]> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-index-'))
  const env = { GIT_INDEX_FILE: path.join(tmp, 'index') }
  const shas: string[] = []
  try {
    await git.run(['read-tree', parent], { env })
    let head = parent
    for (const spec of specs) {
      const records: string[] = []
      for (const c of spec.changes) {
        const p = prefix === '' ? c.path : `${prefix}/${c.path}`
        if (c.after === undefined) records.push(`0 ${'0'.repeat(40)}\t${p}`)
        else {
          const blob = (await git.run(['hash-object', '-w', '--stdin'], { input: c.after })).trim()
          records.push(`${modes.get(c.path) ?? '100644'} ${blob}\t${p}`)
        }
      }
      await git.run(['update-index', '-z', '--index-info'], { env, input: records.map((r) => r + '\0').join('') })
      const tree = (await git.run(['write-tree'], { env })).trim()
      head = (await git.run(['commit-tree', tree, '-p', head, '-F', '-'], { input: spec.message })).trim()
      shas.push(head)
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
  return shas
}

/** A commit of a branch, as compared between runs. */
export interface ChainCommit {
  sha: string
  tree: string
  parents: string[]
  message: string
}

/** The commits of `tip` that `base` does not have, oldest first. */
export async function chainOf(git: Git, base: string, tip: string): Promise<ChainCommit[]> {
  const out = await git.run(['log', '--reverse', '--format=%H%x1f%T%x1f%P%x1f%B%x1e', `${base}..${tip}`])
  return out
    .split('\x1e')
    .map((r) => r.replace(/^\n/, ''))
    .filter((r) => r.length > 0)
    .map((r) => {
      const [sha, tree, parents, message] = r.split('\x1f')
      return { sha, tree, parents: parents.split(' ').filter(Boolean), message: message.trim() }
    })
}

/** The tree of a commit. */
export async function treeOf(git: Git, commit: string): Promise<string> {
  return (await git.run(['rev-parse', `${commit}^{tree}`])).trim()
}

/** One commit as an mbox patch that `git am` applies. */
export async function formatPatch(git: Git, commit: string): Promise<string> {
  return git.run(['format-patch', '-1', '--stdout', '--no-signature', commit])
}
