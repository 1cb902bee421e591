/** Drops trailing slashes: `oci://ghcr.io/bjw-s/helm/` and `oci://ghcr.io/bjw-s/helm` name one repository. */
export function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '')
}

/**
 * A repository URL as a comparison key: no trailing slash, scheme and host lower-cased (both are
 * case-insensitive; paths are not).
 */
export function urlKey(url: string): string {
  const t = trimSlashes(url.trim())
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/]*)(.*)$/i.exec(t)
  return m ? m[1].toLowerCase() + m[2].toLowerCase() + m[3] : t
}

/** Levenshtein distance, for "did you mean" hints on short names. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = cur
  }
  return prev[b.length]
}

/** The candidate closest to `name` when it is a plausible typo of it (distance ≤ 2, and less than half its length). */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestD = Infinity
  for (const c of candidates) {
    const d = editDistance(name, c)
    if (d < bestD) [best, bestD] = [c, d]
  }
  return best !== undefined && bestD > 0 && bestD <= 2 && bestD * 2 < name.length ? best : undefined
}
