/** 1-based line and column of an offset into the LF-normalised, BOM-less text the parser saw. */
export function lineColOf(raw: string, offset: number): { line: number; col: number } {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n')
  let line = 1
  let last = -1
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) (line++, (last = i))
  return { line, col: offset - last }
}
