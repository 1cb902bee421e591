/**
 * Records a golden case's `expected/` and `diagnostics.txt` by running the project's own pipeline: ts-morph compiles
 * the registry (and here the library too) into a scratch folder inside the project, so its imports resolve as they
 * do in the project, and the result is imported and run like the golden harness does.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import type { Diagnostic } from '../diagnostics.ts'
import type { MigrateOptions, MigrateResult } from '../migrate.ts'
import type { Transform } from '../transform-api.ts'
import { openProject, type ProjectLayout, type TsMorphModule } from './ts-morph.ts'

interface Library {
  migrate(o: MigrateOptions): MigrateResult
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
    const project = openProject(tm, layout.root)
    project.compilerOptions.set({ outDir: scratch, rootDir: layout.root, noEmit: false, declaration: false, sourceMap: false, rewriteRelativeImportExtensions: true, allowImportingTsExtensions: true })
    project.addSourceFileAtPath(layout.registryFile)
    if (library === 'self') project.addSourceFileAtPath(path.join(layout.root, 'src/index.ts'))
    const emitted = await project.emit()
    const errors = emitted.getDiagnostics()
    if (errors.length > 0) throw new Error(project.formatDiagnosticsWithColorAndContext(errors))
    fs.writeFileSync(path.join(scratch, 'package.json'), '{ "type": "module" }\n')
    const js = (f: string) => pathToFileURL(path.join(scratch, path.relative(layout.root, f)).replace(/\.ts$/, '.js')).href
    const registry = (await import(js(layout.registryFile)))[registryExport] as Iterable<Transform>
    const lib = (await import(library === 'self' ? js(path.join(layout.root, 'src/index.ts')) : pathToFileURL(createRequire(path.join(layout.root, 'package.json')).resolve('bitty2chongus')).href)) as Library
    const all = [...registry]
    const transforms = all.slice(0, all.findIndex((t) => t.id === id) + 1)
    const input = readTree(path.join(caseDir, 'input'))
    const r = lib.migrate({ repo: input, apps, transforms })
    const out = { ...input }
    if (r.ok) for (const c of r.changes) c.after === undefined ? delete out[c.path] : (out[c.path] = c.after)
    writeTree(path.join(caseDir, 'expected'), out)
    fs.writeFileSync(path.join(caseDir, 'diagnostics.txt'), lib.formatDiagnostics(r.diagnostics))
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true })
  }
}
