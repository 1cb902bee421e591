import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..')
const DIRS = ['src/vars', 'src/secrets']

describe('variables and secrets modules', () => {
  for (const dir of DIRS) {
    for (const file of readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts'))) {
      it(`${dir}/${file} imports only sibling pure modules`, () => {
        const text = readFileSync(join(ROOT, dir, file), 'utf8')
        const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1])
        for (const s of specifiers) expect(s, `${file} imports ${s}`).toMatch(/^\.\.?\/(?:vars\/|secrets\/)?[\w-]+\.ts$/)
        expect(text).not.toMatch(/\b(?:Date|Math\.random|process|console)\b/)
        expect(text.split('\n').length).toBeLessThan(300)
      })
    }
  }
})
