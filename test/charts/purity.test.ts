import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const DIR = join(import.meta.dirname, '../../src/charts')
const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'))

describe('src/charts', () => {
  it.each(files)('%s imports only its siblings, the shared finding shape and semver, and stays small', (f) => {
    const text = readFileSync(join(DIR, f), 'utf8')
    const imports = [...text.matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1])
    for (const i of imports) expect(i === 'semver' || i === '../finding.ts' || /^\.\/[a-z-]+\.ts$/.test(i), `${f} imports ${i}`).toBe(true)
    expect(text.split('\n').length).toBeLessThan(300)
    expect(text).not.toMatch(/TODO|FIXME|new Date|Date\.now|Math\.random/)
  })
})
