/** Flux post-build substitution: scanning, partial substitution, and what a root Kustomization injects. */
export { finding, type Finding, type FindingPath, type Severity } from './finding.ts'
export {
  isVariableName,
  parseEnvsubst,
  scanVariables,
  variableFindings,
  VARIABLE_NAME,
  type DefaultOperator,
  type Expr,
  type Use,
  type UseProblem,
} from './envsubst.ts'
export { substitute, type SubstituteOptions, type SubstituteResult } from './substitute.ts'
export {
  labelKeyError,
  labelValueError,
  matchesRequirements,
  matchesSelector,
  parseSelector,
  type ParsedSelector,
  type Requirement,
  type SelectorOperator,
} from './label-selector.ts'
export { matchesTarget, splitApiVersion, strategicMerge, type PatchTarget } from './kustomize-patch.ts'
export {
  injectedSubstitution,
  postBuildOf,
  type Decryption,
  type Injection,
  type InjectionOptions,
  type PostBuildConfig,
  type SubstituteFromRef,
} from './injection.ts'
