/**
 * `npm run lint:transforms`: the registry check. Every module of `transforms/` (top level, but the registry) is
 * registered once, its id is its file name, its `after` ids are registered earlier, it has a golden case, it reports
 * only the rules it declares (when it declares them), and neither it nor a `transforms/lib` helper imports `node:*`,
 * `yaml` or the TypeScript tooling.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type * as TsMorph from 'ts-morph'
import { readRegistry, type Registry } from './registry.ts'
import { isMain, loadTsMorph, openProject, projectLayout, where, type ProjectLayout, type TsMorphModule } from './ts-morph.ts'
import { readImports, readTransformSource, type TransformSource } from './transform-source.ts'

const FORBIDDEN = /^(node:|yaml$|yaml\/|ts-morph$|typescript$|@ts-morph\/)/

/** The project's transforms and registry, read once for the check and the catalogue. */
export interface TransformProject {
  layout: ProjectLayout
  project: TsMorph.Project
  registry: Registry | undefined
  /** Top-level transform modules, by file name. */
  transforms: TransformSource[]
  /** Helper modules of `transforms/lib`, with their imports. */
  helpers: { file: string; imports: TransformSource['imports'] }[]
}

/** Reads the transforms, their helpers and the registry of the project at `layout.root` (`reports`: see readTransformSource). */
export function readTransformProject(tm: TsMorphModule, layout: ProjectLayout, reports = true): TransformProject {
  const project = openProject(tm, layout.root)
  const listTs = (dir: string, deep: boolean): string[] =>
    !fs.existsSync(dir)
      ? []
      : fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (deep ? listTs(path.join(dir, e.name), deep) : []) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []))
  const registryFile = fs.existsSync(layout.registryFile) ? project.addSourceFileAtPath(layout.registryFile) : undefined
  const modules = listTs(layout.transformsDir, false).filter((f) => path.basename(f) !== 'index.ts' && f !== layout.registryFile).sort()
  const transforms = modules.map((f) => readTransformSource(tm, project.addSourceFileAtPath(f), layout.transformsDir, reports))
  const helpers = listTs(path.join(layout.transformsDir, 'lib'), true).map((f) => ({ file: f, imports: readImports(tm, project.addSourceFileAtPath(f)) }))
  return { layout, project, registry: registryFile && readRegistry(tm, registryFile), transforms, helpers }
}

/** The problems of the registry, as `file:line:col: message` lines (none when it is sound). */
export function checkTransforms(tp: TransformProject): string[] {
  const { layout, registry } = tp
  const rel = (f: string) => path.relative(layout.root, f).split(path.sep).join('/')
  const problems: string[] = []
  if (!registry) return [`${rel(layout.registryFile)}: no exported array of transforms (or pipeline(...) chain) found`]
  const byFile = new Map(tp.transforms.map((t) => [t.file, t]))
  const idOf = (i: number) => (registry.entries[i].module ? byFile.get(registry.entries[i].module!)?.id : undefined)
  const cases = fs.existsSync(layout.goldenDir) ? fs.readdirSync(layout.goldenDir).filter((d) => fs.existsSync(path.join(layout.goldenDir, d, 'case.yaml'))) : []
  const ids = new Map<string, string>()
  for (const t of tp.transforms) {
    const at = t.definition ? where(layout.root, t.definition) : rel(t.file)
    if (!t.definition || t.id === undefined) {
      problems.push(`${rel(t.file)}: no \`export default defineTransform({ id: '${t.stem}', ... })\``)
      continue
    }
    if (t.id !== t.stem) problems.push(`${at}: id ${t.id} differs from the file name ${t.stem}`)
    if (ids.has(t.id)) problems.push(`${at}: id ${t.id} is also the id of ${ids.get(t.id)}`)
    ids.set(t.id, rel(t.file))
    const positions = registry.entries.flatMap((e, i) => (e.module === t.file ? [i] : []))
    if (positions.length === 0) problems.push(`${at}: ${t.id} is not registered in ${rel(layout.registryFile)}`)
    if (positions.length > 1) problems.push(`${at}: ${t.id} is registered ${positions.length} times in ${rel(layout.registryFile)}`)
    if (!cases.some((c) => c.startsWith(`${t.id}--`))) problems.push(`${at}: ${t.id} has no golden case (golden/${t.id}--<scenario>/case.yaml)`)
    if (t.rules) for (const r of t.reported.filter((x) => !(x in t.rules!))) problems.push(`${at}: ${t.id} reports rule ${r}, which its rules do not declare`)
    const mine = positions[0]
    for (const a of t.after) {
      const dep = registry.entries.findIndex((_, i) => idOf(i) === a)
      const opaque = registry.entries.findIndex((e) => e.opaque)
      if (dep < 0 && (opaque < 0 || (mine !== undefined && opaque > mine))) problems.push(`${at}: ${t.id} runs after ${a}, which is not registered before it`)
      else if (mine !== undefined && dep > mine) problems.push(`${where(layout.root, registry.entries[mine].node)}: ${t.id} must come after ${a} (it names it in after)`)
    }
  }
  for (const m of [...tp.transforms, ...tp.helpers]) {
    for (const i of m.imports) {
      if (FORBIDDEN.test(i.spec)) problems.push(`${where(layout.root, i.node)}: imports ${i.spec}; transforms use the transform API only (no node:*, yaml or TypeScript tooling)`)
    }
  }
  return problems
}

/** Runs the check on the project at `root` (and its registry file, when not `transforms/index.ts`). */
export async function lintTransforms(root: string, registry?: string): Promise<string[]> {
  const tm = await loadTsMorph()
  return checkTransforms(readTransformProject(tm, projectLayout(root, registry)))
}

if (isMain(import.meta.url)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name)
    return i > 0 ? process.argv[i + 1] : undefined
  }
  const problems = await lintTransforms(arg('--dir') ?? '.', arg('--registry'))
  for (const p of problems) process.stderr.write(`${p}\n`)
  process.stdout.write(problems.length ? `${problems.length} registry problem(s)\n` : 'transforms: registry OK\n')
  process.exitCode = problems.length ? 1 : 0
}
