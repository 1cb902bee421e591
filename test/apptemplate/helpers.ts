/** Converts, renders with the model and compares: the equivalence every conversion test asserts. */
import { compareWorkloads, fmtPath, renderAppTemplate, toAppTemplate, unexplained, type ConvertOptions, type Manifest } from '../../src/apptemplate/index.ts'

export function convertAndCheck(manifests: Manifest[], opts: ConvertOptions) {
  const result = toAppTemplate(manifests, opts)
  if (!result.values) return { result, differences: [], unexplained: [] as string[], unmodelled: [] as string[] }
  const rendered = renderAppTemplate(result.values, opts.release, opts.chartVersion ?? '4.4.0')
  const differences = compareWorkloads(manifests, rendered, result.identities, opts.images)
  return {
    result,
    rendered,
    differences,
    unexplained: unexplained(differences, result.findings).map((d) => `${d.at.index}:${fmtPath(d.at.path)}: ${d.message}`),
    unmodelled: rendered.unmodelled,
  }
}

/** `rule@index:path` of each finding, for compact assertions. */
export const rules = (fs: { rule: string; severity: string; at?: { index: number; path: readonly (string | number)[] } }[]) => fs.map((f) => `${f.severity} ${f.rule}${f.at ? `@${f.at.index}:${fmtPath(f.at.path)}` : ''}`)
