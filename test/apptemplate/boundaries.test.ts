/** src/apptemplate is pure: it imports only its own modules (no node:*, no yaml, nothing else of the engine). */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'

const DIR = path.resolve(__dirname, '../../src/apptemplate')

describe('src/apptemplate', () => {
  it('imports nothing but its own modules and uses no Date, randomness or module state', () => {
    for (const f of fs.readdirSync(DIR).filter((x) => x.endsWith('.ts'))) {
      const text = fs.readFileSync(path.join(DIR, f), 'utf8')
      for (const m of text.matchAll(/^(?:import|export)[^'"]*from\s*['"]([^'"]+)['"]/gm)) expect(m[1], `${f} imports ${m[1]}`).toMatch(/^\.\/[a-z-]+\.ts$/)
      expect(/\bDate\b|Math\.random|^let /m.test(text), f).toBe(false)
    }
  })
})
