/**
 * Chart → OCIRepository planning: pure functions over plain objects (no I/O, no YAML). A transform reads the
 * HelmRelease and HelmRepositories, calls {@link planHelmReleaseChart}, and writes what the plan says.
 */
export { finding, type Finding, type KeyPath, type Severity } from './findings.ts'
export { CHART_TABLE_AS_OF, CHARTS_MIRROR, KNOWN_CHARTS, RELOCATIONS, type ChartStatus, type KnownChart, type Relocation } from './table.ts'
export { parseChartsConfig, validateChartsConfig, type ChartOverride } from './config.ts'
export { classifyVersion, versionToRef, type OciRef, type VersionKind } from './version.ts'
export { applyRelocation } from './relocation.ts'
export { resolveChartSource, type ChartData, type ChartSource, type ChartSourceOrigin, type ChartSourceQuery, type HelmRepositoryInfo } from './resolve.ts'
export { findHelmRepository, helmRepositoryInfo } from './repositories.ts'
export {
  buildOciRepository,
  DEFAULT_OCI_INTERVAL,
  HELM_CHART_MEDIA_TYPE,
  OCI_REPOSITORY_SCHEMA_COMMENT,
  type OciRepositoryInput,
  type OciRepositoryManifest,
  type OciVerify,
} from './oci-repository.ts'
export { planHelmReleaseChart, type ChartPlan, type ChartRef } from './helmrelease.ts'
export { planSchemaComment, RELEASE_DEFAULTS, seedReleaseDefaults, type ReleaseDefault } from './release-defaults.ts'
export { planImageOverrides, type ImageFold, type ImageInUse, type KustomizeImage } from './images.ts'
