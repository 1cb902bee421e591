/**
 * Schema validation against the CRD schemas of `@kubernetes-models/flux-cd` 4.x, `gateway-api` 2.x,
 * `external-secrets` 2.x and the core schemas of `kubernetes-models` 5.x. The packages are ESM and load ~100 ms of
 * schemas, so each model is imported on first use only, from its bundle when the build made one
 * (see bundled-models.ts).
 *
 * Documents are parsed failsafe (every scalar a string), so they are validated with the types YAML 1.1 gives their
 * text, the way Kubernetes reads them (`YamlDoc.typedValue`: read off the tree, or a re-parse): a quoted `"8080"`
 * stays a string and is reported, which a conversion driven by the schema would hide. Flux substitutes before
 * applying, so the text is substituted first with the Kustomization's `postBuild.substitute` (and defaults); when
 * that changed it, the value is read off the tree with the substituted scalars, or the text is parsed again
 * (`YamlDoc.typedValueAfter`). A value still holding `${` is left to the undefined-variable rule.
 */
import type { KeyPath, YamlDoc } from '../document.ts'
import { bundledModelUrl } from './bundled-models.ts'
import { loadModule } from '../load-module.ts'
import type { Resource } from '../workspace.ts'
import type { CheckContext } from './context.ts'
import { substitute } from './envsubst.ts'
import type { AppModel } from './model.ts'
import { substitutionDisabled } from './substitution.ts'

interface ModelClass {
  new (data: unknown): { validate(): void }
}
interface SchemaError {
  instancePath: string
  message?: string
  params?: Record<string, unknown>
}

/** Package holding the models of an API group; undefined when none does. */
function packageOf(group: string): string | undefined {
  if (group.endsWith('.toolkit.fluxcd.io')) return '@kubernetes-models/flux-cd'
  if (group === 'gateway.networking.k8s.io' || group === 'gateway.networking.x-k8s.io') return '@kubernetes-models/gateway-api'
  if (group === 'external-secrets.io' || group === 'generators.external-secrets.io') return '@kubernetes-models/external-secrets'
  if (group === '' || !group.includes('.') || group.endsWith('.k8s.io')) return 'kubernetes-models'
  return undefined
}

const cache = new Map<string, Promise<ModelClass | null>>()

/**
 * The module specifier of the model of apiVersion/kind (`kubernetes-models/apps/v1/Deployment`): null when the
 * package covering the group cannot name such a model, undefined when no package covers the group.
 */
export function modelSpecifier(apiVersion: string, kind: string): string | null | undefined {
  const slash = apiVersion.lastIndexOf('/')
  const group = slash < 0 ? '' : apiVersion.slice(0, slash)
  const version = apiVersion.slice(slash + 1)
  const pkg = packageOf(group)
  if (!pkg || !/^[A-Za-z0-9]+$/.test(kind) || !/^v[a-z0-9]+$/.test(version)) return pkg ? null : undefined
  return `${pkg}/${group === '' ? '' : `${group}/`}${version}/${kind}`
}

const modelIn = (kind: string) => (m: unknown) => {
  const c = (m as Record<string, unknown>)[kind]
  return typeof c === 'function' ? (c as ModelClass) : null
}

/**
 * A package that has no module for the kind: the kind is not one of its models. A failure of the loader itself
 * (Node's errors carry a code) is not hidden as an unknown kind.
 */
