/** Builds the per-app OCIRepository (source.toolkit.fluxcd.io/v1) in the Chongus shape. */
import type { OciRef } from './version.ts'

/** Media type of a Helm chart's content layer; with `operation: copy` Flux hands helm-controller the .tgz as is. */
export const HELM_CHART_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip'

/** Interval Chongus gives every OCIRepository. */
export const DEFAULT_OCI_INTERVAL = '1h'

/** The schema comment, as a YAML comment body (the printer adds `#`), placed above the document. */
export const OCI_REPOSITORY_SCHEMA_COMMENT =
  ' yaml-language-server: $schema=https://kubernetes-schemas.pages.dev/source.toolkit.fluxcd.io/ocirepository_v1.json'

/** `spec.verify` of a HelmChart or OCIRepository (cosign or notation). */
export interface OciVerify {
  provider: string
  secretRef?: { name: string }
  matchOIDCIdentity?: { issuer: string; subject: string }[]
  [field: string]: unknown
}

/** Inputs of {@link buildOciRepository}. */
export interface OciRepositoryInput {
  name: string
  /** Namespace; omit to let the Flux Kustomization's `targetNamespace` place it beside the HelmRelease. */
  namespace?: string
  url: string
  ref: OciRef
  interval?: string
  verify?: OciVerify
  provider?: string
  secretRef?: { name: string }
  certSecretRef?: { name: string }
  insecure?: boolean
}

/** An OCIRepository manifest as a plain object. */
export interface OciRepositoryManifest {
  apiVersion: 'source.toolkit.fluxcd.io/v1'
  kind: 'OCIRepository'
  metadata: { name: string; namespace?: string }
  spec: {
    certSecretRef?: { name: string }
    insecure?: boolean
    interval: string
    layerSelector: { mediaType: string; operation: 'copy' }
    provider?: string
    ref: OciRef
    secretRef?: { name: string }
    url: string
    verify?: OciVerify
  }
}

/**
 * The OCIRepository for one app. Spec keys are alphabetical, which gives the seed's order
 * (interval, layerSelector, ref, url) with the optional fields in between.
 */
export function buildOciRepository(input: OciRepositoryInput): OciRepositoryManifest {
  const metadata: OciRepositoryManifest['metadata'] = { name: input.name }
  if (input.namespace !== undefined) metadata.namespace = input.namespace
  const spec: Record<string, unknown> = {}
  if (input.certSecretRef !== undefined) spec.certSecretRef = input.certSecretRef
  if (input.insecure !== undefined) spec.insecure = input.insecure
  spec.interval = input.interval ?? DEFAULT_OCI_INTERVAL
  spec.layerSelector = { mediaType: HELM_CHART_MEDIA_TYPE, operation: 'copy' }
  if (input.provider !== undefined) spec.provider = input.provider
  spec.ref = { ...input.ref }
  if (input.secretRef !== undefined) spec.secretRef = input.secretRef
  spec.url = input.url
  if (input.verify !== undefined) spec.verify = input.verify
  return { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository', metadata, spec: spec as OciRepositoryManifest['spec'] }
}
