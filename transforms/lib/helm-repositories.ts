/**
 * The legacy HelmRepositories: every `HelmRepository` document below the configured folders
 * (`legacy.repositories`), found by content whatever the file is called. Read once per workspace and cluster.
 */
import { helmRepositoryInfo, type HelmRepositoryInfo, type Resource, type TransformContext, type Workspace } from '../../src/transform-api.ts'

/** The repositories found, the folders searched and the YAML files that could not be read there. */
export interface RepositoryIndex {
  repos: HelmRepositoryInfo[]
  dirs: string[]
  unreadable: string[]
}

const cache = new WeakMap<Workspace, Map<string, RepositoryIndex>>()

const keyOf = (r: HelmRepositoryInfo) => `${r.namespace ?? ''}/${r.name}`

/** HelmRepositories of the legacy folders, plus those the app itself holds (`local`). */
export function helmRepositories(ctx: TransformContext, local: readonly Resource[]): RepositoryIndex {
  const dirs = [...new Set(ctx.config.legacy.repositories.map((d) => d.replaceAll('{cluster}', ctx.app.cluster)))]
  let byKey = cache.get(ctx.ws)
  if (!byKey) cache.set(ctx.ws, (byKey = new Map()))
  const key = dirs.join('\n')
  let index = byKey.get(key)
  if (!index) {
    index = { repos: [], dirs, unreadable: [] }
    for (const dir of dirs) {
      for (const f of ctx.ws.filesUnder(dir)) {
        const y = f.yaml
        if (!y) continue
        if (y.hasErrors) {
          index.unreadable.push(f.path)
          continue
        }
        for (const d of y.docs) if (d.getString(['kind']) === 'HelmRepository') add(index.repos, helmRepositoryInfo(d.get([])))
      }
    }
    byKey.set(key, index)
  }
  const repos = [...index.repos]
  for (const r of local) add(repos, helmRepositoryInfo(r.doc.get([])))
  return { ...index, repos }
}

/** Adds a repository unless one with the same namespace and name is known (a folder listed twice, nested folders). */
function add(list: HelmRepositoryInfo[], r: HelmRepositoryInfo | undefined): void {
  if (r && !list.some((x) => keyOf(x) === keyOf(r) && x.url === r.url)) list.push(r)
}
