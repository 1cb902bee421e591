/**
 * Upgrades the app's ExternalSecrets from `external-secrets.io/v1beta1`, which ESO stopped serving in 0.17, to
 * `v1` (same schema), in place: the stray `metadata.namespace` goes (the Kustomization's `targetNamespace` places
 * the object), `target.creationPolicy: Owner` is written out (ESO's default), `engineVersion: v2` is added inside
 * an existing template only (a new template would change which keys the Secret gets), the store is kept, and the
 * schema comment follows the version.
 *
 * SecretStores, ClusterSecretStores and ClusterExternalSecrets at v1beta1 get the new `apiVersion` as well.
 *
 * Reports: dropped namespaces (info, loss), stores other than the Doppler one (warning), templates on engine v1
 * (error: left unchanged), other kinds upgraded (info).
 */
import { defineTransform, upgradeExternalSecret, type KeyPath, type YamlDoc } from '../src/transform-api.ts'

export default defineTransform({
  id: 'external-secret-v1',
  description: 'Upgrades ExternalSecrets to external-secrets.io/v1 with creationPolicy Owner and no stray namespace.',
  after: ['sops-external-secret'],
  apply(ctx) {
    if (ctx.app.root === ctx.app.legacyDir) {
      ctx.report({ rule: 'not-moved', severity: 'info', message: 'ExternalSecrets are upgraded in the Chongus copy of the app only; the legacy app was left as it is (run ks-layout first)', at: { file: `${ctx.app.legacyDir}/ks.yaml` } })
      return
    }
    for (const res of ctx.resources({ kind: 'ExternalSecret', apiVersion: 'external-secrets.io/' })) {
      const { doc } = res
      const up = upgradeExternalSecret(doc.get([]))
      for (const f of up.findings) ctx.report({ rule: f.rule, severity: f.severity, message: f.message, hint: f.hint, loss: f.loss, at: { resource: res, path: f.path } })
      for (const c of up.changes) {
        if (c.action === 'delete') doc.delete(c.path)
        else doc.set(c.path, c.value, c.action === 'add' ? placement(doc, c.path) : undefined)
      }
      if (up.changes.some((c) => c.path[0] === 'apiVersion')) upgradeSchemaComment(doc, 'externalsecret')
    }
    // ESO 0.17 stopped serving v1beta1 for the other kinds too; a store's provider block is the same in v1.
    for (const res of ctx.resources({ apiVersion: 'external-secrets.io/v1beta1' })) {
      if (!OTHER_KINDS.includes(res.ref.kind)) continue
      ctx.report({ rule: 'other-kind-upgraded', severity: 'info', message: `${res.ref.kind} ${res.ref.name}: external-secrets.io/v1beta1 → v1 (no longer served)`, hint: 'check its provider fields against the v1 schema', at: { resource: res, path: ['apiVersion'] } })
      res.doc.set(['apiVersion'], 'external-secrets.io/v1')
      upgradeSchemaComment(res.doc, res.ref.kind.toLowerCase())
    }
  },
})

const OTHER_KINDS = ['SecretStore', 'ClusterSecretStore', 'ClusterExternalSecret']

/** Where an added key goes: `creationPolicy` after the target's `name`, `engineVersion` first in the template. */
function placement(doc: YamlDoc, path: KeyPath): { before?: string; after?: string } | undefined {
  const parent = path.slice(0, -1)
  const last = path[path.length - 1]
  const keys = doc.keys(parent)
  if (last === 'creationPolicy' && keys.includes('name')) return { after: 'name' }
  if (last === 'engineVersion' && keys.length > 0) return { before: keys[0] }
  return undefined
}

function upgradeSchemaComment(doc: YamlDoc, kind: string): void {
  doc.editLeadingComment(`${kind}_v1beta1.json`, `${kind}_v1.json`)
}
