/** A throwaway project that uses bitty2chongus the way a user does: through its package name and its built output. */
import { execFileSync, spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { writeTree } from './helpers.ts'

export const ROOT = path.resolve(__dirname, '..')
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc')

/**
 * Creates the project with `files`: its `node_modules/bitty2chongus` links to this package (so imports resolve to
 * `dist/` through package.json `exports`), and `tsc -p .` type-checks it against the shipped `.d.ts` and emits `out/`.
 */
export function userProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-user-'))
  writeTree(dir, {
    'package.json': JSON.stringify({ name: 'home-ops-tools', private: true, type: 'module' }, null, 2),
    'tsconfig.json': JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, types: ['node'], outDir: 'out', rootDir: '.', allowImportingTsExtensions: true, rewriteRelativeImportExtensions: true },
      exclude: ['out', 'node_modules', 'golden'],
    }),
    ...files,
  })
  fs.mkdirSync(path.join(dir, 'node_modules'))
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules/bitty2chongus'))
  fs.symlinkSync(path.join(ROOT, 'node_modules/@types'), path.join(dir, 'node_modules/@types'))
  return dir
}

/** Type-checks and compiles the project; throws with the compiler's output when it fails. */
export function compile(dir: string): void {
  const r = spawnSync(process.execPath, [TSC, '-p', dir], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`tsc failed in ${dir}:\n${r.stdout}${r.stderr}`)
}

/** Runs a compiled module of the project with node (in `cwd`) and returns its stdout; throws with stderr on failure. */
export function runCompiled(dir: string, file: string, cwd = ROOT): string {
  return execFileSync(process.execPath, [path.join(dir, 'out', file.replace(/\.ts$/, '.js'))], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

/** Runs the built CLI; returns its exit code and output. */
export function cli(args: string[], cwd = ROOT, bin = path.join(ROOT, 'bin/bitty2chongus.js')): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}
