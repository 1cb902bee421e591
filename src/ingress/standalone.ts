import { YamlFile, printNewFile } from '../document.ts'
import { convertIngress } from './convert.ts'
import { asArray, asRecord, asText } from './report.ts'
import type { ConvertOptions, IngressFinding } from './types.ts'

/**
 * A finding of {@link ingressToRoutes}, with the index of the document it is about (`-1`: the whole stream) and
 * the 1-based line and column of the key it points at (or of its nearest ancestor in the text).
 */
export interface StandaloneFinding extends IngressFinding {
  document: number
  line?: number
  col?: number
}

/** Options of {@link ingressToRoutes}: the converter's, plus Services that are not in the stream. */
export interface StandaloneOptions extends ConvertOptions {
  services?: readonly unknown[]
}

interface Doc {
  index: number
  value: Record<string, unknown>
  /** Key path of the object inside its document (`items.<n>` in a `kind: List`). */
  base: (string | number)[]
}

function objectsOf(file: YamlFile, findings: StandaloneFinding[]): Doc[] {
  const docs: Doc[] = []
  // A problem belongs to the last document starting at or before it (errors can sit at the very end of the text).
  const owner = (offset: number) => file.docs.reduce((found, d, i) => (d.offset <= offset ? i : found), 0)
  file.docs.forEach((d, index) => {
    const problems = file.problems.filter((p) => p.severity === 'error' && owner(p.span[0]) === index)
    for (const p of problems) {
      const { line, col } = file.position(p.span[0])
      findings.push({ severity: 'error', rule: 'yaml-parse', message: `document ${index + 1}: ${p.message} (${p.code}); not converted`, path: [], document: index, line, col })
    }
    if (problems.length > 0 || d.isEmpty) return
    const value = asRecord(d.get([]))
    if (!value) return
    // A `kind: List` (kubectl output) carries its objects in `items`.
    if (asText(value.kind) === 'List') asArray(value.items).forEach((item, i) => docs.push({ index, value: asRecord(item) ?? {}, base: ['items', i] }))
    else docs.push({ index, value, base: [] })
  })
  return docs
}

/**
 * Converts every Ingress of a multi-document manifest stream to HTTPRoutes, resolving named ports from the
 * Services of the same stream (and `opts.services`). Returns the routes as a new YAML stream, each preceded by a
 * comment naming its Ingress, and the findings of every document.
 */
export function ingressToRoutes(text: string, opts: StandaloneOptions = {}): { yaml: string; findings: StandaloneFinding[] } {
  const findings: StandaloneFinding[] = []
  const file = new YamlFile(text)
  const docs = objectsOf(file, findings)
  const services = [...docs.filter((d) => asText(d.value.kind) === 'Service').map((d) => d.value), ...(opts.services ?? [])]
  const ingresses = docs.filter((d) => asText(d.value.kind) === 'Ingress').map((d) => d.value)
  const out: string[] = []
  for (const d of docs) {
    const kind = asText(d.value.kind)
    if (kind === 'Service') continue
    const at = (path: (string | number)[]) => file.position(file.docs[d.index].span([...d.base, ...path])[0])
    const meta = asRecord(d.value.metadata)
    const label = `${kind ?? 'object'} ${asText(meta?.namespace) ? `${asText(meta?.namespace)}/` : ''}${asText(meta?.name) ?? '<unnamed>'}`
    if (kind !== 'Ingress') {
      findings.push({ severity: 'info', rule: 'not-an-ingress', message: `${label}: not an Ingress; left out of the output`, path: [], document: d.index, ...at([]) })
      continue
    }
    const res = convertIngress(d.value, { ...opts, services, ingresses })
    for (const f of res.findings) findings.push({ ...f, document: d.index, ...at(f.path) })
    // One print per route: printNewFile puts an empty document between documents that have a leading comment.
    for (const route of res.routes) out.push(`# Converted from ${label}\n${printNewFile([{ value: route }])}`)
  }
  if (ingresses.length === 0) findings.push({ severity: 'warning', rule: 'no-ingress', message: 'the input has no Ingress', path: [], document: -1 })
  return { yaml: out.join(''), findings }
}
