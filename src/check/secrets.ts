/** Secrets: no SOPS files, ExternalSecrets v1 on the configured store, no Secret data in git. Values are never printed. */
import type { WFile } from '../workspace.ts'
import type { RuleName } from './rules.ts'
import type { CheckContext } from './context.ts'
import type { AppModel } from './model.ts'

/** The rules this family reports. */
export const SECRET_RULES = ['sops', 'secret-data', 'external-secret'] as const satisfies readonly RuleName[]
type SecretRule = (typeof SECRET_RULES)[number]

/** Whether a file is SOPS-encrypted: a `sops` map with a MAC, or `ENC[...]` values. */
export function isSops(file: WFile): boolean {
  const y = file.yaml
  if (y && !y.hasErrors) {
    for (const d of y.docs) if (d.isMap(['sops']) && (d.has(['sops', 'mac']) || d.has(['sops', 'lastmodified']))) return true
  }
  return /ENC\[AES256_GCM,data:/.test(file.after ?? '')
}

/** SOPS file, ExternalSecret and Secret-data rules of one app. */
export function secretRules(ctx: CheckContext<SecretRule>, app: AppModel): void {
  for (const f of app.files) {
    if (!isSops(f)) continue
    ctx.report(app, {
      rule: 'sops',
      message: `${f.path} is SOPS-encrypted: Chongus keeps application secrets in Doppler`,
      hint: 'create the values in Doppler, read them with an ExternalSecret, and delete this file',
      at: { file: f.path },
    })
  }
  const store = ctx.config.secretStore
  for (const r of app.resources) {
    if (r.ref.kind === 'ExternalSecret' && r.ref.apiVersion.startsWith('external-secrets.io/')) {
      if (r.ref.apiVersion !== 'external-secrets.io/v1')
        ctx.report(app, { rule: 'external-secret', message: `ExternalSecret ${r.ref.name} is ${r.ref.apiVersion}: external-secrets stopped serving it in 0.17`, hint: 'apiVersion: external-secrets.io/v1 (same schema)', at: { resource: r, path: ['apiVersion'] } })
      const kind = r.doc.getString(['spec', 'secretStoreRef', 'kind']) ?? 'SecretStore'
      const name = r.doc.getString(['spec', 'secretStoreRef', 'name'])
      if (kind !== store.kind || name !== store.name)
        ctx.report(app, {
          rule: 'external-secret',
          message: `ExternalSecret ${r.ref.name} reads ${kind} ${name ?? '(none)'}, not ${store.kind} ${store.name}`,
          hint: `secretStoreRef: {kind: ${store.kind}, name: ${store.name}}`,
          at: { resource: r, path: ['spec', 'secretStoreRef'] },
        })
    }
    // A SOPS file is reported as such; its encrypted data is not a second finding.
    if (r.ref.kind === 'Secret' && r.ref.apiVersion === 'v1' && !isSops(r.file)) {
      const keys = [...r.doc.keys(['data']), ...r.doc.keys(['stringData'])]
      if (keys.length === 0) continue
      ctx.report(app, {
        rule: 'secret-data',
        message: `Secret ${r.ref.name} holds ${keys.length} key(s) in git`,
        hint: 'keep the values in Doppler and create the Secret with an ExternalSecret',
        at: { resource: r, path: [r.doc.has(['data']) ? 'data' : 'stringData'] },
      })
    }
  }
}
