/**
 * The one door to ts-morph. It is a devDependency that pulls in the TypeScript compiler, so it is loaded only here,
 * only with `await import()`, and only by the authoring tools (scaffold, registry check, catalogue): never by `migrate`.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import type * as TsMorph from 'ts-morph'
import { MigrationError } from '../errors.ts'

export type TsMorphModule = typeof TsMorph

/** Loads ts-morph, or says how to install it (a `MigrationError`, so the CLI exits 2). */
export async function loadTsMorph(importer: (specifier: string) => Promise<unknown> = (s) => import(s)): Promise<TsMorphModule> {
  try {
    return (await importer('ts-morph')) as TsMorphModule
  } catch (cause) {
    const code = (cause as { code?: string }).code
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw cause
    throw new MigrationError('MISSING_DEPENDENCY', 'this command needs ts-morph, a development dependency: run npm install --save-dev ts-morph', cause)
  }
}

/** A ts-morph project over `root` (its tsconfig.json when there is one), with the house style for inserted code. */
export function openProject(tm: TsMorphModule, root: string): TsMorph.Project {
  const tsconfig = path.join(root, 'tsconfig.json')
  const manipulationSettings = { quoteKind: tm.QuoteKind.Single, indentationText: tm.IndentationText.TwoSpaces }
  if (fs.existsSync(tsconfig)) return new tm.Project({ tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true, manipulationSettings })
  return new tm.Project({
    compilerOptions: { target: tm.ts.ScriptTarget.ES2022, module: tm.ts.ModuleKind.NodeNext, moduleResolution: tm.ts.ModuleResolutionKind.NodeNext, allowImportingTsExtensions: true, noEmit: true, strict: true },
    manipulationSettings,
  })
}

/** Where a project keeps its transforms, their registry and their golden cases. */
export interface ProjectLayout {
  root: string
  transformsDir: string
  /** The file whose array (or `pipeline(...)` chain) lists the transforms in order. */
  registryFile: string
  goldenDir: string
}

/** The layout of a project: `transforms/`, `golden/`, and `transforms/index.ts` unless another registry is given. */
export function projectLayout(root: string, registry?: string): ProjectLayout {
  const r = path.resolve(root)
  return { root: r, transformsDir: path.join(r, 'transforms'), registryFile: registry ? path.resolve(r, registry) : path.join(r, 'transforms', 'index.ts'), goldenDir: path.join(r, 'golden') }
}

/** `file:line:col` relative to the project root, for messages. */
export function where(root: string, node: TsMorph.Node): string {
  const sf = node.getSourceFile()
  const { line, column } = sf.getLineAndColumnAtPos(node.getStart())
  return `${path.relative(root, sf.getFilePath()).split(path.sep).join('/')}:${line}:${column}`
}

/** Whether this module is the script node was started with. */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(moduleUrl)
}
