/**
 * The legacy HelmRepositories: every `HelmRepository` document below the configured folders
 * (`legacy.repositories`), found by content whatever the file is called. Files are parsed on demand, those that
 * mention a wanted name first, and kept per workspace.
 */
import { helmRepositoryInfo, type HelmRepositoryInfo, type Resource, type TransformContext, type WFile, type Workspace } from '../../src/transform-api.ts'

/** The repositories found, the folders searched and the YAML files that could not be read there. */
export interface RepositoryIndex {
  repos: HelmRepositoryInfo[]
  dirs: string[]
  unreadable: string[]
}

interface Scan extends RepositoryIndex {
  /** Files that mention HelmRepository and have not been parsed yet. */
  pending: WFile[]
}

const cache = new WeakMap<Workspace, Map<string, Scan>>()

const keyOf = (r: HelmRepositoryInfo) => `${r.namespace ?? ''}/${r.name}`

/**
 * HelmRepositories of the legacy folders that the sourceRefs in `wanted` may name (every one when a name is not
 * found, so that the error can list them), plus those the app itself holds (`local`).
 */
export function helmRepositories(ctx: TransformContext, local: readonly Resource[], wanted: readonly string[]): RepositoryIndex {
  const scan = scanOf(ctx)
  parse(scan, (f) => wanted.some((n) => f.after!.includes(n)))
  if (wanted.some((n) => !scan.repos.some((r) => r.name === n))) parse(scan, () => true)
  const repos = [...scan.repos]
  for (const r of local) add(repos, helmRepositoryInfo(r.doc.get([])))
  return { repos, dirs: scan.dirs, unreadable: [...scan.unreadable] }
}

function scanOf(ctx: TransformContext): Scan {
  const dirs = [...new Set(ctx.config.legacy.repositories.map((d) => d.replaceAll('{cluster}', ctx.app.cluster)))]
  let byDirs = cache.get(ctx.ws)
  if (!byDirs) cache.set(ctx.ws, (byDirs = new Map()))
  let scan = byDirs.get(dirs.join('\n'))
  if (!scan) {
    // Only a file that mentions the kind can hold one; reading the text is cheap, parsing is not.
    const files = [...new Set(dirs.flatMap((d) => ctx.ws.filesUnder(d)))]
    scan = { repos: [], dirs, unreadable: [], pending: files.filter((f) => /\.ya?ml$/i.test(f.path) && f.after?.includes('HelmRepository')) }
    byDirs.set(dirs.join('\n'), scan)
  }
  return scan
}

function parse(scan: Scan, select: (f: WFile) => boolean): void {
  const now = scan.pending.filter(select)
  scan.pending = scan.pending.filter((f) => !now.includes(f))
  for (const f of now) {
    const y = f.yaml
    if (!y) continue
    if (y.hasErrors) scan.unreadable.push(f.path)
    else for (const d of y.docs) if (d.getString(['kind']) === 'HelmRepository') add(scan.repos, helmRepositoryInfo(d.get([])))
  }
}

/** Adds a repository unless the same one is known (a folder listed twice, nested folders). */
function add(list: HelmRepositoryInfo[], r: HelmRepositoryInfo | undefined): void {
  if (r && !list.some((x) => keyOf(x) === keyOf(r) && x.url === r.url)) list.push(r)
}
