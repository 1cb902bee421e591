/** Plain-text and Markdown tables for reports (no colours: output is often piped or pasted). */

/** A column: its header and alignment. */
export interface Column {
  header: string
  /** Numbers read better right-aligned. */
  align?: 'left' | 'right'
}

/** Columns padded to their widest cell, a rule under the header, two spaces between columns. */
export function textTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => (c.align === 'right' ? (cells[i] ?? '').padStart(widths[i]) : (cells[i] ?? '').padEnd(widths[i])))
      .join('  ')
      .trimEnd() + '\n'
  return line(columns.map((c) => c.header)) + line(widths.map((w) => '─'.repeat(w))) + rows.map(line).join('')
}

/** A GitHub-flavoured Markdown table; `|` and line breaks in cells are escaped. */
export function markdownTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
  const head = `| ${columns.map((c) => cell(c.header)).join(' | ')} |\n`
  const rule = `| ${columns.map((c) => (c.align === 'right' ? '---:' : '---')).join(' | ')} |\n`
  return head + rule + rows.map((r) => `| ${columns.map((_, i) => cell(r[i] ?? '')).join(' | ')} |\n`).join('')
}
