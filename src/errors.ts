/** Why a run could not happen at all (as opposed to diagnostics about the input). Exit code 2. */
/** `GIT`: a git command failed; `DIRTY`: uncommitted changes where a clean tree is needed; `GITHUB`: the GitHub API failed; `MISSING_DEPENDENCY`: a development tool (ts-morph) is not installed. */
export type ErrorCode = (typeof ERROR_CODES)[number]

/** Every {@link ErrorCode}, in the order README's table lists them. */
export const ERROR_CODES = ['USAGE', 'CONFIG', 'UNKNOWN_TRANSFORM', 'ORDER', 'READ_FAILED', 'WRITE_FAILED', 'NOT_AN_APP', 'GIT', 'DIRTY', 'GITHUB', 'MISSING_DEPENDENCY'] as const

const BRAND = Symbol.for('bitty2chongus.MigrationError')

/** Thrown when a run cannot happen at all; `code` says why, `cause` keeps the underlying error. */
export class MigrationError extends Error {
  private readonly [BRAND] = true

  /**
   * Also true of a MigrationError made by another copy of this module: the CLI's bundle runs the authoring tools
   * from the library's modules, and their errors must still exit 2 with their message.
   */
  static override [Symbol.hasInstance](v: unknown): boolean {
    return typeof v === 'object' && v !== null && (v as { [BRAND]?: unknown })[BRAND] === true
  }

  constructor(
    readonly code: ErrorCode,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message)
    this.name = 'MigrationError'
  }
}
