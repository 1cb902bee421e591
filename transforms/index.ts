/** The built-in pipeline, in order. */
import type { Transform } from '../src/transform-api.ts'
import ksLayout from './ks-layout.ts'
import variables from './variables.ts'

export const builtinTransforms: readonly Transform[] = [ksLayout, variables]
