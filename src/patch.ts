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
  const body =
    c.status === 'modified'
      ? createTwoFilesPatch(a, b, c.before ?? '', c.after ?? '', undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY })
          .split('\n')
          .map((l, i) => (i < 2 ? l.replace(/\t$/, '') : l))
          .join('\n')
      : `--- ${a}\n+++ ${b}\n${wholeFile(c.status === 'added' ? (c.after ?? '') : (c.before ?? ''), c.status === 'added' ? '+' : '-')}`
  const mode = c.status === 'added' ? 'new file mode 100644\n' : c.status === 'deleted' ? 'deleted file mode 100644\n' : ''
  return `diff --git a/${c.path} b/${c.path}\n${mode}${body}`
}

/**
 * The hunk of a created (`+`) or removed (`-`) file: every line, as `createTwoFilesPatch` writes it, made without
 * diffing against an empty text (most files of a migration are new).
 */
function wholeFile(text: string, sign: '+' | '-'): string {
  if (text === '') return ''
  const lines = text.split('\n')
  const ends = lines[lines.length - 1] === ''
  if (ends) lines.pop()
  const range = sign === '+' ? `-0,0 +1,${lines.length}` : `-1,${lines.length} +0,0`
  return `@@ ${range} @@\n${sign}${lines.join(`\n${sign}`)}\n${ends ? '' : '\\ No newline at end of file\n'}`
}

export function toPatch(changes: readonly Change[]): string {
  return [...changes]
    .sort((x, y) => collate(x.path, y.path))
    .map(filePatch)
    .join('')
}
