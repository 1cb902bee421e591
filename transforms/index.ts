/** The built-in pipeline, in order. */
import type { Transform } from '../src/transform-api.ts'
import helmOci from './helm-oci.ts'
import ksLayout from './ks-layout.ts'

export const builtinTransforms: readonly Transform[] = [ksLayout, helmOci]
