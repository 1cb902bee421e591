/** Repository-relative POSIX paths, without `node:path` (transforms may use these). */

/** Normalises `a/./b/../c` to `a/c`; returns undefined when the path climbs above its start. */
export function normalize(p: string): string | undefined {
  const out: string[] = []
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') {
      if (out.length === 0) return undefined
      out.pop()
    } else out.push(seg)
  }
  return out.join('/')
}

/** Joins and normalises; undefined when the result leaves the repository root. */
export function join(...parts: string[]): string | undefined {
  return normalize(parts.filter((x) => x !== '').join('/'))
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/')
  return i < 0 ? '' : p.slice(0, i)
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1)
}

/** The relative path from directory `from` to `to` (both repository-relative). */
export function relative(from: string, to: string): string {
  const a = from.split('/').filter(Boolean)
  const b = to.split('/').filter(Boolean)
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  const up = a.slice(i).map(() => '..')
  const rel = [...up, ...b.slice(i)].join('/')
  return rel === '' ? '.' : rel
}

/** True when `p` is `dir` or below it. */
export function isWithin(p: string, dir: string): boolean {
  return dir === '' || p === dir || p.startsWith(dir + '/')
}

/** `./x` style for kustomize entries that stay inside the folder, `../x` otherwise. */
export function dotRelative(from: string, to: string): string {
  const r = relative(from, to)
  return r.startsWith('..') ? r : `./${r}`
}

let collator: Intl.Collator | undefined
/** Orders strings exactly as `a.localeCompare(b)` does, with one collator instead of one per comparison. */
export function collate(a: string, b: string): number {
  collator ??= new Intl.Collator()
  return collator.compare(a, b)
}
