/** The app's relation to the external-secrets stores: the credentials a store reads, and the dependency on it. */
import type { Resource, TransformContext, WFile } from '../../src/transform-api.ts'
import type { RenderedKs } from './rendered.ts'

const STORE_KINDS = new Set(['SecretStore', 'ClusterSecretStore'])

/** Names of the Secrets the app's own SecretStores read their credentials from (`{name, key}` selectors). */
export function storeCredentialSecrets(resources: readonly Resource[]): Set<string> {
  const out = new Set<string>()
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit)
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>
      if (typeof o.name === 'string' && typeof o.key === 'string') out.add(o.name)
      Object.values(o).forEach(visit)
    }
  }
  for (const r of resources) if (STORE_KINDS.has(r.ref.kind)) visit(r.doc.get(['spec', 'provider']))
  return out
}

function resourcesOf(ctx: TransformContext, r: RenderedKs, root: string): Resource[] {
  const files = r.files.filter((f) => f.role === 'manifest' && (f.path === root || f.path.startsWith(`${root}/`))).map((f) => ctx.ws.file(f.path))
  return ctx.ws.resources(files.filter((f): f is WFile => f !== undefined))
}

/**
 * Adds `dependsOn` the Doppler store's Kustomization to each Kustomization of ks.yaml that renders one of the
 * app's own ExternalSecrets, unless it is that Kustomization or defines the store itself.
 */
export function addStoreDependency(ctx: TransformContext, ks: WFile, rendered: readonly RenderedKs[]): void {
  const dep = ctx.config.dependsOn['external-secrets-stores'] ?? { name: 'external-secrets-store-doppler', namespace: 'external-secrets' }
  for (const r of rendered) {
    const own = resourcesOf(ctx, r, ctx.app.root)
    if (!own.some((x) => x.ref.kind === 'ExternalSecret')) continue
    if (r.name === dep.name || own.some((x) => STORE_KINDS.has(x.ref.kind) && x.ref.name === ctx.config.secretStore.name)) continue
    const { doc } = r
    const n = doc.length(['spec', 'dependsOn'])
    let present = false
    for (let i = 0; i < n; i++) if (doc.getString(['spec', 'dependsOn', i, 'name']) === dep.name) present = true
    if (present) continue
    const entry = { name: dep.name, namespace: dep.namespace }
    if (n > 0) doc.push(['spec', 'dependsOn'], entry)
    else doc.set(['spec', 'dependsOn'], [entry], { before: doc.keys(['spec']).find((k) => k > 'dependsOn') })
    ctx.report({
      rule: 'store-dependency',
      severity: 'info',
      message: `dependsOn ${dep.name} (${dep.namespace}) added to ${r.name}: it renders an ExternalSecret, which needs the Doppler store`,
      at: { resource: { file: ks, doc, ref: { apiVersion: doc.getString(['apiVersion']) ?? '', kind: 'Kustomization', name: r.name } }, path: ['spec'] },
    })
  }
}
