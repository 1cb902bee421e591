/**
 * Every OCIRepository and HelmRelease the migration emits validates against the Flux CRD schemas
 * (`@kubernetes-models/flux-cd` 4.x). Files are read with YAML's core schema, as Kubernetes reads them, so
 * `retries: -1` is a number and `cleanupOnFail: true` a boolean (the engine itself reads everything as strings).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { HelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2'
import { OCIRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1'
import { describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'
import { listLegacyApps } from '../src/app.ts'
import { NodeVfs } from '../src/fs.ts'
import { loadConfig, migrate } from '../src/migrate.ts'
import { Workspace } from '../src/workspace.ts'
import { CORPUS, hasCorpus, readTree } from './helpers.ts'

const GOLDEN = path.resolve(__dirname, '../golden')

type Manifest = { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } }

/** Schema errors of the Flux manifests of `text` (other documents are skipped), and how many were checked. */
function check(file: string, text: string): { checked: number; errors: string[] } {
  let checked = 0
  const errors: string[] = []
  for (const doc of parseAllDocuments(text)) {
    const m = doc.toJS() as Manifest | null
    let model: { validate(): void } | undefined
    if (m?.apiVersion === 'source.toolkit.fluxcd.io/v1' && m.kind === 'OCIRepository') model = new OCIRepository(m as never)
    else if (m?.apiVersion === 'helm.toolkit.fluxcd.io/v2' && m.kind === 'HelmRelease') model = new HelmRelease(m as never)
    if (!model) continue
    checked++
    try {
      model.validate()
    } catch (e) {
      errors.push(`${file} ${String(m?.kind)} ${String(m?.metadata?.name)}: ${(e as Error).message}`)
    }
  }
  return { checked, errors }
}

describe('Flux schemas', () => {
  it('rejects what the Flux CRDs reject (the check is not vacuous)', () => {
    const bad = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: x}\nspec: {interval: 1h, url: https://x/y, ref: {tag: "1"}}\n'
    expect(check('bad.yaml', bad).errors).toHaveLength(1)
    const retries = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: x}\nspec: {interval: 1h, chartRef: {kind: OCIRepository, name: x}, install: {remediation: {retries: "-1"}}}\n'
    expect(check('bad.yaml', retries).errors).toHaveLength(1)
  })

  it('validates every OCIRepository and HelmRelease of the helm-oci golden outputs', () => {
    let checked = 0
    const errors: string[] = []
    for (const c of fs.readdirSync(GOLDEN).filter((d) => d.startsWith('helm-oci--'))) {
      for (const [file, text] of Object.entries(readTree(path.join(GOLDEN, c, 'expected')))) {
        if (!/\.ya?ml$/.test(file)) continue
        const r = check(`${c}/${file}`, text)
        checked += r.checked
        errors.push(...r.errors)
      }
    }
    expect(errors).toEqual([])
    expect(checked).toBeGreaterThan(20)
  })

  it('validates every OCIRepository and HelmRelease the corpus migration writes', async () => {
    if (!hasCorpus) return
    const vfs = new NodeVfs(CORPUS)
    let checked = 0
    const errors: string[] = []
    for (const app of listLegacyApps(new Workspace(vfs), loadConfig(vfs))) {
      for (const ch of (await migrate({ repo: vfs, apps: [app.path] })).changes) {
        if (ch.after === undefined || !/\.ya?ml$/.test(ch.path)) continue
        const r = check(ch.path, ch.after)
        checked += r.checked
        errors.push(...r.errors)
      }
    }
    expect(errors).toEqual([])
    expect(checked).toBeGreaterThan(60)
  })
})
