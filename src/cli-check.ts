/** `check`: the Chongus conformance linter. */
import { Option, type Command } from 'commander'
import { check } from './check/index.ts'
import { toSarif } from './check/sarif.ts'
import { toRepoPath, type CliIo, type SetCode } from './cli.ts'
import { countBySeverity, formatDiagnostics } from './diagnostics.ts'
import { kubectlBuilder } from './kubectl.ts'
import { openRepo } from './cli-migrate.ts'

export function registerCheck(program: Command, io: CliIo, setCode: SetCode): void {
  program
    .command('check')
    .description('check Chongus apps against the conventions and the Flux, Gateway API and external-secrets schemas')
    .argument('[path...]', 'app folders, namespace folders or files to check (default: all of the Chongus apps folder)')
    .option('--repo <dir>', 'repository root', '.')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('--config <file>', 'configuration file (default: <repo>/.bitty2chongus.yaml)')
    .option('--no-kustomize', 'skip the real kustomize build (kubectl kustomize)')
    .action(async (paths: string[], o) => {
      const { root, vfs, config } = openRepo(io, o)
      const builder = o.kustomize ? (io.builder ?? (() => kubectlBuilder()))() : undefined
      const r = await check({ repo: vfs, paths: paths.map((p) => toRepoPath(io, root, p)), config, builder })
      const c = countBySeverity(r.diagnostics)
      if (o.format === 'json') io.stdout(JSON.stringify({ apps: r.apps, diagnostics: r.diagnostics }, null, 2) + '\n')
      else if (o.format === 'sarif') io.stdout(JSON.stringify(toSarif(r.diagnostics), null, 2) + '\n')
      else io.stdout(formatDiagnostics(r.diagnostics))
      io.stderr(`${r.apps.length} app(s) checked, ${c.error} error(s), ${c.warning} warning(s), ${c.info} info\n`)
      setCode(c.error > 0 ? 1 : 0)
    })
}
