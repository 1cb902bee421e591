import { describe, expect, it } from 'vitest'
import { MigrationError } from '../src/errors.ts'
import { migrate } from '../src/migrate.ts'
import { pipeline } from '../src/pipeline-builder.ts'
import { defineTransform } from '../src/transform-api.ts'
import { builtinTransforms } from '../transforms/index.ts'
import { readTree } from './helpers.ts'
import * as path from 'node:path'

const step = (id: string, after?: string[]) => defineTransform({ id, description: id, after, apply() {} })
const base = [step('a'), step('b', ['a']), step('c', ['b'])]

describe('pipeline()', async () => {
  it('removes, replaces and inserts by id, leaving the original untouched', async () => {
    const p = pipeline(base)
    expect(p.without('b').ids).toEqual(['a', 'c'])
    expect(p.replace('b', step('b2')).ids).toEqual(['a', 'b2', 'c'])
    expect(p.insertBefore('b', step('x'), step('y')).ids).toEqual(['a', 'x', 'y', 'b', 'c'])
    expect(p.insertAfter('c', step('z')).ids).toEqual(['a', 'b', 'c', 'z'])
    expect(p.ids).toEqual(['a', 'b', 'c'])
  })

  it('adds a transform right after the last transform it runs after, or at the end', async () => {
    expect(pipeline(base).add(step('x', ['a'])).ids).toEqual(['a', 'x', 'b', 'c'])
    expect(pipeline(base).add(step('x', ['b', 'a'])).ids).toEqual(['a', 'b', 'x', 'c'])
    expect(pipeline(base).add(step('x')).ids).toEqual(['a', 'b', 'c', 'x'])
    expect(() => pipeline(base).add(step('x', ['nope']))).toThrow(/runs after nope, which is not in the pipeline/)
  })

  it('rejects unknown ids and duplicate ids with a MigrationError', async () => {
    const p = pipeline(base as { id: string; description: string; apply(): void }[])
    expect(() => p.without('nope')).toThrow(MigrationError)
    expect(() => p.insertAfter('nope', step('x'))).toThrow(/unknown transform nope \(known: a, b, c\)/)
    expect(() => p.insertAfter('a', step('c'))).toThrow(/two transforms share the id c/)
  })

  it('is what migrate runs, and migrate checks its ordering', async () => {
    const repo = readTree(path.resolve(__dirname, '../golden/ks-layout--basic/input'))
    const apps = ['cluster-cd/apps/bitty/default/webapp']
    const seen: string[] = []
    const spy = defineTransform({ id: 'spy', description: 'records the app root', after: ['ks-layout'], apply: (ctx) => void seen.push(ctx.app.root) })
    const layout = builtinTransforms.filter((t) => t.id === 'ks-layout')
    const r = await migrate({ repo, apps, transforms: pipeline(layout).add(spy) })
    expect(seen).toEqual(['cluster-apps/chongus/default/webapp'])
    expect(r.ok).toBe(true)
    await expect(migrate({ repo, apps, transforms: pipeline([step('solo')]).insertAfter('solo', spy) })).rejects.toThrow(/spy runs after ks-layout, which is not in the pipeline/)
  })
})
