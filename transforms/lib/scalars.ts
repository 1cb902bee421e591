/** Locating text inside the scalars of a YAML document (`YamlDoc.strings()` lists them), and telling SOPS documents. */
import { sopsInfo, type Span, type WFile, type YamlDoc } from '../../src/transform-api.ts'

/**
 * Offset in the file text of the `nth` occurrence of `needle` inside the span of a scalar, or the span's start
 * when the scalar's source spells it differently (escapes, folding).
 */
export function offsetIn(file: WFile, span: Span, needle: string, nth: number): number {
  const text = file.yaml?.text ?? file.after ?? ''
  const slice = text.slice(span[0], span[1])
  let at = -1
  for (let i = 0; i <= nth; i++) {
    at = slice.indexOf(needle, at + 1)
    if (at < 0) return span[0]
  }
  return span[0] + at
}

/** 1-based line of `offset` in a file's input text (LF line ends, no BOM), as diagnostics count them. */
export function lineOf(text: string, offset: number): number {
  const t = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n')
  let line = 1
  for (let i = 0; i < offset && i < t.length; i++) if (t.charCodeAt(i) === 10) line++
  return line
}

/**
 * True when `doc` is SOPS-encrypted. Cheap tests first, since most documents are not: a `sops` key, else the text
 * SOPS writes its values with, in the document's source while it is unedited (an edited one is not printed for
 * this: its strings are read; `strings`, when the caller has them, is `doc.strings()`).
 */
export function isSopsDoc(doc: YamlDoc, strings?: readonly { value: string }[]): boolean {
  if (!doc.has(['sops']) && !mayHoldSopsValue(doc, strings)) return false
  return sopsInfo(doc.get([])) !== undefined
}

function mayHoldSopsValue(doc: YamlDoc, strings: readonly { value: string }[] | undefined): boolean {
  const enc = 'ENC[AES256_GCM'
  return doc.source !== undefined && !doc.edited ? doc.source.includes(enc) : (strings ?? doc.strings()).some((s) => s.value.includes(enc))
}
