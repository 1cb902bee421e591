/** Real `git`, run with `execFile` (no shell: arguments are never parsed by one). */
import { execFile } from 'node:child_process'
import { MigrationError } from './errors.ts'

/** Input and environment of one git call. */
export interface GitOptions {
  /** Text for stdin. */
  input?: string
  /** Extra environment (merged over the process's). */
  env?: Record<string, string>
}

/** A repository to run git in: `dir` is any folder inside its work tree. */
export class Git {
  constructor(readonly dir: string) {}

  /** Runs git and returns stdout; a failure is a `MigrationError` (`GIT`) quoting git's own message. */
  async run(args: readonly string[], opts: GitOptions = {}): Promise<string> {
    return (await this.runRaw(args, opts)).toString('utf8')
  }

  /** {@link run} with stdout as bytes (blob sizes count bytes, not characters). */
  runRaw(args: readonly string[], opts: GitOptions = {}): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        [...args],
        { cwd: this.dir, env: { ...process.env, ...opts.env, GIT_TERMINAL_PROMPT: '0' }, maxBuffer: 1 << 30, encoding: 'buffer' },
        (err, stdout, stderr) => {
          if (!err) return resolve(stdout)
          const why = (stderr.toString('utf8') || err.message).trim().split('\n').slice(-3).join('; ')
          reject(new MigrationError('GIT', `git ${args.filter((a) => !a.includes('\n')).join(' ')} failed: ${why}`, err))
        },
      )
      child.stdin?.on('error', () => undefined)
      child.stdin?.end(opts.input ?? '')
    })
  }

  /** Like {@link run}, but undefined instead of a failure (for questions whose "no" is a non-zero exit). */
  async try(args: readonly string[], opts?: GitOptions): Promise<string | undefined> {
    try {
      return await this.run(args, opts)
    } catch {
      return undefined
    }
  }

  /** The work tree's top folder, or a `GIT` error that says this is no git repository. */
  async topLevel(): Promise<string> {
    const out = await this.try(['rev-parse', '--show-toplevel'])
    if (out === undefined) throw new MigrationError('GIT', `${this.dir} is not inside a git work tree`)
    return out.trim()
  }

  /** Paths with uncommitted changes or untracked (not ignored) files, as `git status` names them. */
  async dirtyFiles(): Promise<string[]> {
    const out = await this.run(['status', '--porcelain=v1', '-z', '--untracked-files=all'])
    const entries = out.split('\0').filter(Boolean)
    const files: string[] = []
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]
      files.push(e.slice(3))
      // A rename carries its source as the next entry.
      if (e[0] === 'R' || e[0] === 'C') i++
    }
    return files
  }

  /** The commit a revision names, or undefined. */
  async commit(rev: string): Promise<string | undefined> {
    return (await this.try(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]))?.trim() || undefined
  }

  /** The commit a ref points at, or undefined when the ref does not exist. */
  async ref(ref: string): Promise<string | undefined> {
    return (await this.try(['rev-parse', '--verify', '--quiet', ref]))?.trim() || undefined
  }

  /** Points `ref` at `sha` (only if it still points at `old`; `old` undefined: only if it does not exist yet). */
  async setRef(ref: string, sha: string, old: string | undefined): Promise<void> {
    await this.run(['update-ref', '-m', 'bitty2chongus', ref, sha, old ?? '0'.repeat(40)])
  }

  async deleteRef(ref: string, old: string): Promise<void> {
    await this.run(['update-ref', '-d', ref, old])
  }

  /** Branches checked out in this repository's work trees (`refs/heads/...`). */
  async checkedOut(): Promise<Set<string>> {
    const out = await this.run(['worktree', 'list', '--porcelain'])
    return new Set(out.split('\n').filter((l) => l.startsWith('branch ')).map((l) => l.slice('branch '.length)))
  }

  /** The URL of a remote, or undefined when there is no such remote. */
  async remoteUrl(remote: string): Promise<string | undefined> {
    return (await this.try(['remote', 'get-url', remote]))?.trim() || undefined
  }

  /** The commit a remote branch points at, or undefined when the remote has no such branch. */
  async remoteBranch(remote: string, branch: string): Promise<string | undefined> {
    const out = await this.run(['ls-remote', '--heads', remote, `refs/heads/${branch}`])
    const line = out.split('\n').find((l) => l.endsWith(`\trefs/heads/${branch}`))
    return line?.split('\t')[0]
  }

  /** Fetches a remote branch's objects without writing any ref or FETCH_HEAD. */
  async fetchObjects(remote: string, branch: string): Promise<void> {
    await this.run(['fetch', '--no-tags', '--no-write-fetch-head', '--quiet', remote, `refs/heads/${branch}`])
  }

  /** Pushes `sha` to the remote branch; `lease` is the commit it must still be at (undefined: it must not exist). */
  async push(remote: string, sha: string, branch: string, lease: string | undefined): Promise<void> {
    const ref = `refs/heads/${branch}`
    await this.run(['push', '--quiet', '--porcelain', `--force-with-lease=${ref}:${lease ?? ''}`, remote, `${sha}:${ref}`])
  }
}
