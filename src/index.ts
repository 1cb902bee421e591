/**
 * bitty2chongus as a library: migrate legacy Flux apps in memory and get the changes, diagnostics and patch; compose
 * the pipeline with your own transforms. Every export carries its TSDoc at its declaration, and
 * `test/public-api.test.ts` pins this list: a new export goes there too.
 * @packageDocumentation
 */

// Migrating.
export { migrate, type MigrateOptions, type MigrateResult } from './migrate.ts'
export { migrateAll, type BatchOptions, type BatchResult, type AppOutcome, type AppStatus } from './batch.ts'
// Checking Chongus apps.
export { check, type CheckOptions, type CheckResult } from './check/index.ts'
export { toSarif } from './check/sarif.ts'
export { kubectlBuilder } from './kubectl.ts'
// Writing transforms and composing the pipeline.
export { defineTransform, type Transform, type TransformContext, type Report } from './transform-api.ts'
export type { Resource } from './workspace.ts'
export { builtinTransforms } from '../transforms/index.ts'
export { pipeline, type Pipeline } from './pipeline-builder.ts'
// Reading a repository from a folder or from memory.
export { NodeVfs } from './fs.ts'
export { MemoryVfs, type Vfs } from './vfs.ts'
// Diagnostics and changes.
export { formatDiagnostics, type Diagnostic, type Severity, type ResourceRef } from './diagnostics.ts'
export type { Change, ChangeStatus } from './patch.ts'
export { writeAtomically, type FileWrite } from './fs.ts'
// Configuration and errors.
export { parseConfig, type Config } from './config.ts'
export { MigrationError, type ErrorCode } from './errors.ts'
export { ingressToRoutes, type StandaloneFinding, type StandaloneOptions } from './ingress/index.ts'
