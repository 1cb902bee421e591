/** `scaffold transform`: an authoring tool that loads ts-morph only when it runs. */
import type { Command } from 'commander'
import { list, type CliIo } from './cli.ts'
import { loadModule } from './load-module.ts'

export function registerScaffold(program: Command, io: CliIo): void {
  program
    .command('scaffold')
    .description('create the skeleton of a new transform (authoring tool; needs the ts-morph development dependency)')
    .command('transform')
    .description('write transforms/<id>.ts, register it after its --after dependencies, and write golden/<id>--basic/')
    .argument('<id>', 'kebab-case transform id, also its file name')
    .option('--after <ids>', 'transforms it runs after (comma-separated, repeatable)', list, [])
    .option('--registry <file>', 'the file listing the pipeline (default: transforms/index.ts)')
    .option('--dir <project>', 'project root', '.')
    .action(async (id: string, o) => {
      // Loaded here only: ts-morph (the TypeScript compiler) must never load for `migrate`.
      const { scaffoldTransform } = (await loadModule('./dev/scaffold.ts')) as typeof import('./dev/scaffold.ts')
      const r = await scaffoldTransform({ id, after: o.after, dir: io.resolve(io.cwd, o.dir), registry: o.registry })
      io.stdout(`registered ${id} in ${r.registry}\n${r.files.map((f) => `wrote ${f}\n`).join('')}`)
      io.stdout(`next: make the transform and golden/${id}--basic/ say what it must do (UPDATE_GOLDEN=1 re-records), then npm run docs and npm test\n`)
    })
}
