/** Reads a transform module statically: its `defineTransform({...})` metadata, its TSDoc, its imports and the rules it reports. */
import * as path from 'node:path'
import type * as TsMorph from 'ts-morph'
import type { TsMorphModule } from './ts-morph.ts'

/** What the sources say about one transform. */
export interface TransformSource {
  file: string
  /** File name without `.ts`: what the id must be. */
  stem: string
  /** The `defineTransform({...})` literal of the default export, when there is one. */
  definition?: TsMorph.ObjectLiteralExpression
  id?: string
  description?: string
  after: string[]
  /** The declared `rules` (rule id → meaning), when declared. */
  rules?: Record<string, string>
  /** TSDoc above the definition (or the file's header comment), without its `Reports:` paragraph. */
  summary: string
  /** The TSDoc's `Reports:` paragraph. */
  reportsDoc: string
  /** Rule ids passed to `report({ rule })` in code reachable from `apply`, sorted. */
  reported: string[]
  /** Module specifiers of its static and dynamic imports and re-exports, with their nodes. */
  imports: { spec: string; node: TsMorph.Node }[]
}

/**
 * Reads `sf` as a transform module; `within` bounds the helper functions followed for reported rules. Collecting them
 * needs the type checker (to follow calls), so `reports: false` skips it when only the metadata is wanted.
 */
