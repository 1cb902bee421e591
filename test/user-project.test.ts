/** The package as a user sees it: imported by name from the built output, with a custom transform in the pipeline. */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT, cli, compile, runCompiled, userProject } from './package-user.ts'

/**
 * The custom step: it sets one value of one kind of resource, after the built-in transform that produces it. Today it
 * renames the app's Kustomization interval in ks.yaml; once the HTTPRoute transform exists, renaming the gateway is
 * `{ kind: 'HTTPRoute', path: ['spec', 'parentRefs', 0, 'name'], value: 'envoy-lan', after: 'ingress-route', ... }`.
 */
const CUSTOM = {
  id: 'rename-interval',
  after: 'ks-layout',
  kind: 'Kustomization',
  path: ['spec', 'interval'],
  value: '17m',
  file: 'cluster-apps/chongus/default/webapp/ks.yaml',
  line: '  interval: 17m',
}

const transform = `import { defineTransform } from 'bitty2chongus'

/** Sets ${CUSTOM.path.join('.')} of every ${CUSTOM.kind} of the app to ${CUSTOM.value}. */
export default defineTransform({
  id: '${CUSTOM.id}',
  description: 'Sets ${CUSTOM.path.join('.')} of every ${CUSTOM.kind} to ${CUSTOM.value}.',
  after: ['${CUSTOM.after}'],
  rules: { renamed: 'a value was replaced' },
  apply(ctx) {
    const path = ${JSON.stringify(CUSTOM.path)}
    for (const r of ctx.resources({ kind: '${CUSTOM.kind}' })) {
      const before = r.doc.getString(path)
      if (before === undefined || before === '${CUSTOM.value}') continue
      ctx.report({ rule: 'renamed', severity: 'info', message: \`\${r.ref.name}: \${before} → ${CUSTOM.value}\`, at: { resource: r, path } })
      r.doc.set(path, '${CUSTOM.value}')
    }
  },
})
`

const pipelineFile = `import { builtinTransforms } from 'bitty2chongus'
import renameInterval from './transforms/${CUSTOM.id}.ts'

/** This project's pipeline: the built-in one and its own steps. */
export const transforms = [
  ...builtinTransforms,
  // ours come last
  renameInterval,
]
`

const script = `import { NodeVfs, builtinTransforms, migrate, pipeline } from 'bitty2chongus'
import custom from './transforms/${CUSTOM.id}.ts'

const result = await migrate({
  repo: new NodeVfs(process.argv[2] ?? 'examples/home-ops'),
  apps: ['cluster-cd/apps/bitty/default/webapp'],
  transforms: pipeline(builtinTransforms).insertAfter('${CUSTOM.after}', custom),
})
process.stdout.write(JSON.stringify({ ok: result.ok, changes: result.changes, rules: result.diagnostics.map((d) => d.ruleId) }))
`

describe('a project that imports the package', () => {
  const dir = userProject({ [`transforms/${CUSTOM.id}.ts`]: transform, 'pipeline.ts': pipelineFile, 'migrate-app.ts': script })
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('type-checks against the shipped declarations and migrates a fixture with its own transform inserted', () => {
    compile(dir)
    const r = JSON.parse(runCompiled(dir, 'migrate-app.ts', ROOT))
    expect(r.ok).toBe(true)
    expect(r.rules).toContain(`${CUSTOM.id}/renamed`)
    const changed = r.changes.find((c: { path: string }) => c.path === CUSTOM.file)
    expect(changed.after.split('\n')).toContain(CUSTOM.line)
  })

  it('scaffolds a transform into its own pipeline file and records its golden case with the package', () => {
    const s = cli(['scaffold', 'transform', 'add-labels', '--after', 'ks-layout', '--registry', 'pipeline.ts', '--dir', dir])
    expect(s.stderr).toBe('')
    expect(s.code).toBe(0)
    const registry = fs.readFileSync(path.join(dir, 'pipeline.ts'), 'utf8')
    expect(registry).toContain(`import addLabels from './transforms/add-labels.ts'`)
    expect(registry).toContain('  ...builtinTransforms,\n  addLabels,\n  // ours come last\n  renameInterval,\n')
    expect(fs.readFileSync(path.join(dir, 'transforms/add-labels.ts'), 'utf8')).toContain(`from 'bitty2chongus'`)
    expect(fs.readFileSync(path.join(dir, 'golden/add-labels--basic/diagnostics.txt'), 'utf8')).toContain('add-labels/interval-changed')
    compile(dir)
  })

  it('leaves the project as it was when the new case cannot be recorded', () => {
    const broken = `import { builtinTransforms } from 'bitty2chongus'\n\nexport const transforms = [...builtinTransforms]\nthrow new Error('broken on purpose')\n`
    fs.writeFileSync(path.join(dir, 'broken.ts'), broken)
    const s = cli(['scaffold', 'transform', 'never-kept', '--registry', 'broken.ts', '--dir', dir])
    expect(s.code).toBe(2)
    expect(s.stderr).toMatch(/could not run the pipeline to record golden\/never-kept--basic, so nothing was written: broken on purpose/)
    expect(fs.readFileSync(path.join(dir, 'broken.ts'), 'utf8')).toBe(broken)
    expect(fs.existsSync(path.join(dir, 'transforms/never-kept.ts'))).toBe(false)
    expect(fs.existsSync(path.join(dir, 'golden/never-kept--basic'))).toBe(false)
  })
})
