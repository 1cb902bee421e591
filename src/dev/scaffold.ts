/**
 * `bitty2chongus scaffold transform <id> [--after <id>] [--registry <file>] [--dir <project>]`: writes
 * `transforms/<id>.ts` from a template, registers it in the registry's list right after its last `after` dependency
 * (an AST edit that keeps the file's comments), and writes the golden case `golden/<id>--basic/` (input from
 * `golden/_base` plus a sample app, expected output and diagnostics recorded by running the pipeline).
 * Works in this repository and in a project that imports the package (then `--registry` names its pipeline file).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { MigrationError } from '../errors.ts'
import { readTransformProject } from './lint-transforms.ts'
import { readTree, recordGolden, writeTree } from './record-golden.ts'
import { register } from './registry.ts'
import { SAMPLE_APP, SAMPLE_APP_FILES, camel, caseTemplate, transformTemplate } from './templates.ts'
import { loadTsMorph, projectLayout } from './ts-morph.ts'

/** What to scaffold, and where. */
export interface ScaffoldOptions {
  id: string
  /** Transforms it runs after. */
  after?: readonly string[]
  /** The project root (default: the current directory). */
  dir?: string
  /** The file listing the transforms (default: `transforms/index.ts`). */
  registry?: string
}

/** What was written, repository-relative. */
export interface ScaffoldResult {
  files: string[]
  registry: string
}

/** Scaffolds a transform; throws a `MigrationError`, and writes nothing, when the id or the project does not fit. */
export async function scaffoldTransform(o: ScaffoldOptions): Promise<ScaffoldResult> {
  const after = [...(o.after ?? [])]
  if (!/^[a-z][a-z0-9-]*$/.test(o.id) || o.id.includes('--')) throw new MigrationError('USAGE', `transform id ${o.id} must be kebab-case (a-z, 0-9, single -)`)
  const tm = await loadTsMorph()
  const layout = projectLayout(o.dir ?? '.', o.registry)
  const rel = (f: string) => path.relative(layout.root, f).split(path.sep).join('/')
  const file = path.join(layout.transformsDir, `${o.id}.ts`)
  const caseDir = path.join(layout.goldenDir, `${o.id}--basic`)
  for (const f of [file, caseDir]) if (fs.existsSync(f)) throw new MigrationError('USAGE', `${rel(f)} already exists`)
  const tp = readTransformProject(tm, layout, false)
  const reg = tp.registry
  if (!reg) throw new MigrationError('USAGE', `${rel(layout.registryFile)} has no exported array of transforms (or pipeline(...) chain) to register in`)
  const idOf = (module: string | undefined) => tp.transforms.find((t) => t.file === module)?.id
  const known = reg.entries.map((e) => idOf(e.module)).filter((x): x is string => x !== undefined)
  if (known.includes(o.id)) throw new MigrationError('USAGE', `a transform ${o.id} is already registered`)
  const unknown = after.filter((a) => !known.includes(a))
  if (unknown.length > 0 && !reg.entries.some((e) => e.opaque)) throw new MigrationError('UNKNOWN_TRANSFORM', `--after ${unknown.join(', ')}: not registered in ${rel(layout.registryFile)} (known: ${known.join(', ')})`)

  const self = isThisPackage(layout.root)
  const api = self ? path.relative(layout.transformsDir, path.join(layout.root, 'src/transform-api.ts')).split(path.sep).join('/') : 'bitty2chongus'
  tp.project.createSourceFile(file, transformTemplate(o.id, after, api))
  register(tm, reg, camel(o.id), file, after, (e) => idOf(e.module))
  const base = [path.join(layout.goldenDir, '_base'), path.join(packageRoot(), 'golden', '_base')].find((d) => fs.existsSync(d))!
  const registryBefore = fs.readFileSync(layout.registryFile, 'utf8')
  try {
    await tp.project.save()
    writeTree(path.join(caseDir, 'input'), { ...readTree(base), ...SAMPLE_APP_FILES })
    fs.writeFileSync(path.join(caseDir, 'case.yaml'), caseTemplate(o.id, SAMPLE_APP))
    await recordGolden(tm, layout, reg.name, self ? 'self' : 'package', o.id, caseDir, [SAMPLE_APP])
  } catch (e) {
    // All or nothing: a project where the new case cannot be recorded is left as it was.
    fs.writeFileSync(layout.registryFile, registryBefore)
    fs.rmSync(file, { force: true })
    fs.rmSync(caseDir, { recursive: true, force: true })
    throw new MigrationError('USAGE', `could not run the pipeline to record ${rel(caseDir)}, so nothing was written: ${(e as Error).message}`, e)
  }
  return { files: [rel(file), ...Object.keys(readTree(caseDir)).map((f) => `${rel(caseDir)}/${f}`)].sort(), registry: rel(layout.registryFile) }
}

function isThisPackage(root: string): boolean {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).name === 'bitty2chongus' && fs.existsSync(path.join(root, 'src/transform-api.ts'))
  } catch {
    return false
  }
}

/** This package's root (it ships golden/_base for projects that have none). */
function packageRoot(): string {
  let d = path.dirname(fileURLToPath(import.meta.url))
  while (!fs.existsSync(path.join(d, 'package.json')) && path.dirname(d) !== d) d = path.dirname(d)
  return d
}
