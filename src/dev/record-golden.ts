/**
 * Records a golden case's `expected/` and `diagnostics.txt` by running the project's own pipeline: the registry and
 * every local module it reaches (the library's sources too, in this repository) are transpiled file by file into a
 * scratch folder inside the project, so that packages resolve as they do in the project, then imported and run the
 * way the golden harness runs a case.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import type { Diagnostic } from '../diagnostics.ts'
import type { MigrateOptions, MigrateResult } from '../migrate.ts'
import type { Transform } from '../transform-api.ts'
import type { ProjectLayout, TsMorphModule } from './ts-morph.ts'

interface Library {
  migrate(o: MigrateOptions): Promise<MigrateResult>
  formatDiagnostics(ds: Diagnostic[]): string
}

/** Reads a folder into repository-relative POSIX paths → text. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const visit = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) visit(p)
      else out[path.relative(dir, p).split(path.sep).join('/')] = fs.readFileSync(p, 'utf8')
    }
  }
  if (fs.existsSync(dir)) visit(dir)
  return out
}

/** Writes a tree into `dir`. */
export function writeTree(dir: string, tree: Record<string, string>): void {
  for (const [p, text] of Object.entries(tree)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true })
    fs.writeFileSync(path.join(dir, p), text)
  }
}

/**
 * Runs the pipeline up to and including `id` (as the golden harness does) on `caseDir/input` for `apps`, and writes
 * `expected/` (the input when the run has errors, as nothing would be written) and `diagnostics.txt`.
 */
export async function recordGolden(tm: TsMorphModule, layout: ProjectLayout, registryExport: string, library: 'self' | 'package', id: string, caseDir: string, apps: string[]): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(layout.root, '.scaffold-'))
  try {
    const entries = [layout.registryFile, ...(library === 'self' ? [path.join(layout.root, 'src/index.ts')] : [])]
    const js = transpileTree(tm, layout.root, entries, scratch)
    fs.writeFileSync(path.join(scratch, 'package.json'), '{ "type": "module" }\n')
    const registry = (await import(js(layout.registryFile)))[registryExport] as Iterable<Transform>
    const lib = (await import(library === 'self' ? js(entries[1]) : pathToFileURL(createRequire(path.join(layout.root, 'package.json')).resolve('bitty2chongus')).href)) as Library
    const all = [...registry]
    const transforms = all.slice(0, all.findIndex((t) => t.id === id) + 1)
    const input = readTree(path.join(caseDir, 'input'))
    const r = await lib.migrate({ repo: input, apps, transforms })
    const out = { ...input }
    if (r.ok) for (const c of r.changes) c.after === undefined ? delete out[c.path] : (out[c.path] = c.after)
    writeTree(path.join(caseDir, 'expected'), out)
    fs.writeFileSync(path.join(caseDir, 'diagnostics.txt'), lib.formatDiagnostics(r.diagnostics))
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true })
  }
}

/** Transpiles `entries` and the local modules they import into `outDir` (mirroring `root`); returns each output's URL. */
function transpileTree(tm: TsMorphModule, root: string, entries: string[], outDir: string): (file: string) => string {
  const { ts } = tm
  const out = (f: string) => path.join(outDir, path.relative(root, f)).replace(/\.ts$/, '.js')
  const queue = [...entries]
  const done = new Set<string>()
  while (queue.length > 0) {
    const file = queue.pop()!
    if (done.has(file)) continue
    done.add(file)
    const text = fs.readFileSync(file, 'utf8')
    for (const spec of ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName)) {
      if (!spec.startsWith('.')) continue
      const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'))
      if (target.endsWith('.ts') && fs.existsSync(target)) queue.push(target)
    }
    const js = ts.transpileModule(text, { fileName: file, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, rewriteRelativeImportExtensions: true } }).outputText
    fs.mkdirSync(path.dirname(out(file)), { recursive: true })
    fs.writeFileSync(out(file), js)
  }
  return (f) => pathToFileURL(out(f)).href
}