export function readTransformSource(tm: TsMorphModule, sf: TsMorph.SourceFile, within: string, reports = true): TransformSource {
  const { Node } = tm
  const file = sf.getFilePath()
  const out: TransformSource = { file, stem: path.basename(file, '.ts'), after: [], summary: '', reportsDoc: '', reported: [], imports: readImports(tm, sf) }
  const exported = sf.getExportAssignment((e) => !e.isExportEquals())
  const call = exported?.getExpression()
  const definition = call && Node.isCallExpression(call) && call.getExpression().getText() === 'defineTransform' ? call.getArguments()[0] : undefined
  const doc = splitDoc(jsDocText(exported) ?? jsDocText(sf.getStatements()[0], true) ?? '')
  out.summary = doc.summary
  out.reportsDoc = doc.reports
  if (!definition || !Node.isObjectLiteralExpression(definition)) return out
  out.definition = definition
  const prop = (name: string) => {
    const p = definition.getProperty(name)
    return p && Node.isPropertyAssignment(p) ? p.getInitializer() : undefined
  }
  const str = (n: TsMorph.Node | undefined) => (n && Node.isStringLiteral(n)) || (n && Node.isNoSubstitutionTemplateLiteral(n)) ? n.getLiteralText() : undefined
  out.id = str(prop('id'))
  out.description = str(prop('description'))
  const after = prop('after')
  if (after && Node.isArrayLiteralExpression(after)) out.after = after.getElements().map((e) => str(e) ?? e.getText())
  const rules = prop('rules')
  if (rules && Node.isObjectLiteralExpression(rules)) {
    out.rules = {}
    for (const p of rules.getProperties()) if (Node.isPropertyAssignment(p)) out.rules[p.getName().replace(/^['"]|['"]$/g, '')] = str(p.getInitializer()) ?? ''
  }
  const apply = definition.getProperty('apply')
  const reported = new Set<string>()
  if (apply && reports) collectReports(tm, apply, within, reported, new Set())
  out.reported = [...reported].sort()
  return out
}

/** Module specifiers of the static and dynamic imports, `require` calls and re-exports of `sf`. */
export function readImports(tm: TsMorphModule, sf: TsMorph.SourceFile): { spec: string; node: TsMorph.Node }[] {
  const { Node, SyntaxKind } = tm
  const out: { spec: string; node: TsMorph.Node }[] = []
  for (const d of sf.getImportDeclarations()) out.push({ spec: d.getModuleSpecifierValue(), node: d })
  for (const d of sf.getExportDeclarations()) {
    const spec = d.getModuleSpecifierValue()
    if (spec !== undefined) out.push({ spec, node: d })
  }
  for (const c of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = c.getExpression()
    const arg = c.getArguments()[0]
    const dynamic = callee.getKind() === SyntaxKind.ImportKeyword || (Node.isIdentifier(callee) && callee.getText() === 'require')
    if (dynamic && arg && Node.isStringLiteral(arg)) out.push({ spec: arg.getLiteralText(), node: c })
  }
  return out
}

/** Rule ids of `report({ rule })` calls under `node`, following calls into functions declared below `within`. */
function collectReports(tm: TsMorphModule, node: TsMorph.Node, within: string, out: Set<string>, visited: Set<TsMorph.Node>): void {
  const { Node, SyntaxKind } = tm
  if (visited.has(node)) return
  visited.add(node)
  for (const call of node.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression()
    const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText()
    const arg = call.getArguments()[0]
    if (name === 'report' && arg && Node.isObjectLiteralExpression(arg)) {
      const rule = arg.getProperty('rule')
      const values = rule && Node.isPropertyAssignment(rule) ? evaluate(tm, rule.getInitializerOrThrow()) : undefined
      for (const v of values ?? []) out.add(v)
      continue
    }
    const target = Node.isIdentifier(callee) ? callee : Node.isPropertyAccessExpression(callee) ? callee.getNameNode() : undefined
    let symbol = target?.getSymbol()
    if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol()
    for (const d of symbol?.getDeclarations() ?? []) {
      if (!d.getSourceFile().getFilePath().startsWith(within + '/')) continue
      const body = Node.isVariableDeclaration(d) ? d.getInitializer() : d
      if (body) collectReports(tm, body, within, out, visited)
    }
  }
}

/** Every value a string expression can take, when it is made of literals, conditionals and templates of them. */
function evaluate(tm: TsMorphModule, e: TsMorph.Node): string[] | undefined {
  const { Node } = tm
  if (Node.isStringLiteral(e) || Node.isNoSubstitutionTemplateLiteral(e)) return [e.getLiteralText()]
  if (Node.isParenthesizedExpression(e)) return evaluate(tm, e.getExpression())
  if (Node.isConditionalExpression(e)) {
    const a = evaluate(tm, e.getWhenTrue())
    const b = evaluate(tm, e.getWhenFalse())
    return a && b ? [...a, ...b] : undefined
  }
  if (Node.isTemplateExpression(e)) {
    let acc = [e.getHead().getLiteralText()]
    for (const span of e.getTemplateSpans()) {
      const vs = evaluate(tm, span.getExpression())
      if (!vs) return undefined
      acc = acc.flatMap((a) => vs.map((v) => a + v + span.getLiteral().getLiteralText()))
    }
    return acc
  }
  return undefined
}

/** The text of the `/** ... *\/` comment right before `node` (or the first one of its leading comments). */
function jsDocText(node: TsMorph.Node | undefined, first = false): string | undefined {
  const docs = (node?.getLeadingCommentRanges() ?? []).map((r) => r.getText()).filter((t) => t.startsWith('/**'))
  const t = first ? docs[0] : docs[docs.length - 1]
  if (t === undefined) return undefined
  return t
    .replace(/^\/\*\*\s?/, '')
    .replace(/\s*\*\/$/, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n')
}

/** Splits TSDoc into its summary and its `Reports:` paragraph; `@remarks` text joins the summary, other tags go. */
function splitDoc(text: string): { summary: string; reports: string } {
  const kept = text
    .split(/(?:^|\s)(?=@[a-zA-Z]+(?:\s|$))/m)
    .filter((block, i) => i === 0 || block.startsWith('@remarks'))
    .map((block) => block.replace(/^@remarks\s*/, ''))
    .join('\n\n')
  const paragraphs = kept
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean)
  const isReports = (p: string) => /^Reports:/.test(p)
  return {
    summary: paragraphs.filter((p) => !isReports(p)).join(' '),
    reports: paragraphs.filter(isReports).map((p) => p.replace(/^Reports:\s*/, '')).join(' '),
  }
}
