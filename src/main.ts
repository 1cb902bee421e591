/** Process glue for the CLI: real stdout/stderr, file system, cwd, terminal and environment. */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { main } from './cli.ts'

export function run(argv: readonly string[]): Promise<0 | 1 | 2> {
  return main(argv, {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
    readFile: (p) => fs.readFileSync(p, 'utf8'),
    resolve: (...p) => path.resolve(...p),
    stderrIsTTY: process.stderr.isTTY === true,
    columns: process.stderr.columns,
    env: process.env,
    readStdin: async () => {
      const chunks: Buffer[] = []
      for await (const c of process.stdin) chunks.push(c as Buffer)
      return Buffer.concat(chunks).toString('utf8')
    },
  })
}
