/** The command line: `main(argv, io)` never exits the process and spawns nothing, so tests run it in memory. */
import { Command, CommanderError, Option } from 'commander'
import { countBySeverity, formatDiagnostics, type Diagnostic } from './diagnostics.ts'
import { MigrationError } from './errors.ts'
import { NodeVfs, writeAtomically, type WriteFs } from './fs.ts'
import { migrate, type MigrateResult } from './migrate.ts'
import { parseConfig } from './config.ts'
import { VERSION } from './version.ts'
import * as fs from 'node:fs'
import { dirname, relative, sep } from 'node:path'

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
}

const collect = (v: string, prev: string[]) => [...prev, v]
const list = (v: string, prev: string[]) => [...prev, ...v.split(',').map((x) => x.trim()).filter(Boolean)]

export async function main(argv: readonly string[], io: CliIo): Promise<0 | 1 | 2> {
  let code: 0 | 1 | 2 = 0
  const program = new Command('bitty2chongus')
    .description('Migrate FluxCD apps from the legacy Bitty layout to the Chongus conventions, as a reviewable patch.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)')

  program
    .command('migrate')
    .description('print the patch that migrates legacy app folders (or apply it with --write)')
    .argument('<app...>', 'legacy app folders, e.g. cluster-cd/apps/bitty/default/thelounge (relative to --repo)')
    .option('--repo <dir>', 'repository root', '.')
    .option('--write', 'apply the changes to the working tree (all files or none)')
    .option('--check', 'exit 1 when the migration would change anything')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--config <file>', 'configuration file (default: <repo>/.bitty2chongus.yaml)')
    .option('--var <KEY=VALUE>', 'value of a cluster variable (repeatable)', collect, [])
    .option('--to-namespace <ns>', 'Chongus namespace to put the app in')
    .option('--only <ids>', 'run only these transforms (comma-separated)', list, [])
    .option('--skip <ids>', 'skip these transforms (comma-separated)', list, [])
    .option('--force', 'overwrite an existing, different Chongus app folder')
    .option('--remove-source', 'delete the legacy app folder instead of disabling its entry')
    .option('--doppler-template <file>', 'write the Doppler secrets to create as JSON with empty values (outside the repository)')
    .action((apps: string[], o) => {
      const root = io.resolve(io.cwd, o.repo)
      const vfs = new NodeVfs(root)
      const template = o.dopplerTemplate ? templatePath(io, [root, vfs.root], o.dopplerTemplate) : undefined
      const config = o.config ? parseConfig(io.readFile(io.resolve(io.cwd, o.config)), o.config) : undefined
      const repoApps = apps.map((a) => toRepoPath(io, root, a))
      const result = migrate({ repo: vfs, apps: repoApps, config, vars: o.var, toNamespace: o.toNamespace, only: o.only, skip: o.skip, force: o.force, removeSource: o.removeSource })
      code = report(io, result, o.format)
      if (template !== undefined) writeTemplate(io, template, result)
      if (o.write && result.ok && result.changes.length > 0) {
        writeAtomically(root, result.changes.map((c) => ({ path: c.path, content: c.after })), io.writeFs)
        io.stderr(`wrote ${result.changes.length} file(s)\n`)
      }
      if (o.check && result.changes.length > 0 && code === 0) code = 1
    })

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

/** Accepts app paths relative to the repository, or to the current directory when they lie inside it. */
function toRepoPath(io: CliIo, root: string, app: string): string {
  const abs = io.resolve(io.cwd, app)
  if (abs.startsWith(root + '/')) {
    const rel = abs.slice(root.length + 1)
    if (!app.startsWith('/') && io.resolve(root, app) !== abs) return rel
    if (app.startsWith('/')) return rel
  }
  if (app.startsWith('/')) throw new MigrationError('USAGE', `${app} is outside the repository ${root}`)
  return app
}

function report(io: CliIo, r: MigrateResult, format: string): 0 | 1 {
  const c = countBySeverity(r.diagnostics)
  if (format === 'json') {
    io.stdout(JSON.stringify({ changes: r.changes.map((x) => ({ path: x.path, status: x.status })), diagnostics: r.diagnostics, patch: r.patch, doppler: r.doppler }, null, 2) + '\n')
  } else {
    io.stdout(r.patch)
    io.stderr(formatDiagnostics(r.diagnostics))
    io.stderr(summary(r.changes.length, c))
  }
  return c.error > 0 ? 1 : 0
}

function summary(files: number, c: Record<Diagnostic['severity'], number>): string {
  return `${files} file(s) changed, ${c.error} error(s), ${c.warning} warning(s), ${c.info} info\n`
}

/** The `--doppler-template` file, refused inside the repository: it is meant to be filled with secret values. */
function templatePath(io: CliIo, roots: readonly string[], file: string): string {
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

function writeTemplate(io: CliIo, file: string, r: MigrateResult): void {
  if (!r.ok) {
    io.stderr(`Doppler template not written: the migration has errors\n`)
    return
  }
  const skeleton: Record<string, Record<string, string>> = {}
  for (const d of r.doppler) skeleton[d.key] = Object.fromEntries(d.properties.map((p) => [p, '']))
  ;(io.writeFile ?? ((p: string, t: string) => fs.writeFileSync(p, t)))(file, JSON.stringify(skeleton, null, 2) + '\n')
  io.stderr(`wrote the Doppler template (${r.doppler.length} secret(s)) to ${file}\n`)
}
