/**
 * Replaces each Secret committed to the app (SOPS-encrypted, found by content, or in plain text) by an
 * `external-secrets.io/v1` ExternalSecret of the same name in the folder's `externalsecret.yaml`: Doppler store,
 * `dataFrom.extract` of one JSON secret per app (the app name in SCREAMING_SNAKE), a template rendering each key.
 * The Secret leaves the kustomization and the Chongus tree; only key names travel, never a value, and SOPS
 * ciphertext shows in the patch only where a file is deleted. Kustomizations rendering an ExternalSecret get
 * `dependsOn` the Doppler store.
 *
 * Reports: the Doppler secrets and properties to create (info), SOPS documents that are not Secrets (error: no
 * ExternalSecret can render them), store credentials that stay in SOPS (info), plain-text Secrets (warning).
 */
import { defineTransform, dopplerConflicts, paths, printNewFile, secretToExternalSecret, sopsInfo, type DopplerEntry, type TransformContext, type WFile, type YamlDoc } from '../src/transform-api.ts'
import { legacyVars } from './lib/legacy-vars.ts'
import { renderedKustomizations, type RenderedKs } from './lib/rendered.ts'
import { isSopsDoc } from './lib/scalars.ts'
import { addStoreDependency, storeCredentialSecrets } from './lib/secret-stores.ts'

export const EXTERNAL_SECRET_SCHEMA = 'yaml-language-server: $schema=https://kubernetes-schemas.pages.dev/external-secrets.io/externalsecret_v1.json'

export default defineTransform({
  id: 'sops-external-secret',
  description: 'Replaces SOPS (and plain) Secrets by ExternalSecrets reading one Doppler secret per app.',
  after: ['variables'],
  apply(ctx) {
    const { app, ws } = ctx
    if (app.root === app.legacyDir) {
      ctx.report({ rule: 'not-moved', severity: 'info', message: 'Secrets are converted in the Chongus copy of the app only; the legacy app was left as it is (run ks-layout first)', at: { file: `${app.legacyDir}/ks.yaml` } })
      return
    }
    const ks = ws.file(`${app.root}/ks.yaml`)
    if (!ks?.yaml || ks.yaml.hasErrors) return
    const rendered = renderedKustomizations(ctx, ks)
    const storeSecrets = storeCredentialSecrets(ctx.resources())
    const entries: DopplerEntry[] = []
    const done = new Set<string>()
    for (const r of rendered) {
      let keepsSops = false
      for (const f of r.files) {
        if (f.role !== 'manifest' || !paths.isWithin(f.path, app.root) || done.has(f.path)) continue
        const file = ws.file(f.path)
        for (const doc of [...(file?.yaml?.hasErrors ? [] : (file?.yaml?.docs ?? []))]) {
          const kept = convert(ctx, file!, doc, r, storeSecrets, entries)
          keepsSops ||= kept
        }
        done.add(f.path)
      }
      fixDecryption(ctx, ks, r, keepsSops)
    }
    for (const w of dopplerConflicts(entries)) ctx.report({ rule: w.rule, severity: w.severity, message: w.message, hint: w.hint, at: { file: ks } })
    ctx.doppler.push(...entries)
    addStoreDependency(ctx, ks, renderedKustomizations(ctx, ks))
  },
})

