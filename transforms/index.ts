/** The built-in pipeline, in order. */
import type { Transform } from '../src/transform-api.ts'
import externalSecretV1 from './external-secret-v1.ts'
import ksLayout from './ks-layout.ts'
import sopsExternalSecret from './sops-external-secret.ts'
import variables from './variables.ts'

export const builtinTransforms: readonly Transform[] = [ksLayout, variables, sopsExternalSecret, externalSecretV1]
