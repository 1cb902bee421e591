/**
 * The value of a resource's document as plain data, made once for all the rules that read it whole (the check
 * reads documents and never edits them; an edit would change the render, and the value is made again).
 */
import type { YamlDoc } from '../document.ts'
import type { Resource } from '../workspace.ts'

const values = new WeakMap<YamlDoc, { text: string; value: unknown }>()

/** `r.doc.get([])`, shared by the rules: read it, never change it. */
export function valueOf(r: Resource): unknown {
  const text = r.doc.render()
  const seen = values.get(r.doc)
  if (seen && seen.text === text) return seen.value
  const value = r.doc.get([])
  values.set(r.doc, { text, value })
  return value
}
