/** The registry file: the ordered list of transforms (an array literal, or a `pipeline(...)` chain), read and edited as an AST. */
import * as path from 'node:path'
import type * as TsMorph from 'ts-morph'
import type { TsMorphModule } from './ts-morph.ts'

/** One element of the registry list. */
export interface RegistryEntry {
  /** The element's text (an identifier for a registered transform). */
  name: string
  /** Absolute path of the module it is the default import of, when it is one. */
  module?: string
  /** A spread (`...builtinTransforms`) or another expression that may hold several transforms. */
  opaque: boolean
  node: TsMorph.Node
}

/** The list of a registry file. */
export interface Registry {
  file: TsMorph.SourceFile
  /** The exported variable holding the list. */
  name: string
  /** The array literal of transforms, or the outermost call of a `pipeline(...)` chain. */
  list: TsMorph.ArrayLiteralExpression | TsMorph.CallExpression
  entries: RegistryEntry[]
}

/** Finds the list in `sf`: the first exported variable whose value is an array literal or a `pipeline(...)` chain. */
export function readRegistry(tm: TsMorphModule, sf: TsMorph.SourceFile): Registry | undefined {
  const { Node } = tm
  const defaults = new Map<string, string>()
  for (const d of sf.getImportDeclarations()) {
    const name = d.getDefaultImport()?.getText()
    const spec = d.getModuleSpecifierValue()
    if (name && spec.startsWith('.')) defaults.set(name, path.resolve(path.dirname(sf.getFilePath()), spec.replace(/\.js$/, '.ts')))
  }
  for (const v of sf.getVariableStatements().filter((s) => s.isExported()).flatMap((s) => s.getDeclarations())) {
    let init = v.getInitializer()
    while (init && (Node.isAsExpression(init) || Node.isSatisfiesExpression(init) || Node.isParenthesizedExpression(init))) init = init.getExpression()
    if (init && Node.isArrayLiteralExpression(init)) {
      const entries = init.getElements().map((e) => ({ name: e.getText(), module: defaults.get(e.getText()), opaque: !Node.isIdentifier(e) || !defaults.has(e.getText()), node: e as TsMorph.Node }))
      return { file: sf, name: v.getName(), list: init, entries }
    }
    if (init && Node.isCallExpression(init) && /^pipeline\(/.test(init.getText())) {
      const entries: RegistryEntry[] = []
      for (let c: TsMorph.Node = init; Node.isCallExpression(c); ) {
        for (const a of c.getArguments()) entries.unshift({ name: a.getText(), module: defaults.get(a.getText()), opaque: !defaults.has(a.getText()), node: a })
        const callee = c.getExpression()
        c = Node.isPropertyAccessExpression(callee) ? callee.getExpression() : callee
      }
      return { file: sf, name: v.getName(), list: init, entries }
    }
  }
  return undefined
}

/**
 * Registers `name` (the default import of `module`): adds the import after the last one, and the element right after
 * the last entry that is (or may hold) one of `after`, or at the end. A `pipeline(...)` chain gets `.add(name)`,
 * which places it by `after` when it runs. Only text around the touched nodes changes, so comments stay.
 */
export function register(tm: TsMorphModule, reg: Registry, name: string, module: string, after: readonly string[], idOf: (e: RegistryEntry) => string | undefined): void {
  const { Node } = tm
  const sf = reg.file
  let spec = path.relative(path.dirname(sf.getFilePath()), module).split(path.sep).join('/')
  if (!spec.startsWith('.')) spec = `./${spec}`
  const jsStyle = sf.getImportDeclarations().some((d) => /^\..*\.js$/.test(d.getModuleSpecifierValue()))
  if (jsStyle) spec = spec.replace(/\.ts$/, '.js')
  const imports = sf.getImportDeclarations()
  sf.insertStatements(imports.length ? imports[imports.length - 1].getChildIndex() + 1 : 0, `import ${name} from '${spec}'`)
  const fresh = readRegistry(tm, sf)!
  const target = fresh.list
  if (Node.isCallExpression(target)) {
    target.replaceWithText(`${target.getText()}.add(${name})`)
    return
  }
  const elements = target.getElements()
  const missing = after.filter((a) => !fresh.entries.some((e) => idOf(e) === a))
  let index = elements.length - 1
  if (after.length > 0) {
    const deps = fresh.entries.map((e, i) => ((after.includes(idOf(e) ?? '') || (e.opaque && missing.length > 0)) ? i : -1))
    index = Math.max(...deps)
    if (index < 0) index = elements.length - 1
  }
  insertElement(target, elements, index, name)
}

/** Inserts `text` after element `index` (-1: before the first), keeping the list's one-line or one-per-line layout. */
function insertElement(list: TsMorph.ArrayLiteralExpression, elements: TsMorph.Expression[], index: number, text: string): void {
  const sf = list.getSourceFile()
  const full = sf.getFullText()
  const multiline = full.slice(list.getStart(), list.getEnd()).includes('\n')
  if (elements.length === 0) {
    sf.insertText(list.getStart() + 1, multiline ? `\n  ${text},` : text)
    return
  }
  const ref = elements[Math.max(index, 0)]
  const indent = multiline ? /[ \t]*$/.exec(full.slice(0, ref.getStart()))![0] : ''
  if (index < 0) {
    sf.insertText(ref.getStart(), multiline ? `${text},\n${indent}` : `${text}, `)
    return
  }
  const end = ref.getEnd()
  if (!multiline) return void sf.insertText(end, `, ${text}`)
  const comma = /^\s*,/.exec(full.slice(end))
  const after = end + (comma ? comma[0].length : 0)
  // A comment ending the reference's line stays on that line, with its element.
  const lineEnd = full.indexOf('\n', after)
  const at = lineEnd >= 0 && /^\s*(\/\/.*|\/\*.*\*\/\s*)?$/.test(full.slice(after, lineEnd)) ? lineEnd : after
  sf.insertText(at, comma ? `\n${indent}${text},` : `\n${indent}${text}`)
  if (!comma) sf.insertText(end, ',')
}
