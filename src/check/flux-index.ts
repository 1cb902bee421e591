/**
 * The Flux Kustomizations of a repository with a given name, for `dependsOn`. Reading every file of a large
 * repository is the costly part, so the files that can hold a Kustomization are found once per `Vfs` (a repository
 * is not expected to change under a run), a repository seen through pending changes reuses its base's list, and only
 * the files that spell the asked-for name are parsed.
 */
import { isFluxKustomization } from '../app.ts'
import { OverlayVfs, walk, type Vfs } from '../vfs.ts'
import { isYamlPath, Workspace } from '../workspace.ts'

/** A Flux Kustomization found in the repository. */
export interface KustomizationRef {
  name: string
  namespace: string | undefined
  file: string
}

const API = 'kustomize.toolkit.fluxcd.io'
const candidates = new WeakMap<Vfs, Map<string, string[]>>()
/** Kustomizations of a file, by path, for the text they were read from (the same across a run's views). */
const parsed = new Map<string, { text: string; refs: KustomizationRef[] }>()

const mentions = (path: string, text: string | undefined): boolean => text !== undefined && isYamlPath(path) && text.includes(API)

function refsOf(path: string, text: string): KustomizationRef[] {
  const seen = parsed.get(path)
  if (seen?.text === text) return seen.refs
  const ws = new Workspace({ read: (p) => (p === path ? text : undefined), isDir: () => false, list: () => undefined })
  const f = ws.file(path)
  const refs = f ? ws.resources([f]).filter((r) => isFluxKustomization(r.doc)).map((r) => ({ name: r.ref.name, namespace: r.ref.namespace, file: path })) : []
  if (parsed.size >= 4096) parsed.delete(parsed.keys().next().value!)
  parsed.set(path, { text, refs })
  return refs
}

/** Files that may hold a Flux Kustomization, by the names their `name:` lines give (a superset: dependsOn entries too). */
type Candidates = Map<string, string[]>

/** The bucket of files whose names could not be read off their lines. */
const ANY = '\0any'
// `metadata.name` is never a list item; `- name: x` (a dependsOn entry, in most files) is left out.
const NAME_LINE = /^[ \t]*name:[ \t]*(?:&\S+[ \t]+)?["']?([^"'\s#]+)/gm

function index(files: Iterable<[string, string | undefined]>, into: Candidates = new Map()): Candidates {
  for (const [p, text] of files) {
    if (!mentions(p, text)) continue
    // A name in a flow map (`metadata: {name: x}`) is not on a line of its own: such a file is looked at for any name.
    const names = /[{,][ \t]*["']?name["']?[ \t]*:/.test(text!) ? [ANY] : []
    for (const m of text!.matchAll(NAME_LINE)) names.push(m[1])
    for (const name of names) {
      const list = into.get(name) ?? []
      if (!list.includes(p)) list.push(p)
      into.set(name, list)
    }
  }
  return into
}

/** The candidate files of the repository, by name. */
function candidatesOf(vfs: Vfs): Candidates {
  let c = candidates.get(vfs)
  if (c) return c
  if (vfs instanceof OverlayVfs) {
    // Only the files the overlay changes need a new look.
    const changed = [...vfs.files].filter(([p, text]) => text !== vfs.base.read(p))
    const gone = new Set(changed.map(([p]) => p))
    c = new Map()
    for (const [name, files] of candidatesOf(vfs.base)) {
      const kept = files.filter((p) => !gone.has(p))
      if (kept.length > 0) c.set(name, kept)
    }
    index(changed, c)
  } else c = index(walk(vfs, '').map((p) => [p, vfs.read(p)] as [string, string | undefined]))
  candidates.set(vfs, c)
  return c
}

/** The Flux Kustomizations of the repository `vfs` named `name`. */
export function fluxKustomizationsNamed(vfs: Vfs, name: string): KustomizationRef[] {
  const out: KustomizationRef[] = []
  const c = candidatesOf(vfs)
  for (const p of new Set([...(c.get(name) ?? []), ...(c.get(ANY) ?? [])])) {
    const text = vfs.read(p)
    if (text === undefined) continue
    for (const r of refsOf(p, text)) if (r.name === name) out.push(r)
  }
  return out
}
