/** README.md's library examples, type-checked against the built package and run from the repository root. */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT, compile, runCompiled, userProject } from './package-user.ts'

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
const examples = [...readme.matchAll(/<!-- example -->\n```ts\n([\s\S]*?)```/g)].map((m) => m[1])

describe('README examples', () => {
  it('marks every ts block as an example, so none goes unchecked', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3)
    expect([...readme.matchAll(/```ts\n/g)].length).toBe(examples.length)
  })

  const dir = userProject(Object.fromEntries(examples.map((code, i) => [`example-${i + 1}.ts`, code])))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  let compiled = false
  const build = () => {
    if (!compiled) compile(dir)
    compiled = true
  }

  it('type-check against the package', build)

  it.each(examples.map((_, i) => i + 1))('example %i runs', (i) => {
    build()
    expect(() => runCompiled(dir, `example-${i}.ts`)).not.toThrow()
  })
})
