/** Git-style unified diffs that `git apply` accepts. */
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from 'diff'
import { collate } from './paths.ts'

/** How a file changes: created, edited or removed. */
export type ChangeStatus = 'added' | 'modified' | 'deleted'

/** A changed file of a migration: its path, its status and its text before and after. */
export interface Change {
  path: string
  status: ChangeStatus
  before?: string
  after?: string
  /** An added file whose content is that of this (input) file: patched as a git copy, without content lines. */
  copyFrom?: string
}

/** One file's patch: `diff --git` header, `/dev/null` for created and deleted files, 3 lines of context. */
export function filePatch(c: Change): string {
  if (c.copyFrom !== undefined && c.status === 'added') return `diff --git a/${c.copyFrom} b/${c.path}\ncopy from ${c.copyFrom}\ncopy to ${c.path}\n`
  const a = c.status === 'added' ? '/dev/null' : `a/${c.path}`
  const b = c.status === 'deleted' ? '/dev/null' : `b/${c.path}`
  const body = createTwoFilesPatch(a, b, c.before ?? '', c.after ?? '', undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY })
    .split('\n')
    .map((l) => (l.startsWith('--- ') || l.startsWith('+++ ') ? l.replace(/\t$/, '') : l))
    .join('\n')
  const mode = c.status === 'added' ? 'new file mode 100644\n' : c.status === 'deleted' ? 'deleted file mode 100644\n' : ''
  return `diff --git a/${c.path} b/${c.path}\n${mode}${body}`
}

export function toPatch(changes: readonly Change[]): string {
  return [...changes]
    .sort((x, y) => collate(x.path, y.path))
    .map(filePatch)
    .join('')
}
