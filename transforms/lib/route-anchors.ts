/** YAML anchors and aliases around a subtree that an edit is about to remove. */
import type { KeyPath, YamlDoc } from '../../src/transform-api.ts'

const within = (p: KeyPath, root: KeyPath) => root.length <= p.length && root.every((k, i) => p[i] === k)

/** Calls `visit` for every node at or below `path`, without following aliases. */
function walk(doc: YamlDoc, path: KeyPath, visit: (p: KeyPath) => void, depth = 0): void {
  if (depth > 200) return
  visit(path)
  if (doc.aliasOf(path) !== undefined) return
  if (doc.isMap(path)) for (const k of doc.keys(path)) walk(doc, [...path, k], visit, depth + 1)
  else if (doc.isSeq(path)) for (let i = 0; i < doc.length(path); i++) walk(doc, [...path, i], visit, depth + 1)
}

/** Anchors defined at or below `root` that an alias outside `root` refers to, with where each is defined. */
export function anchorsUsedOutside(doc: YamlDoc, root: KeyPath): Map<string, KeyPath> {
  const defined = new Map<string, KeyPath>()
  walk(doc, root, (p) => {
    const a = doc.anchor(p)
    if (a !== undefined) defined.set(a, p)
  })
  const used = new Map<string, KeyPath>()
  if (defined.size === 0) return used
  walk(doc, [], (p) => {
    const alias = doc.aliasOf(p)
    if (alias !== undefined && !within(p, root) && defined.has(alias)) used.set(alias, defined.get(alias)!)
  })
  return used
}
