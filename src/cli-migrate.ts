/** `migrate` (one app, a list, or `--all`) and `plan`. */
import { Option, type Command } from 'commander'
import { migrateAll, type BatchResult } from './batch.ts'
import { collect, list, templatePath, toRepoPath, writeTemplate, type CliIo, type SetCode } from './cli.ts'
import { parseConfig, type Config } from './config.ts'
import { countBySeverity, formatDiagnostics, type Diagnostic } from './diagnostics.ts'
import { MigrationError } from './errors.ts'
import { NodeVfs, writeAtomically } from './fs.ts'
import { loadConfig, migrate, type MigrateResult } from './migrate.ts'
import { buildPlan, planJson, planMarkdown, planText } from './plan.ts'
import { ProgressBar } from './progress.ts'
import { textTable } from './table.ts'

/** Options every command that reads a repository shares. */
export function repoOptions(c: Command): Command {
  return c
    .option('--repo <dir>', 'repository root', '.')
    .option('--config <file>', 'configuration file (default: <repo>/.bitty2chongus.yaml)')
    .option('--var <KEY=VALUE>', 'value of a cluster variable (repeatable)', collect, [])
    .option('--only <ids>', 'run only these transforms (comma-separated)', list, [])
    .option('--skip <ids>', 'skip these transforms (comma-separated)', list, [])
}

/** The repository root, its files and the explicit configuration (if `--config` was given). */
export function openRepo(io: CliIo, o: { repo: string; config?: string }): { root: string; vfs: NodeVfs; config: unknown } {
  const vfs = new NodeVfs(io.resolve(io.cwd, o.repo))
  const config = o.config ? parseConfig(io.readFile(io.resolve(io.cwd, o.config)), o.config) : undefined
  return { root: vfs.root, vfs, config }
}

/** `migrate <app...>` and `migrate --all`. */
export function registerMigrate(program: Command, io: CliIo, setCode: SetCode): void {
  repoOptions(
    program
      .command('migrate')
      .description('print the patch that migrates legacy app folders, or every app with --all (apply it with --write)')
      .argument('[app...]', 'legacy app folders, e.g. cluster-cd/apps/bitty/default/thelounge (relative to --repo)'),
  )
    .option('--all', 'every enabled legacy app, each on its own: a failing app does not stop the others')
    .option('--include-disabled', 'with --all: also the apps the legacy namespace kustomizations do not list')
    .option('--cluster <names>', 'with --all: only these legacy clusters (comma-separated)', list, [])
    .option('--atomic', 'with --all: when any app fails, write and print nothing')
    .option('--quiet', 'with --all: no progress bar')
    .option('--write', 'apply the changes to the working tree (all files or none)')
    .option('--check', 'exit 1 when the migration would change anything')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--to-namespace <ns>', 'Chongus namespace to put the app in')
    .option('--force', 'overwrite an existing, different Chongus app folder')
    .option('--remove-source', 'delete the legacy app folder instead of disabling its entry')
    .option('--to-app-template', 'rewrite raw workloads as one bjw-s app-template HelmRelease (default: appTemplate.convert of the configuration)')
    .option('--no-to-app-template', 'keep raw workloads raw, whatever appTemplate.convert says')
    .option('--doppler-template <file>', 'write the Doppler secrets to create as JSON with empty values (outside the repository)')
    .option('--no-verify', 'write even when check finds problems the migration introduced (they are reported)')
    .action(async (apps: string[], o) => {
      if (o.all && apps.length > 0) throw new MigrationError('USAGE', 'give app folders or --all, not both')
      if (!o.all) {
        if (apps.length === 0) throw new MigrationError('USAGE', 'give the legacy app folders to migrate, or --all')
        for (const flag of ['includeDisabled', 'atomic', 'quiet'] as const) if (o[flag]) throw new MigrationError('USAGE', `--${kebab(flag)} needs --all`)
        if (o.cluster.length > 0) throw new MigrationError('USAGE', '--cluster needs --all')
      } else if (o.toNamespace) throw new MigrationError('USAGE', '--to-namespace moves one app; it cannot be used with --all')
      const { root, vfs, config } = openRepo(io, o)
      const template = o.dopplerTemplate ? templatePath(io, [io.resolve(io.cwd, o.repo), root], o.dopplerTemplate) : undefined
      if (template !== undefined && o.all) throw new MigrationError('USAGE', '--doppler-template goes with one app or a list, not --all')
      const common = { repo: vfs, config, vars: o.var, only: o.only, skip: o.skip, force: o.force, removeSource: o.removeSource, toAppTemplate: o.toAppTemplate, noVerify: !o.verify }
      let result: MigrateResult | BatchResult
      if (o.all) {
        const bar = io.stderrIsTTY && !o.quiet && o.format === 'text' ? new ProgressBar(io.stderr, io.columns) : undefined
        try {
          result = await migrateAll({ ...common, includeDisabled: o.includeDisabled, clusters: o.cluster, atomic: o.atomic, onProgress: (d, t, a) => bar?.update(d, t, a) })
        } finally {
          bar?.clear()
        }
        setCode(reportAll(io, result, o.format, loadConfig(vfs, config)))
      } else {
        result = await migrate({ ...common, apps: apps.map((a) => toRepoPath(io, root, a)), toNamespace: o.toNamespace })
        setCode(report(io, result, o.format))
        if (template !== undefined) writeTemplate(io, template, result)
      }
      // Under --all the apps that succeeded are written even when others failed: each app stands alone.
      const writable = 'apps' in result || result.ok
      if (o.write && writable && result.changes.length > 0) {
        writeAtomically(root, result.changes.map((c) => ({ path: c.path, content: c.after })), io.writeFs)
        io.stderr(`wrote ${result.changes.length} file(s)\n`)
      }
      if (o.check && result.changes.length > 0 && result.ok) setCode(1)
    })
}