function notFound(e: unknown): null {
  const code = (e as { code?: unknown }).code
  if (code === undefined || code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return null
  throw e
}

/** The model class of apiVersion/kind: null when its package has no such model, undefined when no package covers the group. */
export async function modelFor(apiVersion: string, kind: string): Promise<ModelClass | null | undefined> {
  const spec = modelSpecifier(apiVersion, kind)
  if (!spec) return spec === null ? null : undefined
  let p = cache.get(spec)
  if (!p) cache.set(spec, (p = loadModel(apiVersion, kind, spec)))
  return p
}

/** The model from its bundle when the build made one, else (or when the bundle fails to load) from its package. */
async function loadModel(apiVersion: string, kind: string, spec: string): Promise<ModelClass | null> {
  const bundled = await bundledModelUrl(apiVersion, kind)
  if (bundled) {
    try {
      const m = modelIn(kind)(await loadModule(bundled))
      if (m) return m
    } catch {
      // A damaged build: the package serves the model.
    }
  }
  return loadModule(spec).then(modelIn(kind), notFound)
}

/** Key path of an ajv `instancePath` (`/spec/rules/0/port`), with sequence indexes as numbers. */
export function keyPathOf(doc: YamlDoc, instancePath: string): KeyPath {
  const out: (string | number)[] = []
  for (const raw of instancePath.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    out.push(doc.isSeq(out) && /^[0-9]+$/.test(seg) ? Number(seg) : seg)
  }
  return out
}

function describe(e: SchemaError): string {
  const p = e.params ?? {}
  if (typeof p.additionalProperty === 'string') return `has unknown field ${p.additionalProperty}`
  if (typeof p.missingProperty === 'string') return `is missing required field ${p.missingProperty}`
  if (Array.isArray(p.allowedValues)) return `must be one of ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
  return e.message ?? 'is invalid'
}

function valueAt(v: unknown, path: KeyPath): unknown {
  let cur = v
  for (const s of path) cur = cur && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[s] : undefined
  return cur
}

type Validation = { value: unknown; errors: SchemaError[] } | undefined
/** Recent validations by kind and text: `migrate` checks an app's legacy and migrated resources, mostly alike. */
const recent = new Map<string, Validation>()
const RECENT = 512

function validated(Model: ModelClass, key: string, typed: () => unknown): Validation {
  if (recent.has(key)) return recent.get(key)
  let out: Validation
  const value = typed()
  if (value !== undefined && typeof value === 'object') {
    let errors: SchemaError[] = []
    try {
      new Model(value).validate()
    } catch (e) {
      errors = Array.isArray((e as { errors?: unknown }).errors) ? (e as { errors: SchemaError[] }).errors : [{ instancePath: '', message: (e as Error).message }]
    }
    out = { value, errors }
  }
  if (recent.size >= RECENT) recent.delete(recent.keys().next().value!)
  recent.set(key, out)
  return out
}

/** Validates one resource; `vars` is the substitution Flux applies to it (undefined: none). */
export async function validateResource(ctx: CheckContext<'schema'>, app: AppModel | undefined, r: Resource, vars: Record<string, string> | undefined): Promise<void> {
  const Model = await modelFor(r.ref.apiVersion, r.ref.kind)
  if (Model === undefined) return
  if (Model === null) {
    const pkg = packageOf(r.ref.apiVersion.includes('/') ? r.ref.apiVersion.slice(0, r.ref.apiVersion.lastIndexOf('/')) : '')
    // The core package does not cover every built-in group; only the CRD packages know all their kinds.
    if (pkg !== 'kubernetes-models')
      ctx.report(app, { rule: 'schema', message: `${r.ref.apiVersion} ${r.ref.kind} is not a known API version of ${r.ref.kind}`, hint: 'use a served apiVersion (e.g. source.toolkit.fluxcd.io/v1, external-secrets.io/v1)', at: { resource: r, path: ['apiVersion'] } })
    return
  }
  const rendered = r.doc.render()
  const sub = vars && !substitutionDisabled(r) ? (t: string) => substitute(t, vars) : undefined
  const text = sub ? sub(rendered) : rendered
  const result = validated(Model, `${r.ref.apiVersion}\0${r.ref.kind}\0${text}`, () => (sub ? r.doc.typedValueAfter(sub, text) : r.doc.typedValue()))
  if (!result) return
  const { value, errors } = result
  const seen = new Set<string>()
  for (const e of errors) {
    const path = keyPathOf(r.doc, e.instancePath)
    const bad = valueAt(value, path)
    if (typeof bad === 'string' && bad.includes('${')) continue
    const msg = `${r.ref.kind} ${r.ref.name}: ${e.instancePath === '' ? '(root)' : e.instancePath.slice(1).replace(/\//g, '.')} ${describe(e)}`
    if (seen.has(msg)) continue
    seen.add(msg)
    ctx.report(app, { rule: 'schema', message: msg, hint: typeof bad === 'string' && /^[0-9]+$|^(true|false)$/.test(bad) ? 'a quoted number or boolean is a string: remove the quotes' : undefined, at: { resource: r, path } })
  }
}

/** Validates the app's Flux Kustomizations and everything they render. */
export async function schemaRules(ctx: CheckContext<'schema'>, app: AppModel): Promise<void> {
  // Every model the app needs is imported at once: the loader then reads their many files side by side.
  const refs = app.kustomizations.flatMap((ks) => [ks.resource, ...ks.resources]).map((r) => r.ref)
  await Promise.all([...new Map(refs.map((r) => [`${r.apiVersion}/${r.kind}`, r])).values()].map((r) => modelFor(r.apiVersion, r.kind)))
  for (const ks of app.kustomizations) {
    await validateResource(ctx, app, ks.resource, undefined)
    for (const r of ks.resources) await validateResource(ctx, app, r, ks.postBuild ? ks.substitute : undefined)
  }
}
