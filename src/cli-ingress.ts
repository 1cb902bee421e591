/** `ingress2route`: the migration's Ingress converter on any manifests. */
import type { Command } from 'commander'
import { collect, type CliIo, type SetCode } from './cli.ts'
import { MigrationError } from './errors.ts'
import { ingress2route, ingress2routeReport } from './ingress2route.ts'

export function registerIngress2route(program: Command, io: CliIo, setCode: SetCode): void {
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
      setCode(r.code)
    })
}

function readInput(io: CliIo, file: string): string {
  try {
    return io.readFile(io.resolve(io.cwd, file))
  } catch (e) {
    throw new MigrationError('READ_FAILED', `cannot read ${file}: ${(e as Error).message}`, e)
  }
}
