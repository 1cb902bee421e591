/**
 * Everything a transform may use. Transforms import this module only: no `node:*`, no `yaml`, no I/O.
 */
import type { App } from './app.ts'
import type { Config } from './config.ts'
import type { Finding, ResourceRef, Severity } from './diagnostics.ts'
import type { KeyPath, Span, YamlDoc } from './document.ts'
import type { Resource, WFile, Workspace } from './workspace.ts'
import type { DopplerEntry } from './secrets/index.ts'

export type { App, LegacyKustomization } from './app.ts'
export type { Config, GatewayRef } from './config.ts'
export type { Finding, ResourceRef, Severity } from './diagnostics.ts'
export type { KeyPath, Span, YamlDoc } from './document.ts'
export { AliasValue, AnchoredValue, FlowValue, NodeValue, PlainValue, YamlFile, needsQuotes, printNewFile } from './document.ts'
export type { Resource, WFile, Workspace } from './workspace.ts'
export { refOf } from './workspace.ts'
export { isFluxKustomization } from './app.ts'
export { findKustomization, resolveKustomize } from './kustomize.ts'
export * as paths from './paths.ts'
import * as appTemplate from './apptemplate/index.ts'
export { appTemplate }
export type { TypedValue } from './document.ts'
export { convertAppTemplateIngress, convertIngress, gatewayTargets, ingressToAppTemplateRoutes, makeResolver } from './ingress/index.ts'
export type { AppTemplateRoute, HTTPRoute, IngressFinding, Resolver } from './ingress/index.ts'
export { isVariableName, parseEnvsubst, postBuildOf, injectedSubstitution, scanVariables, substitute, variableFindings } from './vars/index.ts'
export type { Expr, Finding as VarFinding, Injection, PostBuildConfig, SubstituteFromRef, Use } from './vars/index.ts'
export { dopplerConflicts, isSopsValue, looksLikeCredential, secretToExternalSecret, sopsInfo, upgradeExternalSecret } from './secrets/index.ts'
export type { Change as EditChange, DopplerEntry, SopsInfo, StoreRef } from './secrets/index.ts'

/** Options of a migration run that transforms may read. */
export interface RunOptions {
  /** Overwrite an existing, different Chongus app folder. */
  force: boolean
  /** Delete the legacy app folder instead of disabling its entry. */
  removeSource: boolean
  /** Rewrite raw workloads as one bjw-s app-template HelmRelease. */
  toAppTemplate?: boolean
}

/** Where a finding points: a resource (and a key path in it), or a file (and offsets). */
export type Location = { resource: Resource; path?: KeyPath } | { file: WFile | string; span?: Span }

/** A finding as a transform reports it; `Rule` is the transform's declared rule ids (any string when it declares none). */
export interface Report<Rule extends string = string> {
  /** Sub-id; the engine prefixes the transform id: `<transform>/<rule>`. */
  rule: Rule
  /** `error`: not migrated (nothing is written); `warning`: migrated, to review; `info`: worth knowing. */
  severity: Severity
  /** What happened, naming the object. */
  message: string
  /** What the user must do. */
  hint?: string
  /** Set when information does not survive the migration. */
  loss?: boolean
  /** Where: report before editing the node, as its position goes with it. */
  at?: Location
}

/** What a transform sees. */
export interface TransformContext<Rule extends string = string> {
  /** The app being migrated: names, legacy and target folders, its Flux Kustomizations. */
  readonly app: App
  /** The resolved configuration (`.bitty2chongus.yaml` and defaults). */
  readonly config: Config
  readonly options: RunOptions
  /** The draft repository (copy-on-write per transform). */
  readonly ws: Workspace
  /** The app's files where they are now (`app.root`), sorted. */
  files(): WFile[]
  /** The app's resources, optionally filtered by kind (and apiVersion prefix). */
  resources(filter?: { kind?: string; apiVersion?: string }): Resource[]
  /** Records a finding; the diagnostic's rule id is `<transform id>/<rule>`. */
  report(r: Report<Rule>): void
  /** Doppler secrets the migrated app needs (names and properties, never values), for the report and `--doppler-template`. */
  readonly doppler: DopplerEntry[]
}

/** A migration step. `Rule` is the union of the rule ids it declares in `rules` (any string when it declares none). */
export interface Transform<Rule extends string = string> {
  /** Kebab-case id; equals the module's file name. */
  readonly id: string
  /** One line: what it changes. */
  readonly description: string
  /** Transforms that must run before this one when both are selected. */
  readonly after?: readonly string[]
  /** The rule ids it reports, each with one line on what it means. Declaring them makes `report({ rule })` type-checked. */
  readonly rules?: { readonly [R in Rule]: string }
  /** Edits the draft through `ctx` and reports; a throw undoes its edits and becomes an error diagnostic. */
  apply(ctx: TransformContext<Rule>): void
}

/** The message a non-kebab-case id gets from the compiler. */
type KebabCaseExpected = 'error: transform ids are kebab-case (a-z, 0-9, -)'

/** A kebab-case transform id at the type level: a literal with capitals, spaces, `_`, `.` or `/` fails to compile. */
export type TransformId<Id extends string> = string extends Id ? Id : Id extends `${string}${' ' | '_' | '.' | '/'}${string}` ? KebabCaseExpected : Id extends Lowercase<Id> ? Id : KebabCaseExpected

/**
 * Declares a transform. Its shape is checked at compile time: `id`, `description` and `apply` are required, `after`
 * is a list of ids, unknown keys are rejected, and with `rules` declared `report({ rule })` accepts only those ids.
 * The result keeps the literal id, so `pipeline(...)` can check the ids it is given.
 * @throws Error when the id is not kebab-case (for callers without the type check).
 */
export function defineTransform<const Id extends string, Rule extends string = string>(t: Transform<Rule> & { readonly id: TransformId<Id> }): Transform<Rule> & { readonly id: Id } {
  if (!/^[a-z][a-z0-9-]*$/.test(t.id)) throw new Error(`transform id ${t.id} must be kebab-case`)
  return t as Transform<Rule> & { readonly id: Id }
}

/** Location of a key path of a resource (its nearest positioned ancestor). */
export function locate(resource: Resource, path: KeyPath = []): { file: string; span: Span; path: KeyPath; resource: ResourceRef } {
  return { file: resource.file.origin, span: resource.doc.span(path), path, resource: resource.ref }
}

export function toFinding(r: Report, transformId: string): Finding {
  const f: Finding = { rule: `${transformId}/${r.rule}`, severity: r.severity, message: r.message, hint: r.hint, loss: r.loss }
  const at = r.at
  if (at && 'resource' in at) Object.assign(f, locate(at.resource, at.path))
  else if (at && 'file' in at) {
    f.file = typeof at.file === 'string' ? at.file : at.file.origin
    f.span = at.span
  }
  return f
}

/** Reads a doc value as a string map (aliases resolved). */
export function stringMap(doc: YamlDoc, path: KeyPath): Record<string, string> {
  const v = doc.get(path)
  const out: Record<string, string> = {}
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x
  return out
}

// Chart → OCIRepository planning (pure, see src/charts) for the helm-oci transform.
export {
  helmRepositoryInfo,
  planHelmReleaseChart,
  planImageOverrides,
  planSchemaComment,
  seedReleaseDefaults,
  type ChartOverride,
  type ChartPlan,
  type Finding as ChartFinding,
  type HelmRepositoryInfo,
  type ImageInUse,
  type OciRepositoryManifest,
} from './charts/index.ts'
