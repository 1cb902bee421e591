import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../src/migrate.ts'
import { defineTransform } from '../src/transform-api.ts'
import { builtinTransforms } from '../transforms/index.ts'
import { readTree } from './helpers.ts'

const INPUT = readTree(path.resolve(__dirname, '../golden/ks-layout--basic/input'))
const APP = 'cluster-cd/apps/bitty/default/webapp'

describe('pipeline', async () => {
  it('undoes every change of a transform that throws, and reports it', async () => {
    const broken = defineTransform({
      id: 'broken',
      description: 'edits, writes, deletes, then throws',
      apply(ctx) {
        for (const r of ctx.resources({ kind: 'HelmRelease' })) r.doc.set(['spec', 'interval'], '5m')
        ctx.ws.write('new/file.yaml', 'a: 1\n')
        ctx.ws.delete(`${ctx.app.root}/ks.yaml`)
        throw new Error('boom')
      },
    })
    const ok = await migrate({ repo: INPUT, apps: [APP] })
    const r = await migrate({ repo: INPUT, apps: [APP], transforms: [...builtinTransforms, broken] })
    expect(r.changes).toEqual(ok.changes)
    expect(r.diagnostics.find((d) => d.ruleId === 'broken/crashed')?.message).toMatch(/boom/)
    expect(r.ok).toBe(false)
  })

  it('refuses a pipeline whose order breaks an after constraint', async () => {
    const late = defineTransform({ id: 'late', description: 'x', after: ['later'], apply() {} })
    const later = defineTransform({ id: 'later', description: 'y', apply() {} })
    await expect(migrate({ repo: INPUT, apps: [APP], transforms: [late, later] })).rejects.toThrow(/must come after later/)
    await expect(migrate({ repo: INPUT, apps: [APP], transforms: [late] })).rejects.toThrow(/not in the pipeline/)
  })

  it('runs only the selected transforms', async () => {
    expect((await migrate({ repo: INPUT, apps: [APP], skip: builtinTransforms.map((t) => t.id) })).changes).toEqual([])
    expect((await migrate({ repo: INPUT, apps: [APP], only: ['ks-layout'] })).changes.length).toBeGreaterThan(0)
    // Without ks-layout the app is migrated where it is.
    const inPlace = (await migrate({ repo: INPUT, apps: [APP], only: ['helm-oci'] })).changes.map((c) => c.path)
    expect(inPlace).toEqual([`${APP}/app/helmrelease.yaml`, `${APP}/app/kustomization.yaml`, `${APP}/app/ocirepository.yaml`])
  })
})
