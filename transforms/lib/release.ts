/**
 * Rewrites a HelmRelease whose chart moved to an OCIRepository: `spec.chart` → `spec.chartRef` in the same place,
 * `interval: 1h`, the Chongus install/upgrade settings where absent, and a legacy schema comment updated. Values,
 * comments and anchors are kept.
 */
import { planSchemaComment, seedReleaseDefaults, type ChartFinding, type ChartPlan, type KeyPath, type Resource, type TransformContext, type YamlDoc } from '../../src/transform-api.ts'

const INTERVAL: KeyPath = ['spec', 'interval']
/** Where a new top-level spec key goes: after the first of these that exists. */
const PLACE_AFTER: Record<string, readonly string[]> = { install: ['chartRef'], upgrade: ['install', 'chartRef'] }

/**
 * Where a new key goes in the existing map at `prefix`: before the next key of the seed's order that exists
 * (`cleanupOnFail` before `remediation`, `install` before `upgrade`), else after the keys it follows in the seed.
 */
function placement(doc: YamlDoc, order: readonly KeyPath[], prefix: KeyPath, key: string): { before?: string; after?: string } | undefined {
  const below = order.filter((p) => p.length > prefix.length && prefix.every((x, j) => p[j] === x)).map((p) => p[prefix.length] as string)
  const keys = [...new Set(below)]
  const next = keys.slice(keys.indexOf(key) + 1).find((k) => doc.has([...prefix, k]))
  if (next !== undefined) return { before: next }
  const after = prefix.length === 1 ? (PLACE_AFTER[key] ?? []).find((k) => doc.has(['spec', k])) : undefined
  return after === undefined ? undefined : { after }
}

/** Reports a planner finding at its key path in `hr` (`fallback` when it has none). */
export function reportFinding(ctx: TransformContext, hr: Resource, f: ChartFinding, fallback: KeyPath = []): void {
  ctx.report({ rule: f.rule, severity: f.severity, message: f.message, hint: f.hint, loss: f.loss, at: { resource: hr, path: f.path ?? fallback } })
}

/** Applies `plan` (status `migrate`) to `hr`. */
export function rewriteRelease(ctx: TransformContext, hr: Resource, plan: ChartPlan): void {
  const doc = hr.doc
  const defaults = seedReleaseDefaults(doc.get([]))
  const order = seedReleaseDefaults().add
  const interval = String(order.find((d) => d.path.join('.') === INTERVAL.join('.'))!.value)
  for (const n of defaults.notes) {
    // The interval is set, not kept: Chongus reconciles every release hourly.
    if (n.rule === 'release-default-differs' && n.path?.join('.') === INTERVAL.join('.')) continue
    reportFinding(ctx, hr, n)
  }
  const schema = doc.commentBefore === undefined ? undefined : planSchemaComment(doc.commentBefore)
  for (const n of schema?.notes ?? []) reportFinding(ctx, hr, n)

  const [start, end] = doc.span(['spec', 'chart'])
  const text = hr.file.yaml!.text
  const key = text.lastIndexOf('chart', start)
  const comments = text.slice(key < 0 ? start : key, end).match(/(?<=^|\s)#.*$/gm)
  if (comments) {
    const message = `comments inside spec.chart go with it: ${comments.map((c) => c.trim()).join(' / ')}`
    ctx.report({ rule: 'chart-comment-dropped', severity: 'info', message, loss: true, at: { resource: hr, path: ['spec', 'chart'] } })
  }
  // Inserted after `chart` and then deleted: a comment above `chart` moves onto `chartRef`.
  doc.set(['spec', 'chartRef'], { ...plan.chartRef }, { after: 'chart' })
  doc.delete(['spec', 'chart'])
  if (doc.has(INTERVAL)) doc.set(INTERVAL, interval)
  else doc.set(INTERVAL, interval, { before: doc.keys(['spec'])[0] })
  for (const d of defaults.add) {
    if (d.path.join('.') === INTERVAL.join('.')) continue
    const i = d.path.findIndex((_, k) => !doc.has(d.path.slice(0, k + 1)))
    if (i < 0) {
      doc.set(d.path, d.value)
      continue
    }
    const value = d.path.slice(i + 1).reduceRight<unknown>((v, k) => ({ [k]: v }), d.value)
    doc.set(d.path.slice(0, i + 1), value, placement(doc, order.map((o) => o.path), d.path.slice(0, i), d.path[i] as string))
  }
  if (schema?.changed) doc.commentBefore = schema.comment
}
