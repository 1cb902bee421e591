import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { discoverApp } from '../src/app.ts'
import { loadConfig, migrate } from '../src/migrate.ts'
import { runPipeline } from '../src/pipeline.ts'
import type { DopplerEntry } from '../src/secrets/index.ts'
import type { Transform } from '../src/transform-api.ts'
import { MemoryVfs } from '../src/vfs.ts'
import { Workspace } from '../src/workspace.ts'
import { AliasValue, AnchoredValue, defineTransform } from '../src/transform-api.ts'
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

  /** Runs `transforms` over the app, with or without an observer (a journal per transform, or one for the run). */
  function run(transforms: readonly Transform[], observe: boolean) {
    const vfs = new MemoryVfs(INPUT)
    const ws = new Workspace(vfs)
    const config = loadConfig(vfs)
    const app = discoverApp(ws, APP, config)
    const doppler: DopplerEntry[] = []
    const applied: string[] = []
    const findings = runPipeline(transforms, ws, app, config, { force: false, removeSource: false }, { doppler, onApplied: observe ? (id) => applied.push(id) : undefined })
    const files = ws
      .loaded()
      .filter((f) => f.status !== 'unchanged')
      .map((f) => [f.path, f.after])
    return { findings: findings.map((f) => `${f.rule} ${f.file}:${f.span?.join('-') ?? ''} ${f.message}`), files, root: app.root, doppler, applied }
  }

  const breaking = (id: string) =>
    defineTransform({
      id,
      description: 'edits, writes, moves the app, adds a Doppler entry and a finding, then throws',
      apply(ctx) {
        for (const r of ctx.resources()) r.doc.set(['metadata', 'labels', 'broken'], 'yes')
        ctx.ws.write(`${ctx.app.root}/broken.yaml`, 'a: 1\n')
        ctx.app.root = 'elsewhere'
        ctx.doppler.push({ key: 'broken', properties: ['x'] } as unknown as DopplerEntry)
        ctx.report({ rule: 'partial', severity: 'warning', message: 'work that is undone' })
        throw new Error(`${id} failed`)
      },
    })
  const [first, ...rest] = builtinTransforms
  const seen: string[] = []
  const probe = defineTransform({ id: 'probe', description: 'notes the app folder it is given', apply: (ctx) => void seen.push(ctx.app.root) })
  const middle = [breaking('broken-0'), probe, first, breaking('broken-a'), ...rest.slice(0, 2), breaking('broken-b'), ...rest.slice(2)]

  it.each([false, true])('undoes a transform that leaves a document yaml cannot print (observer: %s), and reports it as crashed', (observe) => {
    // It completes without throwing: the alias before its anchor only fails when the file is rendered.
    const unprintable = defineTransform({
      id: 'unprintable',
      description: 'writes an alias before its anchor',
      apply(ctx) {
        for (const r of ctx.resources({ kind: 'HelmRelease' })) {
          r.doc.set(['spec', 'early'], new AliasValue('late'))
          r.doc.set(['spec', 'later'], new AnchoredValue('x', 'late'))
        }
      },
    })
    const without = run(builtinTransforms, observe)
    const r = run([first, unprintable, ...rest], observe)
    expect(r.files).toEqual(without.files)
    expect(r.findings.filter((f) => f.startsWith('unprintable/'))).toEqual([`unprintable/crashed ${APP}: transform failed and was undone: Unresolved alias (the anchor must be set before the alias): late`])
    expect(r.findings.filter((f) => !f.startsWith('unprintable/'))).toEqual(without.findings)
    expect(r.applied).toEqual(without.applied)
  })

  it.each([false, true])('undoes transforms that throw midway (observer: %s): the others do what they do without them, and report once', (observe) => {
    const without = run(builtinTransforms, observe)
    seen.length = 0
    const r = run(middle, observe)
    expect(new Set(seen)).toEqual(new Set([APP]))
    expect(r.files).toEqual(without.files)
    expect(r.root).toBe(without.root)
    expect(r.doppler).toEqual(without.doppler)
    expect(r.applied.filter((id) => id !== 'probe')).toEqual(without.applied)
    const crashes = r.findings.filter((f) => f.startsWith('broken-'))
    expect(crashes).toEqual([`broken-0/crashed ${APP}: transform failed and was undone: broken-0 failed`, `broken-a/crashed ${APP}: transform failed and was undone: broken-a failed`, `broken-b/crashed ${APP}: transform failed and was undone: broken-b failed`])
    expect(r.findings.filter((f) => !f.startsWith('broken-'))).toEqual(without.findings)
    // Each crash is reported where its transform runs.
    const at = (id: string) => r.findings.findIndex((f) => f.startsWith(id))
    expect(at('broken-a')).toBeLessThan(at('broken-b'))
    if (observe) expect(without.applied.length).toBeGreaterThan(0)
  })

  it('gives each transform the resources of the app folder as they are now: after edits, writes, deletions, undos and a move', () => {
    const seen: string[][] = []
    const names = (ctx: { resources: () => { ref: { kind: string; name: string } }[] }) => seen.push(ctx.resources().map((r) => `${r.ref.kind}/${r.ref.name}`))
    const probe = defineTransform({
      id: 'probe-resources',
      description: 'reads the resources around each kind of change',
      apply(ctx) {
        names(ctx)
        names(ctx)
        const hr = ctx.resources({ kind: 'HelmRelease' })[0]
        hr.doc.set(['metadata', 'name'], 'renamed')
        names(ctx)
        ctx.ws.write(`${ctx.app.root}/app/extra.yaml`, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n')
        names(ctx)
        ctx.ws.delete(`${ctx.app.root}/app/extra.yaml`)
        names(ctx)
        const undo = ctx.ws.snapshot()
        hr.doc.set(['kind'], 'Other')
        names(ctx)
        undo()
        names(ctx)
        const unwrite = ctx.ws.snapshot()
        ctx.ws.write(`${ctx.app.root}/app/other.yaml`, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n')
        names(ctx)
        unwrite()
        names(ctx)
      },
    })
    const r = run([builtinTransforms[0], probe], false)
    expect(r.findings.filter((f) => f.includes('crashed'))).toEqual([])
    const [start, again, renamed, written, deleted, retyped, undone, rewritten, unwritten] = seen
    expect(again).toEqual(start)
    expect(renamed).toEqual(start.map((n) => (n.startsWith('HelmRelease/') ? 'HelmRelease/renamed' : n)))
    expect(new Set(written)).toEqual(new Set([...renamed, 'ConfigMap/extra']))
    expect(deleted).toEqual(renamed)
    expect(retyped).toContain('Other/renamed')
    expect(undone).toEqual(renamed)
    expect(rewritten).toContain('ConfigMap/other')
    expect(unwritten).toEqual(renamed)
    expect(start.length).toBeGreaterThan(1)
  })
})
