/**
 * Everything a transform may use. Transforms import this module only: no `node:*`, no `yaml`, no I/O.
 */
import type { App } from './app.ts'
import type { Config } from './config.ts'
import type { Finding, ResourceRef, Severity } from './diagnostics.ts'
import type { KeyPath, Span, YamlDoc } from './document.ts'
import type { Resource, WFile, Workspace } from './workspace.ts'

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

/** Options of a migration run that transforms may read. */
export interface RunOptions {
  /** Overwrite an existing, different Chongus app folder. */
  force: boolean
  /** Delete the legacy app folder instead of disabling its entry. */
  removeSource: boolean
}

/** Where a finding points: a resource (and a key path in it), or a file (and offsets). */
export type Location = { resource: Resource; path?: KeyPath } | { file: WFile | string; span?: Span }

export interface Report {
  /** Sub-id; the engine prefixes the transform id: `<transform>/<rule>`. */
  rule: string
  severity: Severity
  message: string
  /** What the user must do. */
  hint?: string
  /** Set when information does not survive the migration. */
  loss?: boolean
  at?: Location
}

/** What a transform sees. */
export interface TransformContext {
  readonly app: App
  readonly config: Config
  readonly options: RunOptions
  /** The draft repository (copy-on-write per transform). */
  readonly ws: Workspace
  /** The app's files where they are now (`app.root`), sorted. */
  files(): WFile[]
  /** The app's resources, optionally filtered by kind (and apiVersion prefix). */
  resources(filter?: { kind?: string; apiVersion?: string }): Resource[]
  report(r: Report): void
}

/** A migration step. */
export interface Transform {
  /** Kebab-case id; equals the module's file name. */
  readonly id: string
  /** One line: what it changes. */
  readonly description: string
  /** Transforms that must run before this one when both are selected. */
  readonly after?: readonly string[]
  apply(ctx: TransformContext): void
}

/** Declares a transform (typed, so a wrong shape fails to compile). */
export function defineTransform<T extends Transform>(t: T): T {
  if (!/^[a-z][a-z0-9-]*$/.test(t.id)) throw new Error(`transform id ${t.id} must be kebab-case`)
  return t
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
