/** Why a run could not happen at all (as opposed to diagnostics about the input). Exit code 2. */
/** `GIT`: a git command failed; `DIRTY`: uncommitted changes where a clean tree is needed; `GITHUB`: the GitHub API failed; `MISSING_DEPENDENCY`: a development tool (ts-morph) is not installed. */
export type ErrorCode = (typeof ERROR_CODES)[number]

/** Every {@link ErrorCode}, in the order README's table lists them. */
export const ERROR_CODES = ['USAGE', 'CONFIG', 'UNKNOWN_TRANSFORM', 'ORDER', 'READ_FAILED', 'WRITE_FAILED', 'NOT_AN_APP', 'GIT', 'DIRTY', 'GITHUB', 'MISSING_DEPENDENCY'] as const

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
