/** Helpers shared by the ingress-route transform's three input shapes: variables, findings, comments. */
import type { IngressFinding, KeyPath, Location, Resource, TransformContext, WFile } from '../../src/transform-api.ts'

/** The label that kept the legacy root Kustomization from injecting the cluster variables (REFERENCE §7). */
const SUBSTITUTION_DISABLED = 'substitution.flux.home.arpa/disabled'

/**
 * The variables Flux substituted into a file of the app on the legacy cluster: the cluster's (from the
 * configuration), overridden by the `postBuild.substitute` of the Kustomization that rendered the file.
 */
export function variablesFor(ctx: TransformContext, file: WFile): Record<string, string> {
  const ks = ctx.app.kustomizations
  const owner = ks.find((k) => k.tree?.resources.includes(file.origin) || k.tree?.inputs.includes(file.origin)) ?? ks[0]
  const cluster = owner?.labels[SUBSTITUTION_DISABLED] === 'true' ? {} : ctx.config.variables
  return { ...cluster, ...(owner?.substitute ?? {}) }
}

/**
 * Reports converter findings at their YAML location: `base` is where the converter's input sits in the resource,
 * `map` turns a key path of that input into one of the resource (for inputs the transform assembled).
 */
export function reportFindings(ctx: TransformContext, findings: readonly IngressFinding[], resource: Resource, base: KeyPath, map: (p: KeyPath) => KeyPath = (p) => p): void {
  for (const f of findings) {
    ctx.report({ rule: f.rule, severity: f.severity, message: f.message, hint: f.hint, loss: f.loss, at: { resource, path: [...base, ...map(f.path)] } })
  }
}

export const hasErrors = (findings: readonly IngressFinding[]): boolean => findings.some((f) => f.severity === 'error')

/** A quoted scalar on one line, so that a `#` inside it is not read as a comment. */
const QUOTED = /"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'/g

/** The comments of a YAML text, one per line (the `yaml-language-server` modeline is not counted). */
export function commentLines(text: string): string[] {
  const out: string[] = []
  for (const line of text.split('\n')) {
    const bare = line.replace(QUOTED, (q) => ' '.repeat(q.length))
    const m = /(^|\s)#/.exec(bare)
    if (!m) continue
    const comment = line.slice(m.index + m[1].length).trim()
    if (!/^#\s*yaml-language-server:/.test(comment)) out.push(comment)
  }
  return out
}

/** Comments of `before` that `after` no longer has (as a multiset: a repeated comment counts each time). */
export function lostComments(before: string, after: string): string[] {
  const left = new Map<string, number>()
  for (const c of commentLines(after)) left.set(c, (left.get(c) ?? 0) + 1)
  const lost: string[] = []
  for (const c of commentLines(before)) {
    const n = left.get(c) ?? 0
    if (n > 0) left.set(c, n - 1)
    else lost.push(c)
  }
  return lost
}

/** Reports comments that an edit removed, quoting the first few so the reviewer can carry them by hand. */
export function reportLostComments(ctx: TransformContext, lost: readonly string[], what: string, at: Location): void {
  if (lost.length === 0) return
  const shown = lost.slice(0, 3).map((c) => `\`${c.length > 100 ? `${c.slice(0, 97)}...` : c}\``)
  const more = lost.length > 3 ? ` and ${lost.length - 3} more` : ''
  ctx.report({
    rule: 'comments-dropped',
    severity: 'info',
    message: `${lost.length} comment line(s) of ${what} have no place in the route and are dropped: ${shown.join(', ')}${more}`,
    hint: 'carry what still matters by hand (commented-out annotations are not converted)',
    loss: true,
    at,
  })
}
