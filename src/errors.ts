/** Why a run could not happen at all (as opposed to diagnostics about the input). Exit code 2. */
export type ErrorCode = 'USAGE' | 'CONFIG' | 'UNKNOWN_TRANSFORM' | 'ORDER' | 'READ_FAILED' | 'WRITE_FAILED' | 'NOT_AN_APP' | 'MISSING_DEPENDENCY'

/** Thrown when a run cannot happen at all; `code` says why, `cause` keeps the underlying error. */
export class MigrationError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message)
    this.name = 'MigrationError'
  }
}
