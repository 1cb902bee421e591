import { stringMap } from './annotations.ts'
import { ingressBackend } from './backends.ts'
import { NGINX } from './behaviour.ts'
import { resolveText } from './hosts.ts'
import type { Entry } from './plan.ts'
import { asArray, asBool, asInt, asRecord, asText, code, Reporter } from './report.ts'
import type { IngressContext } from './types.ts'

/** An Entry that remembers the Ingress path it came from, so canaries can find it. */
export interface SourcedEntry extends Entry {
  rawPath: string
}

interface CanaryPath {
  host: string | null
  path: string
  backend: unknown
}

function nameOf(o: Record<string, unknown>): string {
  const meta = asRecord(o.metadata)
  const ns = asText(meta?.namespace)
  return `${ns ? `${ns}/` : ''}${asText(meta?.name) ?? '<unnamed>'}`
}

function isCanary(o: Record<string, unknown>): boolean {
  return asBool(stringMap(asRecord(o.metadata)?.annotations)[`${NGINX}canary`])
}

/** Ingresses of the same namespace that are (or are not) canaries, other than `self`. */
export function peers(self: Record<string, unknown>, ctx: IngressContext, canary: boolean): Record<string, unknown>[] {
  const ns = asText(asRecord(self.metadata)?.namespace)
  return (ctx.ingresses ?? [])
    .map(asRecord)
    .filter((o): o is Record<string, unknown> => o !== undefined && o !== self && asText(o.kind) === 'Ingress')
    .filter((o) => asText(asRecord(o.metadata)?.namespace) === ns && isCanary(o) === canary && nameOf(o) !== nameOf(self))
}

function canaryPaths(o: Record<string, unknown>, ctx: IngressContext): CanaryPath[] {
  const out: CanaryPath[] = []
  for (const rule of asArray(asRecord(o.spec)?.rules).map(asRecord)) {
    const raw = asText(rule?.host)
    const res = raw === undefined ? undefined : resolveText(raw, ctx.resolve)
    const host = res === undefined ? null : 'value' in res ? res.value.toLowerCase() : undefined
    if (host === undefined) continue
    for (const p of asArray(asRecord(rule?.http)?.paths).map(asRecord)) out.push({ host, path: asText(p?.path) || '/', backend: p?.backend })
  }
  return out
}

/**
 * Adds the weighted backends of canary Ingresses (same namespace, same host and path) to the primary's entries:
 * the canary gets `canary-weight` of `canary-weight-total`, the primary the rest.
 */
export function foldCanaries(self: Record<string, unknown>, entries: SourcedEntry[], ctx: IngressContext, r: Reporter): void {
  const ns = asText(asRecord(self.metadata)?.namespace)
  for (const peer of peers(self, ctx, true)) {
    const ann = stringMap(asRecord(peer.metadata)?.annotations)
    const weight = asInt(ann[`${NGINX}canary-weight`])
    const total = asInt(ann[`${NGINX}canary-weight-total`]) ?? 100
    const paths = canaryPaths(peer, ctx)
    const matching = entries.filter((e) => paths.some((p) => p.host === e.host && p.path === e.rawPath))
    if (matching.length === 0) continue
    if (weight === undefined) {
      r.warn('canary-not-folded', ['metadata', 'name'], `canary Ingress ${nameOf(peer)} has no \`canary-weight\`; its header or cookie routing is not converted`, { loss: true })
      continue
    }
    for (const e of matching) {
      const p = paths.find((x) => x.host === e.host && x.path === e.rawPath)!
      const scratch = new Reporter(`Ingress ${nameOf(peer)}`)
      const backend = ingressBackend(p.backend, ns, ctx.services ?? [], scratch, [])
      if (!backend) {
        r.warn('canary-not-folded', e.at, `the backend of canary Ingress ${nameOf(peer)} for this path cannot be resolved; not folded`, { loss: true })
        continue
      }
      const w = Math.min(weight, total)
      e.backends = [{ ...e.backends[0], weight: total - w }, { ...backend, weight: w }]
      r.info('canary-folded', e.at, `canary Ingress ${nameOf(peer)} folded in: ${code(backend.service)} gets weight ${w} of ${total}`)
    }
  }
}

/** Reports where a canary Ingress's traffic went: into a primary's route, or nowhere (error). */
export function reportOwnCanary(self: Record<string, unknown>, ctx: IngressContext, r: Reporter): void {
  const mine = canaryPaths(self, ctx)
  const primary = peers(self, ctx, false).find((o) => canaryPaths(o, ctx).some((p) => mine.some((m) => m.host === p.host && m.path === p.path)))
  const at = ['metadata', 'annotations', `${NGINX}canary`]
  if (!primary) {
    r.error('canary-orphan', at, 'canary Ingress without its primary Ingress among the objects given; not converted', { loss: true })
    return
  }
  r.info('canary-folded', at, `no route of its own: its backends are weighted into the route of Ingress ${nameOf(primary)}`)
}
