/** The command line: `main(argv, io)` never exits the process and spawns nothing but git, so tests run it in memory. */
import * as fs from 'node:fs'
import { dirname, relative, sep } from 'node:path'
import { Command, CommanderError } from 'commander'
import type { MigrateResult } from './migrate.ts'
import { MigrationError } from './errors.ts'
import type { WriteFs } from './fs.ts'
import { registerMigrate, registerPlan } from './cli-migrate.ts'
import { registerPr } from './cli-pr.ts'
import { registerCheck } from './cli-check.ts'
import { registerScaffold } from './cli-scaffold.ts'
import { registerIngress2route } from './cli-ingress.ts'
import type { Builder } from './check/build.ts'
import { VERSION } from './version.ts'
import { ingress2route, ingress2routeReport } from './ingress2route.ts'

/** Everything the CLI touches outside itself, injected so tests run in memory. */
export interface CliIo {
  stdout: (s: string) => void
  stderr: (s: string) => void
  cwd: string
  /** Reads a file outside the repository (e.g. `--config`); relative to cwd. */
  readFile: (p: string) => string
  resolve: (...p: string[]) => string
  writeFs?: WriteFs
  /** Writes a file outside the repository (`--doppler-template`); default: the real file system. */
  writeFile?: (p: string, text: string) => void
  /** The kustomize builder of `check` (default: kubectl on PATH). */
  builder?: () => Builder
  /** stderr is a terminal: progress is drawn on it. */
  stderrIsTTY?: boolean
  /** Terminal width, for the progress bar. */
  columns?: number
  /** Environment variables the commands read (`GITHUB_TOKEN`, `GITHUB_API_URL`); none when absent. */
  env?: Readonly<Record<string, string | undefined>>
  /** Reads all of standard input (for `-` arguments). */
  readStdin?: () => Promise<string>
}

/** Sets the exit code of the command that runs. */
export type SetCode = (code: 0 | 1 | 2) => void

/** Runs one command line; resolves to the exit code and never exits the process. */
export async function main(argv: readonly string[], io: CliIo): Promise<0 | 1 | 2> {
  let code: 0 | 1 | 2 = 0
  const setCode: SetCode = (c) => (code = c)
  const program = new Command('bitty2chongus')
    .description('Migrate FluxCD apps from the legacy Bitty layout to the Chongus conventions, as a reviewable patch.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)')
  registerMigrate(program, io, setCode)
  registerPlan(program, io, setCode)
  registerPr(program, io, setCode)
  registerCheck(program, io, setCode)
  registerScaffold(program, io)
  registerIngress2route(program, io, setCode)

  try {
    await program.parseAsync([...argv], { from: 'user' })
    return code
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2
    if (e instanceof MigrationError) {
      io.stderr(`bitty2chongus: ${e.message}\n`)
      return 2
    }
    io.stderr(`bitty2chongus: internal error: ${(e as Error).message}\n`)
    return 2
  }
}


/** Commander option parser: repeatable values. */
export const collect = (v: string, prev: string[]) => [...prev, v]
/** Commander option parser: comma-separated values, repeatable. */
export const list = (v: string, prev: string[]) => [...prev, ...v.split(',').map((x) => x.trim()).filter(Boolean)]
/** Accepts app paths relative to the repository, or to the current directory when they lie inside it. */
export function toRepoPath(io: CliIo, root: string, app: string): string {
  const abs = io.resolve(io.cwd, app)
  if (abs.startsWith(root + '/')) {
    const rel = abs.slice(root.length + 1)
    if (!app.startsWith('/') && io.resolve(root, app) !== abs) return rel
    if (app.startsWith('/')) return rel
  }
  if (app.startsWith('/')) throw new MigrationError('USAGE', `${app} is outside the repository ${root}`)
  return app
}

/** The `--doppler-template` file, refused inside the repository: it is meant to be filled with secret values. */
export function templatePath(io: CliIo, roots: readonly string[], file: string): string {
  const abs = io.resolve(io.cwd, file)
  let dir = dirname(abs)
  while (!fs.existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir)
  // Through links too: the real path of the nearest existing folder decides.
  const real = io.resolve(fs.realpathSync(dir), relative(dir, abs))
  if ([abs, real].some((p) => roots.some((r) => p === r || p.startsWith(r + sep)))) {
    throw new MigrationError('USAGE', `--doppler-template ${file} is inside the repository: write it elsewhere, it will hold secret values once filled in`)
  }
  return abs
}

/** Writes the Doppler skeleton (key → property → empty string) of a successful migration. */
export function writeTemplate(io: CliIo, file: string, r: MigrateResult): void {
  if (!r.ok) {
    io.stderr(`Doppler template not written: the migration has errors\n`)
    return
  }
  const skeleton: Record<string, Record<string, string>> = {}
  for (const d of r.doppler) skeleton[d.key] = Object.fromEntries(d.properties.map((p) => [p, '']))
  ;(io.writeFile ?? ((p: string, t: string) => fs.writeFileSync(p, t)))(file, JSON.stringify(skeleton, null, 2) + '\n')
  io.stderr(`wrote the Doppler template (${r.doppler.length} secret(s)) to ${file}\n`)
}
