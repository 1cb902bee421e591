/** Rules on the app's Flux Kustomizations (`ks.yaml`): source, path, namespace, components, dependencies, SOPS. */
import { isWithin } from '../paths.ts'
import type { RuleName } from './rules.ts'
import type { CheckContext } from './context.ts'
import type { AppModel, KsModel } from './model.ts'

/** The rules this family reports. */
export const FLUX_RULES = ['source-ref', 'spec-path', 'target-namespace', 'components', 'depends-on', 'sops-substitution'] as const satisfies readonly RuleName[]
type FluxRule = (typeof FLUX_RULES)[number]

/** Source, path, targetNamespace, components, dependsOn and SOPS rules on each Flux Kustomization of the app. */
export function fluxRules(ctx: CheckContext<FluxRule>, app: AppModel): void {
  for (const ks of app.kustomizations) {
    sourceRef(ctx, app, ks)
    specPath(ctx, app, ks)
    targetNamespace(ctx, app, ks)
    components(ctx, app, ks)
    dependsOn(ctx, app, ks)
    sops(ctx, app, ks)
  }
}

function sourceRef(ctx: CheckContext<FluxRule>, app: AppModel, ks: KsModel): void {
  const want = ctx.config.target.sourceRef
  const doc = ks.resource.doc
  const got = { kind: doc.getString(['spec', 'sourceRef', 'kind']), name: doc.getString(['spec', 'sourceRef', 'name']), namespace: doc.getString(['spec', 'sourceRef', 'namespace']) }
  if (got.kind === want.kind && got.name === want.name && got.namespace === want.namespace) return
  ctx.report(app, {
    rule: 'source-ref',
    message: `Kustomization ${ks.name} reads ${got.kind ?? '(no kind)'} ${got.name ?? '(no name)'} ${got.namespace ? `in namespace ${got.namespace}` : 'without namespace'}, not ${want.kind} ${want.name} in ${want.namespace}`,
    hint: `sourceRef: {kind: ${want.kind}, name: ${want.name}, namespace: ${want.namespace}}`,
    at: { resource: ks.resource, path: ['spec', 'sourceRef'] },
  })
}

function specPath(ctx: CheckContext<FluxRule>, app: AppModel, ks: KsModel): void {
  const at = { resource: ks.resource, path: ['spec', 'path'] }
  const expected = `./${app.dir}/app`
  if (ks.specPath === '') {
    ctx.report(app, { rule: 'spec-path', message: `Kustomization ${ks.name} has no spec.path`, hint: `path: ${expected}`, at })
  } else if (ks.specPath.includes('${')) {
    ctx.report(app, { rule: 'spec-path', message: `spec.path ${ks.specPath} uses a variable: Chongus paths are literal`, hint: `path: ${expected}`, at })
  } else if (ks.dir === undefined) {
    ctx.report(app, { rule: 'spec-path', message: `spec.path ${ks.specPath} is not a folder of the repository`, hint: `path: ${expected}`, at })
  } else if (ks.dir === app.dir) {
    ctx.report(app, { rule: 'spec-path', message: `spec.path ${ks.specPath} is the app folder itself: Flux would apply ks.yaml with the manifests`, hint: `path: ${expected}`, at })
  } else if (!isWithin(ks.dir, app.dir)) {
    ctx.report(app, { rule: 'spec-path', message: `spec.path ${ks.specPath} is not inside the app folder ${app.dir}`, hint: `path: ${expected}`, at })
  }
}

function targetNamespace(ctx: CheckContext<FluxRule>, app: AppModel, ks: KsModel): void {
  const tn = ks.resource.doc.getString(['spec', 'targetNamespace'])
  if (tn === undefined) {
    ctx.report(app, {
      rule: 'target-namespace',
      message: `Kustomization ${ks.name} has no targetNamespace: its objects land in whatever namespace each one names`,
      hint: 'metadata.namespace: &namespace <ns> and spec.targetNamespace: *namespace',
      at: { resource: ks.resource, path: ['spec'] },
    })
  } else if (app.namespace !== '' && tn !== app.namespace) {
    ctx.report(app, {
      rule: 'target-namespace',
      severity: 'warning',
      message: `targetNamespace ${tn} differs from the namespace folder ${app.namespace}`,
      hint: 'move the app to the folder of its namespace',
      at: { resource: ks.resource, path: ['spec', 'targetNamespace'] },
    })
  }
}

