/**
 * bitty2chongus as a library: migrate legacy Flux apps in memory and get the changes, diagnostics and patch.
 * @packageDocumentation
 */
export { migrate, loadConfig, type MigrateOptions, type MigrateResult } from './migrate.ts'
export { check, RULES, type CheckOptions, type CheckResult, type RuleMeta, type RuleName, type Builder, type BuildRequest, type BuildOutcome } from './check/index.ts'
export { toSarif } from './check/sarif.ts'
export { kubectlBuilder, type KubectlOptions } from './kubectl.ts'
export { migrateAll, type BatchOptions, type BatchResult, type AppOutcome, type AppStatus } from './batch.ts'
export { buildPlan, ruleLabel, type Plan, type PlanRow, type PlanStatus, type BlockerGroup } from './plan.ts'
export { defineTransform, type Transform, type TransformContext, type Report, type Location, type RunOptions } from './transform-api.ts'
export { builtinTransforms } from '../transforms/index.ts'
export { MemoryVfs, OverlayVfs, type Vfs } from './vfs.ts'
export { NodeVfs, writeAtomically } from './fs.ts'
export { formatDiagnostics, type Diagnostic, type Severity, type ResourceRef } from './diagnostics.ts'
export { type Change, type ChangeStatus, toPatch } from './patch.ts'
export { DEFAULT_CONFIG, resolveConfig, parseConfig, type Config } from './config.ts'
export { MigrationError, type ErrorCode } from './errors.ts'
export * as appTemplate from './apptemplate/index.ts'
