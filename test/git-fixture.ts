/** Real git repositories for the PR bot tests: a clone of the fleet fixture and a bare remote. */
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { main } from '../src/cli.ts'
import { cliIo, readTree, writeTree } from './helpers.ts'

export const FLEET = path.resolve(__dirname, 'fixtures/fleet')
export const NOTES = 'cluster-cd/apps/bitty/default/notes'
export const WEBAPP = 'cluster-cd/apps/bitty/default/webapp'

/** Runs git in `dir` with a fixed identity and no user configuration. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], env: gitEnv() })
}

export function gitEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.net',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.net',
  }
}

/** A repository on `main` holding the fleet fixture, pushed to a bare `origin`. */
export function repoWithRemote(): { dir: string; remote: string } {
  const remote = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-remote-'))
  git(remote, 'init', '-q', '--bare', '-b', 'main')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-repo-'))
  writeTree(dir, readTree(FLEET))
  git(dir, 'init', '-q', '-b', 'main')
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', 'home-ops')
  git(dir, 'remote', 'add', 'origin', remote)
  git(dir, 'push', '-q', 'origin', 'main')
  return { dir, remote }
}

/** What must not change when the bot fails: checked-out branch, HEAD, index and work tree, local branches. */
export function gitState(dir: string): { head: string; sha: string; status: string; branches: string } {
  return {
    head: git(dir, 'symbolic-ref', 'HEAD').trim(),
    sha: git(dir, 'rev-parse', 'HEAD').trim(),
    status: git(dir, 'status', '--porcelain=v1', '--untracked-files=all'),
    branches: git(dir, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads'),
  }
}

/** Runs the CLI with git's test identity in the environment the bot's git calls inherit. */
export async function pr(dir: string, argv: string[], env: Record<string, string> = {}) {
  const t = cliIo(dir, { env })
  const saved = { ...process.env }
  Object.assign(process.env, gitEnv())
  try {
    const code = await main(['pr', ...argv], t.io)
    return { code, out: t.out(), err: t.err() }
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
    Object.assign(process.env, saved)
  }
}
