/**
 * Bot branches, local and remote. A branch is reused when it already holds the same commits (same trees and
 * messages on the same base), rebuilt when it holds only this tool's commits, and never touched when anyone else
 * committed to it. Every local ref change is journaled so a failure puts the refs back as they were.
 */
import { chainOf, type ChainCommit } from './git-commit.ts'
import type { Git } from './git.ts'
import { isBotCommit } from './pr-body.ts'

/** Local ref changes of a run, undone in reverse on failure. */
export class RefJournal {
  private readonly entries: { ref: string; old: string | undefined; now: string }[] = []
  constructor(private readonly git: Git) {}

  async set(ref: string, sha: string, old: string | undefined): Promise<void> {
    await this.git.setRef(ref, sha, old)
    this.entries.push({ ref, old, now: sha })
  }

  /** Puts every ref back (best effort: each step is tried even when one fails). */
  async rollback(): Promise<string[]> {
    const problems: string[] = []
    for (const e of this.entries.reverse()) {
      try {
        if (e.old === undefined) await this.git.deleteRef(e.ref, e.now)
        else await this.git.setRef(e.ref, e.old, e.now)
      } catch (err) {
        problems.push(`${e.ref}: ${(err as Error).message}`)
      }
    }
    this.entries.length = 0
    return problems
  }
}

/** Same content: as many commits, each with the same tree and message, the first on `base`. */
export function sameChain(a: readonly ChainCommit[], b: readonly ChainCommit[], base: string): boolean {
  return a.length === b.length && a.length > 0 && a[0].parents.length === 1 && a[0].parents[0] === base && a.every((c, i) => c.tree === b[i].tree && c.message === b[i].message && c.parents.length === 1)
}

/** Only this tool's commits: safe to replace. */
export function botOwned(chain: readonly ChainCommit[]): boolean {
  return chain.every((c) => c.parents.length === 1 && isBotCommit(c.message))
}

/** What happened to the local branch. */
export type LocalAction = 'created' | 'updated' | 'unchanged'

/** Points the local branch at the desired commits, or keeps it when it already has them. */
export async function settleLocal(git: Git, journal: RefJournal, branch: string, base: string, tip: string): Promise<{ action: LocalAction; tip: string } | { refused: string }> {
  const ref = `refs/heads/${branch}`
  const desired = await chainOf(git, base, tip)
  const old = await git.ref(ref)
  if (old === undefined) {
    await journal.set(ref, tip, undefined)
    return { action: 'created', tip }
  }
  const existing = await chainOf(git, base, old)
  if (sameChain(existing, desired, base)) return { action: 'unchanged', tip: old }
  if (!botOwned(existing)) return { refused: `branch ${branch} has commits that are not bitty2chongus's; they are kept: rename or delete the branch to let the tool recreate it` }
  await journal.set(ref, tip, old)
  return { action: 'updated', tip }
}

/** What happened to the remote branch: `replaced` overwrote an older run's commits. */
export type RemoteAction = 'pushed' | 'replaced' | 'up to date'

/** Brings the remote branch to the local one's content, pushing only when it differs. */
export async function settleRemote(git: Git, journal: RefJournal, remote: string, branch: string, base: string, tip: string): Promise<{ action: RemoteAction; tip: string } | { refused: string }> {
  const theirs = await git.remoteBranch(remote, branch)
  if (theirs === tip) return { action: 'up to date', tip }
  if (theirs === undefined) {
    await git.push(remote, tip, branch, undefined)
    return { action: 'pushed', tip }
  }
  await git.fetchObjects(remote, branch)
  const remoteChain = await chainOf(git, base, theirs)
  if (sameChain(remoteChain, await chainOf(git, base, tip), base)) {
    // Same content pushed by an earlier run (e.g. from another clone): adopt it instead of pushing a twin.
    await journal.set(`refs/heads/${branch}`, theirs, await git.ref(`refs/heads/${branch}`))
    return { action: 'up to date', tip: theirs }
  }
  if (!botOwned(remoteChain)) return { refused: `${remote} has commits on ${branch} that are not bitty2chongus's; nothing was pushed: merge or delete that branch first` }
  await git.push(remote, tip, branch, theirs)
  return { action: 'replaced', tip }
}