function components(ctx: CheckContext<FluxRule>, app: AppModel, ks: KsModel): void {
  for (const c of ks.components) {
    const at = { resource: ks.resource, path: ['spec', 'components', c.index] }
    const hint = 'component paths are relative to spec.path, e.g. ../../../../components/volsync'
    if (ks.dir === undefined) continue
    if (c.dir === undefined || c.tree === undefined) {
      ctx.report(app, { rule: 'components', message: `component ${c.entry} does not exist relative to spec.path ${ks.specPath}`, hint, at })
      continue
    }
    const k = c.tree.kustomizations[0]
    const kind = k ? ctx.ws.file(k)?.yaml?.docs[0]?.getString(['kind']) : undefined
    if (kind !== 'Component') ctx.report(app, { rule: 'components', message: `${c.dir} is not a kustomize Component (kind: ${kind ?? 'none'})`, hint: 'its kustomization.yaml needs kind: Component', at })
  }
}

function dependsOn(ctx: CheckContext<FluxRule>, app: AppModel, ks: KsModel): void {
  const doc = ks.resource.doc
  const own = doc.getString(['metadata', 'namespace'])
  const configured = Object.values(ctx.config.dependsOn).filter((d) => d !== null)
  const n = doc.length(['spec', 'dependsOn'])
  for (let i = 0; i < n; i++) {
    const name = doc.getString(['spec', 'dependsOn', i, 'name'])
    if (!name) continue
    const ns = doc.getString(['spec', 'dependsOn', i, 'namespace'])
    const at = { resource: ks.resource, path: ['spec', 'dependsOn', i] }
    // A legacy dependency is compared under the Chongus name the configuration maps it to.
    const subject = `dependsOn:${app.legacy ? (ctx.config.dependsOn[name]?.name ?? name) : name}`
    const all = ctx.fluxKustomizationsNamed(name)
    const wanted = ns ?? own
    if (all.some((r) => (r.namespace ?? 'default') === (wanted ?? 'default'))) {
      if (ns === undefined)
        ctx.report(app, { rule: 'depends-on', severity: 'warning', message: `dependsOn ${name} has no namespace: it means ${own ?? 'the own namespace'}`, hint: `write namespace: ${wanted}`, at, subject })
      continue
    }
    const elsewhere = [...new Set(all.map((r) => r.namespace ?? '(no namespace)'))]
    const infra = configured.some((d) => d.name === name && d.namespace === wanted)
    if (elsewhere.length > 0) {
      ctx.report(app, {
        rule: 'depends-on',
        severity: 'warning',
        message: `dependsOn ${wanted ?? '(no namespace)'}/${name}: the repository has ${name} only in namespace ${elsewhere.join(', ')}; Flux waits until it exists`,
        hint: `migrate or create ${name} in ${wanted}, or point the dependency at namespace ${elsewhere[0]}`,
        at,
        subject,
      })
    } else {
      ctx.report(app, {
        rule: 'depends-on',
        severity: infra ? 'warning' : 'error',
        message: infra
          ? `dependsOn ${wanted}/${name} is not in this repository; the configuration names it as Chongus infrastructure (dependsOn), so it is expected to exist on the cluster`
          : `dependsOn ${wanted ?? '(no namespace)'}/${name} names no Flux Kustomization of the repository: the app never reconciles`,
        hint: infra ? 'make sure the cluster has it under this name and namespace' : 'fix the name or namespace, or remove the dependency',
        at,
        subject,
      })
    }
  }
}

function sops(ctx: CheckContext<FluxRule>, app: AppModel, ks: KsModel): void {
  const doc = ks.resource.doc
  if (doc.has(['spec', 'decryption'])) {
    // Bootstrap secrets (a secret store's own credentials) stay in SOPS: decryption is then needed, and only advised against.
    const sopsFiles = app.resources.some((r) => r.doc.has(['sops', 'mac']))
    ctx.report(app, {
      rule: 'sops-substitution',
      ...(sopsFiles ? { severity: 'warning' as const } : {}),
      message: `Kustomization ${ks.name} decrypts SOPS files (spec.decryption)${sopsFiles ? ': the app still holds SOPS-encrypted files (bootstrap secrets only)' : ''}`,
      hint: 'move the secrets to Doppler and read them with an ExternalSecret; then drop decryption',
      at: { resource: ks.resource, path: ['spec', 'decryption'] },
    })
  }
  const n = doc.length(['spec', 'postBuild', 'substituteFrom'])
  for (let i = 0; i < n; i++) {
    if (doc.getString(['spec', 'postBuild', 'substituteFrom', i, 'kind']) !== 'Secret') continue
    ctx.report(app, {
      rule: 'sops-substitution',
      message: `postBuild.substituteFrom Secret ${doc.getString(['spec', 'postBuild', 'substituteFrom', i, 'name']) ?? ''} (substitution from a SOPS secret)`,
      hint: 'inline public values in postBuild.substitute; secret values belong in an ExternalSecret',
      at: { resource: ks.resource, path: ['spec', 'postBuild', 'substituteFrom', i] },
    })
  }
}
