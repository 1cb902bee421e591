/** The command line: `main(argv, io)` never exits the process and spawns nothing, so tests run it in memory. */
import { Command, CommanderError, Option } from 'commander'
import { countBySeverity, formatDiagnostics, type Diagnostic } from './diagnostics.ts'
import { MigrationError } from './errors.ts'
import { NodeVfs, writeAtomically, type WriteFs } from './fs.ts'
import { migrate, type MigrateResult } from './migrate.ts'
import { parseConfig } from './config.ts'
import { VERSION } from './version.ts'
import { ingress2route, ingress2routeReport } from './ingress2route.ts'

export interface CliIo {
  stdout: (s: string) => void
  stderr: (s: string) => void
  cwd: string
  /** Reads a file outside the repository (e.g. `--config`); relative to cwd. */
  readFile: (p: string) => string
  resolve: (...p: string[]) => string
  writeFs?: WriteFs
  /** Reads all of standard input (for `-` arguments). */
  readStdin?: () => Promise<string>
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
    .action((apps: string[], o) => {
      const root = io.resolve(io.cwd, o.repo)
      const vfs = new NodeVfs(root)
      const config = o.config ? parseConfig(io.readFile(io.resolve(io.cwd, o.config)), o.config) : undefined
      const repoApps = apps.map((a) => toRepoPath(io, root, a))
      const result = migrate({ repo: vfs, apps: repoApps, config, vars: o.var, toNamespace: o.toNamespace, only: o.only, skip: o.skip, force: o.force, removeSource: o.removeSource })
      code = report(io, result, o.format)
      if (o.write && result.ok && result.changes.length > 0) {
        writeAtomically(root, result.changes.map((c) => ({ path: c.path, content: c.after })), io.writeFs)
        io.stderr(`wrote ${result.changes.length} file(s)\n`)
      }
      if (o.check && result.changes.length > 0 && code === 0) code = 1
    })

  program
    .command('ingress2route')
    .description('convert the Ingresses of Kubernetes manifests to Gateway API HTTPRoutes (YAML stream on stdout)')
    .argument('<file...>', 'manifest files (multi-document YAML); - reads standard input')
    .option('--gateway <name/namespace/section>', 'gateway for internal and class-less Ingresses (default envoy-internal/network/https)')
    .option('--external-gateway <name/namespace/section>', 'gateway for external Ingresses (default envoy-external/network/https)')
    .option('--var <KEY=VALUE>', 'value of a variable used in hosts (repeatable)', collect, [])
    .action(async (files: string[], o) => {
      if (files.filter((f) => f === '-').length > 1) throw new MigrationError('USAGE', '- (standard input) can be given only once')
      const inputs = []
      for (const f of files) {
        if (f !== '-') inputs.push({ name: f, text: readInput(io, f) })
        else if (io.readStdin) inputs.push({ name: '<stdin>', text: await io.readStdin() })
        else throw new MigrationError('USAGE', 'standard input is not available')
      }
      const r = ingress2route(inputs, { gateway: o.gateway, externalGateway: o.externalGateway, vars: o.var })
      io.stdout(r.yaml)
      io.stderr(ingress2routeReport(r.diagnostics, r.routes))
      code = r.code
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

function readInput(io: CliIo, file: string): string {
  try {
    return io.readFile(io.resolve(io.cwd, file))
  } catch (e) {
    throw new MigrationError('READ_FAILED', `cannot read ${file}: ${(e as Error).message}`, e)
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
    io.stdout(JSON.stringify({ changes: r.changes.map((x) => ({ path: x.path, status: x.status })), diagnostics: r.diagnostics, patch: r.patch }, null, 2) + '\n')
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
