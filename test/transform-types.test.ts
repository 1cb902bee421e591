/** Compile-time checks: `npm test` type-checks this file, so each `@ts-expect-error` must stay an error. */
import { describe, expectTypeOf, it } from 'vitest'
import { pipeline, type Pipeline } from '../src/pipeline-builder.ts'
import { defineTransform, type Transform, type TransformContext } from '../src/transform-api.ts'
import { builtinTransforms } from '../transforms/index.ts'

/** A helper shared by transforms takes any transform's context. */
const helper = (ctx: TransformContext) => ctx.files().length

const typed = defineTransform({
  id: 'rename-interval',
  description: 'Renames things.',
  after: ['ks-layout'],
  rules: { renamed: 'a value was renamed', kept: 'a value was kept' },
  apply(ctx) {
    expectTypeOf(ctx).toEqualTypeOf<TransformContext<'renamed' | 'kept'>>()
    helper(ctx)
    ctx.report({ rule: 'renamed', severity: 'info', message: 'renamed' })
    // @ts-expect-error: not a declared rule
    ctx.report({ rule: 'renamd', severity: 'info', message: 'typo' })
  },
})

describe('defineTransform types', () => {
  it('keeps the literal id and is a Transform', () => {
    expectTypeOf(typed.id).toEqualTypeOf<'rename-interval'>()
    expectTypeOf(typed).toExtend<Transform>()
    type BuiltinId = (typeof builtinTransforms)[number]['id']
    expectTypeOf<'ks-layout'>().toExtend<BuiltinId>()
    expectTypeOf<string>().not.toExtend<BuiltinId>()
  })

  it('rejects a wrong transform at compile time', () => {
    // @ts-expect-error: description is required
    defineTransform({ id: 'no-description', apply() {} })
    // @ts-expect-error: apply is required
    defineTransform({ id: 'no-apply', description: 'x' })
    // @ts-expect-error: after is a list of ids
    defineTransform({ id: 'after-string', description: 'x', after: 'ks-layout', apply() {} })
    // @ts-expect-error: unknown keys are rejected
    defineTransform({ id: 'extra', description: 'x', priority: 1, apply() {} })
    // @ts-expect-error: ids are kebab-case
    expectTypeOf(() => defineTransform({ id: 'Rename_Interval', description: 'x', apply() {} })).toBeFunction()
    // @ts-expect-error: apply gets a TransformContext
    defineTransform({ id: 'bad-apply', description: 'x', apply: (ctx: string) => ctx.length })
  })

  it('accepts any rule when none are declared', () => {
    defineTransform({ id: 'free', description: 'x', apply: (ctx) => ctx.report({ rule: 'whatever', severity: 'warning', message: 'm' }) })
  })
})

describe('pipeline types', () => {
  const layout = defineTransform({ id: 'ks-layout', description: 'x', apply() {} })

  it('checks the ids it is given', () => {
    const p = pipeline([layout]).insertAfter('ks-layout', typed)
    expectTypeOf(p).toEqualTypeOf<Pipeline<'ks-layout' | 'rename-interval'>>()
    expectTypeOf(p.without('rename-interval')).toEqualTypeOf<Pipeline<'ks-layout'>>()
    expectTypeOf(p.replace('ks-layout', layout)).toEqualTypeOf<Pipeline<'ks-layout' | 'rename-interval'>>()
    // @ts-expect-error: no such transform
    expectTypeOf(() => p.without('ks-layuot')).toBeFunction()
    // @ts-expect-error: removed above
    expectTypeOf(() => p.without('rename-interval').insertAfter('rename-interval', typed)).toBeFunction()
  })

  it('knows the built-in ids', () => {
    // @ts-expect-error: not a built-in transform
    expectTypeOf(() => pipeline(builtinTransforms).without('no-such-transform')).toBeFunction()
  })
})
