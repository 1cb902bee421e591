/** A one-line progress bar for terminals; callers draw it only when stderr is a TTY. */

/** `[#######.............]  7/53  downloads/radarr`, cut to `columns`. */
export function progressLine(done: number, total: number, label: string, columns = 80): string {
  const width = 20
  const filled = total === 0 ? width : Math.round((done / total) * width)
  const count = `${String(done).padStart(String(total).length)}/${total}`
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}  ${label}`
  return line.length > columns - 1 ? line.slice(0, Math.max(0, columns - 2)) + '…' : line
}

/** Redraws one line in place (`\r` + erase line) and erases it when done, leaving the terminal as it was. */
export class ProgressBar {
  private drawn = false
  constructor(
    private readonly write: (s: string) => void,
    private readonly columns = 80,
  ) {}

  update(done: number, total: number, label: string): void {
    this.write(`\r\x1b[2K${progressLine(done, total, label, this.columns)}`)
    this.drawn = true
  }

  clear(): void {
    if (this.drawn) this.write('\r\x1b[2K')
    this.drawn = false
  }
}
