import { OCIRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1'

/** Validates against the source.toolkit.fluxcd.io/v1 OCIRepository schema; throws with the schema errors. */
export function assertValidOciRepository(manifest: unknown): void {
  new OCIRepository(manifest as ConstructorParameters<typeof OCIRepository>[0]).validate()
}
