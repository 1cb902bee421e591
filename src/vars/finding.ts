/** The finding shape shared by the variable and secret analyses (see `src/finding.ts`). */
export { finding, type Finding, type Severity } from '../finding.ts'

/** A key path into a parsed resource: map keys and sequence indexes. */
export type FindingPath = readonly (string | number)[]
