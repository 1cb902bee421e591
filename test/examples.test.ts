/**
 * `check` on the owner's hand-written Chongus apps (../shared/corpus/examples/<app>/after), each laid into the
 * legacy corpus tree (which holds the real components and namespace kustomizations) in memory.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { check } from '../src/check/index.ts'
import { formatDiagnostics } from '../src/diagnostics.ts'
import { YamlFile } from '../src/document.ts'
import { NodeVfs } from '../src/fs.ts'
import { OverlayVfs } from '../src/vfs.ts'
import { migrate } from '../src/migrate.ts'
import { CORPUS, hasCorpus, readTree } from './helpers.ts'

const EXAMPLES = path.resolve(CORPUS, '../examples')

/** The example's files at their Chongus paths, over the legacy corpus. */
function exampleRepo(name: string): { vfs: OverlayVfs; dir: string } {
  const after = readTree(path.join(EXAMPLES, name, 'after'))
  const ks = new YamlFile(after['ks.yaml'])
  const ns = ks.docs[0].getString(['metadata', 'namespace'])!
  const app = ks.docs[0].getString(['metadata', 'name'])!
  const dir = `cluster-apps/chongus/${ns}/${app}`
  const files = new Map<string, string>()
  for (const [p, text] of Object.entries(after)) files.set(p === '_namespace-kustomization.yaml' ? `cluster-apps/chongus/${ns}/kustomization.yaml` : `${dir}/${p}`, text)
  return { vfs: new OverlayVfs(new NodeVfs(CORPUS), files), dir }
}

const names = hasCorpus && fs.existsSync(EXAMPLES) ? fs.readdirSync(EXAMPLES).filter((d) => fs.existsSync(path.join(EXAMPLES, d, 'after'))) : []

describe('check on the hand-written examples', () => {
  it('finds the known slips', async () => {
    if (names.length === 0) {
      console.warn('corpus examples not found: the examples were not checked')
      return
    }
    const found: Record<string, string> = {}
    for (const name of names.sort()) {
      const { vfs, dir } = exampleRepo(name)
      const r = await check({ repo: vfs, paths: [dir] })
      found[name] = formatDiagnostics(r.diagnostics)
      console.log(`== ${name} (${dir})\n${found[name]}`)
    }
    expect(found.thelounge).not.toMatch(/check\/image-digest/)
    expect(found.thelounge).toMatch(/helmrelease\.yaml:\d+:\d+: error check\/chart-ref chartRef of thelounge names OCIRepository paperless/)
    expect(found.sonarr).toMatch(/error check\/backend-service serviceMonitor\.app selects Service sonarr-app/)
    expect(found['bluesky-pds']).toMatch(/error check\/volsync-claim existingClaim bluesky is not the claim/)
  })
})

/** The legacy folder an example was migrated from: the one whose ks.yaml is the example's before/ks.yaml. */
function legacyFolder(name: string): string | undefined {
  const ks = fs.readFileSync(path.join(EXAMPLES, name, 'before', 'ks.yaml'), 'utf8')
  const root = path.join(CORPUS, 'cluster-cd/apps/bitty')
  for (const ns of fs.readdirSync(root))
    for (const app of fs.existsSync(path.join(root, ns)) && fs.statSync(path.join(root, ns)).isDirectory() ? fs.readdirSync(path.join(root, ns)) : [])
      if (fs.existsSync(path.join(root, ns, app, 'ks.yaml')) && fs.readFileSync(path.join(root, ns, app, 'ks.yaml'), 'utf8') === ks) return `cluster-cd/apps/bitty/${ns}/${app}`
  return undefined
}

describe('migrating the examples\' legacy apps', () => {
  it('lists what the legacy apps already break as follow-ups (mutable image tags among them)', async () => {
    if (names.length === 0) return
    const out: Record<string, string> = {}
    for (const name of names.sort()) {
      const app = legacyFolder(name)
      expect(app, name).toBeDefined()
      const r = await migrate({ repo: new NodeVfs(CORPUS), apps: [app!] })
      out[name] = formatDiagnostics(r.diagnostics.filter((d) => d.ruleId.startsWith('check/')))
      console.log(`== ${app} (migrated)\n${out[name]}`)
    }
    expect(out.sonarr).toMatch(/warning check\/image-digest follow-up \(already true of the legacy app\): image ghcr\.io\/home-operations\/sonarr:4\.0\.14\.2938 is not pinned/)
  })
})
