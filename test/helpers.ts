import * as fs from 'node:fs'
import * as path from 'node:path'
import { execFileSync } from 'node:child_process'
import * as os from 'node:os'

/** Reads a folder into a map of POSIX relative paths to contents (the scaffold's recorder reads cases the same way). */
import { readTree } from '../src/dev/record-golden.ts'
export { readTree }

export function writeTree(dir: string, tree: Record<string, string>): void {
  fs.rmSync(dir, { recursive: true, force: true })
  for (const [p, text] of Object.entries(tree)) {
    const abs = path.join(dir, p)
    fs.mkdirSync(path.dirname(abs), { recursive: true })
    fs.writeFileSync(abs, text)
  }
}

/** Applies changes to a tree (in memory). */
export function applyChanges(tree: Record<string, string>, changes: { path: string; after?: string }[]): Record<string, string> {
  const out = { ...tree }
  for (const c of changes) {
    if (c.after === undefined) delete out[c.path]
    else out[c.path] = c.after
  }
  return out
}

/** Writes `tree` into a fresh git repository and returns its folder. */
export function gitRepo(tree: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-'))
  writeTree(dir, tree)
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' })
  git('init', '-q')
  git('add', '-A')
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'input', '--allow-empty')
  return dir
}

/**
 * Applies `patch` to a git repository of `tree` the way a user does (`git apply --check`, then `git apply`; throws when
 * git refuses it) and returns the tree it leaves.
 */
export function gitApply(tree: Record<string, string>, patch: string): Record<string, string> {
  const repo = gitRepo(tree)
  try {
    fs.writeFileSync(path.join(repo, '.patch'), patch)
    execFileSync('git', ['apply', '--check', '.patch'], { cwd: repo, stdio: 'pipe' })
    execFileSync('git', ['apply', '.patch'], { cwd: repo, stdio: 'pipe' })
    fs.rmSync(path.join(repo, '.patch'))
    fs.rmSync(path.join(repo, '.git'), { recursive: true })
    return readTree(repo)
  } finally {
    fs.rmSync(repo, { recursive: true, force: true })
  }
}

export const CORPUS = path.resolve(__dirname, '../../shared/corpus/legacy')
export const hasCorpus = fs.existsSync(CORPUS)

/** An in-memory CLI io: what the command printed on stdout and stderr. */
export function cliIo(cwd: string, extra: Partial<import('../src/cli.ts').CliIo> = {}) {
  const out: string[] = []
  const err: string[] = []
  const io: import('../src/cli.ts').CliIo = {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    cwd,
    readFile: (p) => fs.readFileSync(p, 'utf8'),
    resolve: (...p) => path.resolve(...p),
    ...extra,
  }
  return { io, out: () => out.join(''), err: () => err.join('') }
}

/** A temporary copy of a fixture folder. */
export function tempCopy(dir: string): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-copy-'))
  writeTree(tmp, readTree(dir))
  return tmp
}

const ROOT = path.resolve(__dirname, '..')

/**
 * Every YAML file of the project (goldens, examples, tests) and of the shared corpus when it is there: the documents
 * on which a faster reading is compared with the one it stands for.
 */
export function everyYamlFile(): string[] {
  const under = (dir: string) =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { withFileTypes: true, recursive: true })
          .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
          .map((e) => path.join(e.parentPath, e.name))
      : []
  return [...['golden', 'golden-check', 'examples', 'test'].flatMap((d) => under(path.join(ROOT, d))), ...under(path.resolve(ROOT, '../shared/corpus'))]
}
