/** Follows kustomize references the way `kustomize build` would, to know which files an app really renders. */
import type { Finding } from './diagnostics.ts'
import { isWithin, join } from './paths.ts'
import { isYamlPath, type Workspace } from './workspace.ts'

export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']

/** What a kustomization folder renders and which files it needs. */
export interface KustomizeTree {
  dir: string
  /** Every kustomization file visited (the root's first). */
  kustomizations: string[]
  /** Manifest files whose documents are rendered. */
  resources: string[]
  /** Component folders (each also resolved into `resources`). */
  components: string[]
  /** Files read by generators, patches and configurations. */
  inputs: string[]
  /** Folders referenced from outside `dir` (shared templates, bases). */
  external: string[]
  problems: Finding[]
}

const LIST_KEYS = ['resources', 'bases', 'components', 'crds', 'configurations', 'patchesStrategicMerge', 'transformers', 'generators', 'validators']

export function findKustomization(ws: Workspace, dir: string): string | undefined {
  for (const n of KUSTOMIZATION_NAMES) {
    const p = dir === '' ? n : `${dir}/${n}`
    if (ws.exists(p)) return p
  }
  return undefined
}

/** Resolves `dir` (repository-relative). Paths leaving the repository are problems, never followed. */
export function resolveKustomize(ws: Workspace, dir: string, scope = dir): KustomizeTree {
  const tree: KustomizeTree = { dir, kustomizations: [], resources: [], components: [], inputs: [], external: [], problems: [] }
  const seen = new Set<string>()
  const add = (list: string[], p: string) => {
    if (!list.includes(p)) list.push(p)
  }
  const visitDir = (d: string, from?: string) => {
    if (seen.has(d)) return
    seen.add(d)
    if (!isWithin(d, scope)) add(tree.external, d)
    const k = findKustomization(ws, d)
    if (!k) {
      // Flux generates a kustomization of every manifest below a folder that has none.
      for (const f of ws.filesUnder(d)) if (isYamlPath(f.path)) add(tree.resources, f.path)
      if (from && ws.filesUnder(d).length === 0) tree.problems.push({ rule: 'missing-path', severity: 'error', message: `${d} does not exist`, file: from })
      return
    }
    add(tree.kustomizations, k)
    const y = ws.file(k)?.yaml
    if (!y) return
    if (y.hasErrors) return
    for (const doc of y.docs) {
      const ref = (entry: string, key: string, path: (string | number)[]) => {
        if (/^[a-z]+:\/\//i.test(entry) || entry.startsWith('github.com/')) {
          tree.problems.push({ rule: 'remote-resource', severity: 'warning', message: `remote ${key} entry ${entry} is not followed`, file: k, span: doc.span(path) })
          return undefined
        }
        const p = entry.startsWith('/') ? undefined : join(d, entry)
        if (p === undefined) {
          tree.problems.push({ rule: 'path-outside-repository', severity: 'error', message: `${key} entry ${entry} leaves the repository root`, file: k, span: doc.span(path), hint: 'kustomize paths must stay inside the repository' })
          return undefined
        }
        return p
      }
      for (const key of LIST_KEYS) {
        const n = doc.length([key])
        for (let i = 0; i < n; i++) {
          const entry = doc.getString([key, i]) ?? doc.getString([key, i, 'path'])
          if (!entry) continue
          const p = ref(entry, key, [key, i])
          if (!p) continue
          if (ws.isDir(p)) {
            if (key === 'components') add(tree.components, p)
            visitDir(p, k)
          } else if (ws.exists(p)) {
            if (key === 'resources' || key === 'bases' || key === 'crds') add(tree.resources, p)
            else add(tree.inputs, p)
          } else tree.problems.push({ rule: 'missing-path', severity: 'error', message: `${key} entry ${entry} ${missing(ws, p)}`, file: k, span: doc.span([key, i]), hint: 'fix or remove the entry' })
        }
      }
      const pn = doc.length(['patches'])
      for (let i = 0; i < pn; i++) {
        const entry = doc.getString(['patches', i, 'path'])
        if (!entry) continue
        const p = ref(entry, 'patches', ['patches', i, 'path'])
        if (p && ws.exists(p)) add(tree.inputs, p)
      }
      for (const gen of ['configMapGenerator', 'secretGenerator']) {
        const gn = doc.length([gen])
        for (let i = 0; i < gn; i++) {
          const entries: [string, (string | number)[]][] = []
          for (const sub of ['files', 'envs']) {
            const m = doc.length([gen, i, sub])
            for (let j = 0; j < m; j++) {
              const v = doc.getString([gen, i, sub, j])
              if (v) entries.push([v.includes('=') ? v.slice(v.indexOf('=') + 1) : v, [gen, i, sub, j]])
            }
          }
          const env = doc.getString([gen, i, 'env'])
          if (env) entries.push([env, [gen, i, 'env']])
          for (const [entry, path] of entries) {
            const p = ref(entry, gen, path)
            if (!p) continue
            if (ws.exists(p)) add(tree.inputs, p)
            else tree.problems.push({ rule: 'missing-path', severity: 'error', message: `${gen} file ${entry} ${missing(ws, p)}`, file: k, span: doc.span(path) })
          }
        }
      }
    }
  }
  visitDir(dir)
  return tree
}

/** Why a path the kustomization names is not there: it does not exist, or the repository cannot read it. */
function missing(ws: Workspace, p: string): string {
  return ws.vfs.unreadable?.(p) ?? 'does not exist'
}