/** `plan`. */
export function registerPlan(program: Command, io: CliIo, setCode: SetCode): void {
  repoOptions(program.command('plan').description('list every legacy app (enabled or not) with what a migration would do and what blocks it'))
    .option('--cluster <names>', 'only these legacy clusters (comma-separated)', list, [])
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'markdown', 'json']).default('table'))
    .action(async (o) => {
      const { vfs, config } = openRepo(io, o)
      const resolved = loadConfig(vfs, config, o.var)
      const batch = await migrateAll({ repo: vfs, config: resolved, only: o.only, skip: o.skip, includeDisabled: true, clusters: o.cluster })
      const plan = buildPlan(batch, resolved.legacy.appsDir, resolved.target.appsDir)
      io.stdout(o.format === 'json' ? planJson(plan) : o.format === 'markdown' ? planMarkdown(plan) : planText(plan))
      // Red while an app that `migrate --all` would take is blocked: the user fixes the config until it is green.
      setCode(plan.summary.blockedEnabled > 0 ? 1 : 0)
    })
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

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

function reportAll(io: CliIo, r: BatchResult, format: string, config: Config): 0 | 1 {
  const rel = (p: string) => (p.startsWith(config.legacy.appsDir + '/') ? p.slice(config.legacy.appsDir.length + 1) : p)
  if (format === 'json') {
    const apps = r.apps.map((a) => ({
      path: a.path,
      target: a.targetDir,
      enabled: a.enabled,
      status: a.status,
      files: a.changes.map((c) => c.path),
      transforms: a.applied.map((t) => t.transform),
      diagnostics: a.diagnostics,
    }))
    io.stdout(JSON.stringify({ apps, changes: r.changes.map((x) => ({ path: x.path, status: x.status })), patch: r.patch, ok: r.ok }, null, 2) + '\n')
    return r.ok ? 0 : 1
  }
  io.stdout(r.patch)
  io.stderr(formatDiagnostics(r.apps.flatMap((a) => a.diagnostics)))
  const rows = r.apps.map((a) => {
    const c = countBySeverity(a.diagnostics)
    return [rel(a.path), a.status, String(a.changes.length), String(c.error), String(c.warning)]
  })
  io.stderr('\n' + textTable([{ header: 'APP' }, { header: 'STATUS' }, { header: 'FILES', align: 'right' }, { header: 'ERRORS', align: 'right' }, { header: 'WARNINGS', align: 'right' }], rows))
  const n = (s: string) => r.apps.filter((a) => a.status === s).length
  const held = n('held') > 0 ? `, ${n('held')} held back (--atomic)` : ''
  io.stderr(`${r.apps.length} app(s): ${n('migrated')} migrated, ${n('failed')} failed, ${n('unchanged')} unchanged${held}; ${r.changes.length} file(s) changed\n`)
  return r.ok ? 0 : 1
}

function summary(files: number, c: Record<Diagnostic['severity'], number>): string {
  return `${files} file(s) changed, ${c.error} error(s), ${c.warning} warning(s), ${c.info} info\n`
}
