/**
 * The undefined-variable rule reads a document's values only when its text can hold `${` (`mayHoldVariable`). The
 * filter may let through documents without one, never skip one with one.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { everyYamlFile } from './helpers.ts'
import { mayHoldVariable, strings } from '../src/check/substitution.ts'
import { YamlFile } from '../src/document.ts'

const ROOT = path.resolve(__dirname, '..')


const holdsVariable = (text: string) => new YamlFile(text).docs.some((d) => strings(d.value()).some((s) => s.text.includes('${')))

describe('mayHoldVariable', () => {
  it.each([
    ['written', 'a: ${A}\n', true],
    ['in a key', '${A}: b\n', true],
    ['an escaped dollar', 'a: "\\x24{A}"\n', true],
    ['an escaped dollar, 4 digits', 'a: "\\u0024{A}"\n', true],
    ['an escaped brace', 'a: "$\\x7bA}"\n', true],
    ['an escaped brace, 8 digits', 'a: "$\\U0000007BA}"\n', true],
    ['a dollar before an escaped line break', 'a: "x$\\\n    {A}"\n', true],
    ['a schema comment', '# yaml-language-server: $schema=https://example.com/s.json\na: b\n', false],
    ['a bare $VAR', 'a: $HOME\n', false],
    ['a dollar folded onto a brace', 'a: "x$\n  {A}"\n', false],
  ])('%s: agrees with the values of the document (holds ${: %s)', (_, text, holds) => {
    expect(holdsVariable(text)).toBe(holds)
    expect(mayHoldVariable(text)).toBe(holds)
  })

  it('never skips a document of the project or the corpus whose values hold ${', () => {
    const files = everyYamlFile()
    let holding = 0
    let skipped = 0
    for (const f of files) {
      for (const d of new YamlFile(fs.readFileSync(f, 'utf8')).docs) {
        if (d.frozen) continue
        const text = d.render()
        const holds = strings(d.value()).some((s) => s.text.includes('${'))
        if (holds) holding++
        if (!mayHoldVariable(text)) {
          skipped++
          expect(holds, path.relative(ROOT, f)).toBe(false)
        }
      }
    }
    expect(holding).toBeGreaterThan(100)
    expect(skipped).toBeGreaterThan(500)
  })
})