/** Converts one document when it is a Secret; returns true when it stays SOPS-encrypted. */
function convert(ctx: TransformContext, file: WFile, doc: YamlDoc, r: RenderedKs, storeSecrets: Set<string>, entries: DopplerEntry[]): boolean {
  const kind = doc.getString(['kind'])
  const isSecret = kind === 'Secret' && doc.getString(['apiVersion']) === 'v1'
  const name = doc.getString(['metadata', 'name']) ?? ''
  const at = { file, span: doc.span([]) }
  if (!isSecret) {
    if (!isSopsDoc(doc)) return false
    ctx.report({
      rule: 'sops-not-a-secret',
      severity: 'error',
      message: `the SOPS-encrypted ${kind ?? 'document'} ${name} cannot become an ExternalSecret: ExternalSecrets only render Secrets`,
      hint: `keep it in SOPS (re-encrypt it for the Chongus key and keep spec.decryption in ks.yaml), or commit it in plain text if its encrypted fields are not secret; --skip ${'sops-external-secret'} migrates the rest meanwhile`,
      at,
    })
    return true
  }
  const value = doc.get([])
  const sops = sopsInfo(value)
  if (!sops && doc.keys(['data']).length + doc.keys(['stringData']).length === 0) return false
  if (storeSecrets.has(name)) {
    ctx.report({
      rule: 'store-credentials-kept',
      severity: 'info',
      message: `Secret ${name} holds the credentials of the app's secret store: it stays ${sops ? 'in SOPS' : 'as it is'} (a store cannot fetch its own token)`,
      hint: sops ? 'make sure it is encrypted for the Chongus cluster key (the .sops.yaml rule for *.cho.yaml)' : 'encrypt it with SOPS: it is a credential in plain text',
      at,
    })
    return sops !== undefined
  }
  const res = secretToExternalSecret(value, { appName: ctx.app.name, store: ctx.config.secretStore as { kind: 'ClusterSecretStore' | 'SecretStore'; name: string } })
  for (const f of res.findings) ctx.report({ rule: f.rule, severity: f.severity, message: f.message, hint: f.hint, loss: f.loss, at: { file, span: f.path ? doc.span(f.path) : at.span } })
  if (!res.externalSecret) return sops !== undefined
  const target = `${paths.dirname(file.path)}/externalsecret.yaml`
  const existing = ctx.ws.file(target)
  const same = existing?.yaml?.docs.find((d) => d.getString(['kind']) === 'ExternalSecret' && d.getString(['metadata', 'name']) === name)
  // The same ExternalSecret is there when the migration already ran: the Secret only has to go.
  if (same && JSON.stringify(same.get([])) !== JSON.stringify(res.externalSecret)) {
    ctx.report({ rule: 'name-taken', severity: 'error', message: `${target} already has a different ExternalSecret named ${name}; Secret ${name} was not converted`, hint: 'rename one of them', at })
    return sops !== undefined
  }
  if (same === undefined && existing?.yaml) existing.yaml.addDocument(res.externalSecret, { commentBefore: ` ${EXTERNAL_SECRET_SCHEMA}` })
  else if (same === undefined) ctx.ws.write(target, printNewFile([{ value: res.externalSecret, commentBefore: ` ${EXTERNAL_SECRET_SCHEMA}` }]))
  const rest = file.yaml!.docs.filter((d) => d !== doc && !d.isEmpty)
  if (rest.length === 0) ctx.ws.delete(file.path)
  else file.yaml!.removeDocument(doc)
  relist(ctx, r, file.path, target, rest.length === 0)
  entries.push({ key: res.dopplerKey, properties: res.properties, source: `Secret ${name}` })
  ctx.report({
    rule: 'doppler-secret',
    severity: 'info',
    message: `Secret ${name} → ExternalSecret ${name} in ${paths.basename(target)}: create Doppler secret ${res.dopplerKey} as JSON with ${res.properties.length > 0 ? `properties ${res.properties.join(', ')}` : 'no properties'}`,
    hint: `copy the values from the ${sops ? 'decrypted SOPS file (sops -d)' : 'legacy Secret'}; --doppler-template FILE writes the skeleton`,
    at,
  })
  return false
}

/** Points the kustomization that listed the Secret's file at externalsecret.yaml (once). */
function relist(ctx: TransformContext, r: RenderedKs, gone: string, target: string, removed: boolean): void {
  for (const k of r.files.filter((f) => f.role === 'kustomization')) {
    const kfile = ctx.ws.file(k.path)
    const kdir = paths.dirname(k.path)
    for (const doc of kfile?.yaml?.docs ?? []) {
      const n = doc.length(['resources'])
      const entries = Array.from({ length: n }, (_, i) => doc.getString(['resources', i]) ?? '')
      const i = entries.findIndex((e) => paths.join(kdir, e) === gone)
      if (i < 0) continue
      const listed = entries.some((e) => paths.join(kdir, e) === target)
      if (!removed) {
        if (!listed) doc.push(['resources'], paths.dotRelative(kdir, target), i + 1)
      } else if (listed) doc.delete(['resources', i])
      else doc.set(['resources', i], paths.dotRelative(kdir, target))
    }
  }
}

/** `spec.decryption` only where a SOPS file stays: it was injected by Bitty's root, Chongus injects nothing. */
function fixDecryption(ctx: TransformContext, ks: WFile, r: RenderedKs, keepsSops: boolean): void {
  const { doc } = r
  const has = doc.has(['spec', 'decryption'])
  const at = { resource: { file: ks, doc, ref: { apiVersion: doc.getString(['apiVersion']) ?? '', kind: 'Kustomization', name: r.name } }, path: ['spec'] }
  if (!keepsSops && has) {
    ctx.report({ rule: 'decryption-removed', severity: 'info', message: `spec.decryption removed from ${r.name}: nothing it renders is SOPS-encrypted any more`, at })
    doc.delete(['spec', 'decryption'])
  } else if (keepsSops && !has) {
    const legacy = legacyVars(ctx).injection(r.index)?.decryption ?? { provider: 'sops', secretRef: { name: 'sops-age' } }
    doc.set(['spec', 'decryption'], legacy, { before: doc.keys(['spec']).find((k) => k > 'decryption') })
    ctx.report({
      rule: 'decryption-added',
      severity: 'info',
      message: `spec.decryption (provider ${legacy.provider}${legacy.secretRef ? `, secretRef ${legacy.secretRef.name}` : ''}) added to ${r.name}: it renders a SOPS file, and Chongus's root injects no decryption`,
      hint: 'check that this key Secret exists in flux-system on Chongus',
      at,
    })
  }
}
