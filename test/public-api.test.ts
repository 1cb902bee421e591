/** The package root exports exactly the public API, each export documented where it is declared. */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Node, Project, type SourceFile } from 'ts-morph'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(__dirname, '..')

// The public API. Adding an export (e.g. `check`, `ingressToRoutes`) means adding its name here, and its TSDoc.
const VALUES = ['MemoryVfs', 'MigrationError', 'NodeVfs', 'builtinTransforms', 'check', 'defineTransform', 'formatDiagnostics', 'ingressToRoutes', 'kubectlBuilder', 'migrate', 'migrateAll', 'parseConfig', 'pipeline', 'toSarif', 'writeAtomically']
const TYPES = ['AppOutcome', 'AppStatus', 'BatchOptions', 'BatchResult', 'Change', 'ChangeStatus', 'CheckOptions', 'CheckResult', 'Config', 'Diagnostic', 'ErrorCode', 'FileWrite', 'MigrateOptions', 'MigrateResult', 'Pipeline', 'Report', 'Resource', 'ResourceRef', 'Severity', 'StandaloneFinding', 'StandaloneOptions', 'Transform', 'TransformContext', 'Vfs']

let declarations: ReturnType<SourceFile['getExportedDeclarations']> | undefined
/** The declarations src/index.ts exports, by name (read once: building the program is the slow part). */
function exported() {
  declarations ??= new Project({ tsConfigFilePath: path.join(ROOT, 'tsconfig.json'), skipAddingFilesFromTsConfig: true })
    .addSourceFileAtPath(path.join(ROOT, 'src/index.ts'))
    .getExportedDeclarations()
  return declarations
}

describe('public API', () => {
  it('the built package root has exactly the public runtime exports', async () => {
    const mod = await import(pathToFileURL(path.join(ROOT, 'dist/src/index.js')).href)
    expect(Object.keys(mod).sort()).toEqual([...VALUES].sort())
  })

  it('the sources export exactly the public values and types', () => {
    expect([...exported().keys()].sort()).toEqual([...VALUES, ...TYPES].sort())
  })

  it('README.md names every export in its Library section', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    const intro = readme.slice(readme.indexOf('## Library'), readme.indexOf('<!-- example -->'))
    expect([...VALUES, ...TYPES].filter((name) => !intro.includes(`\`${name}\``))).toEqual([])
  })

  it('documents every export with TSDoc at its declaration', () => {
    const undocumented: string[] = []
    for (const [name, decls] of exported()) {
      for (const d of decls) {
        const holder = Node.isVariableDeclaration(d) ? d.getVariableStatement() : d
        const docs = holder && Node.isJSDocable(holder) ? holder.getJsDocs() : []
        if (!docs.some((j) => j.getDescription().trim().length > 0)) undocumented.push(`${name} (${path.relative(ROOT, d.getSourceFile().getFilePath())})`)
      }
    }
    expect(undocumented).toEqual([])
  })
})
