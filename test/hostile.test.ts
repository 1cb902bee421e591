/** Hostile input never crashes and never writes: each case gives a located diagnostic or a clear run error. */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { main, type CliIo } from '../src/cli.ts'
import { MAX_NESTING, YamlFile } from '../src/document.ts'
import { migrate } from '../src/migrate.ts'
import { defineTransform } from '../src/transform-api.ts'
import { builtinTransforms } from '../transforms/index.ts'
import { MigrationError } from '../src/errors.ts'
import { cliIo, readTree, writeTree } from './helpers.ts'

const BASE = readTree(path.resolve(__dirname, '../golden/ks-layout--basic/input'))
const APP = 'cluster-cd/apps/bitty/default/webapp'
const HR = `${APP}/app/helmrelease.yaml`
const KS = `${APP}/ks.yaml`

function withFile(p: string, text: string) {
  return { ...BASE, [p]: text }
}

function runTree(tree: Record<string, string>) {
  return migrate({ repo: tree, apps: [APP] })
}

const BILLION_LAUGHS = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => {
  const n = String.fromCharCode(98 + i)
  const p = String.fromCharCode(97 + i)
  return `${n}: &${n} [*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p}]`
})].join('\n')

describe('hostile YAML in an app file', async () => {
  it.each([
    ['truncated document', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "unterminated\n'],
    ['tab indentation', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n'],
    ['duplicate keys', 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\n'],
    ['an alias before its anchor', 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: *nope\n'],
    ['random bytes', '\u0000\u0001\u0002{{[[::--\n\t- ]]\n'],
  ])('%s: an error diagnostic with a location, nothing to write', async (_name, text) => {
    const r = await runTree(withFile(HR, text))
    const errs = r.diagnostics.filter((d) => d.severity === 'error')
    expect(r.ok).toBe(false)
    expect(errs.length).toBeGreaterThan(0)
    expect(errs.some((d) => d.file === HR && d.line !== undefined)).toBe(true)
  })

  it('an alias bomb is refused without being expanded: the migration runs in a 64 MiB heap', () => {
    // Expanded, the document is a billion strings; a heap this small would end the process instead.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-bomb-'))
    try {
      const tree = path.join(dir, 'tree.json')
      fs.writeFileSync(tree, JSON.stringify(withFile(HR, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n${BILLION_LAUGHS.replace(/^/gm, '  ')}\n`)))
      const lib = pathToFileURL(path.resolve(__dirname, '../dist/src/index.js')).href
      const script = `const { migrate } = await import(${JSON.stringify(lib)}); const fs = await import('node:fs')
const r = await migrate({ repo: JSON.parse(fs.readFileSync(${JSON.stringify(tree)}, 'utf8')), apps: [${JSON.stringify(APP)}] })
process.stdout.write(JSON.stringify({ ok: r.ok, diagnostics: r.diagnostics }))`
      const child = spawnSync(process.execPath, ['--max-old-space-size=64', '--input-type=module', '-e', script], { encoding: 'utf8' })
      expect(child.stderr).toBe('')
      expect(child.status).toBe(0)
      const r = JSON.parse(child.stdout) as { ok: boolean; diagnostics: { file?: string; message: string; line?: number; severity: string }[] }
      expect(r.ok).toBe(false)
      expect(r.diagnostics.some((d) => d.file === HR && d.severity === 'error' && d.line !== undefined && /alias/i.test(d.message))).toBe(true)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  const blockMaps = (n: number) => 'a:\n' + Array.from({ length: n }, (_, i) => ' '.repeat(i + 3) + 'b:').join('\n') + ' x\n'
  const flowSeqs = (n: number) => `a: ${'['.repeat(n)}${']'.repeat(n)}\n`
  it.each([
    ['block maps', blockMaps(300), 'yaml/TOO_DEEP'],
    ['flow sequences', flowSeqs(300), 'yaml/TOO_DEEP'],
    // Deeper still, the parser gives up on its own (how deep depends on the stack it is given).
    ['block maps, 3000 deep', blockMaps(3000), /^yaml\/(TOO_DEEP|RESOURCE_EXHAUSTION)$/],
    ['flow sequences, 3000 deep', flowSeqs(3000), /^yaml\/(TOO_DEEP|RESOURCE_EXHAUSTION)$/],
  ])('deep nesting (%s) is a located error, not a stack overflow', async (_name, deep, rule) => {
    const r = await runTree(withFile(HR, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  ${deep}`))
    expect(r.diagnostics.filter((d) => d.ruleId.endsWith('/crashed'))).toEqual([])
    expect(r.ok).toBe(false)
    expect(r.diagnostics.find((d) => (typeof rule === 'string' ? d.ruleId === rule : rule.test(d.ruleId)))).toMatchObject({ severity: 'error', file: HR, line: expect.any(Number) })
  })

  it('says how deep is too deep', async () => {
    const r = await runTree(withFile(HR, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  ${flowSeqs(300)}`))
    expect(r.diagnostics.find((d) => d.ruleId === 'yaml/TOO_DEEP')).toMatchObject({ line: 6, message: expect.stringContaining(`nested more than ${MAX_NESTING} levels deep`) })
  })

  it('nesting up to the limit is migrated as usual', () => {
    const nested = (n: number) => `x: ${'['.repeat(n - 1)}${']'.repeat(n - 1)}\n`
    expect(new YamlFile(nested(MAX_NESTING)).problems).toEqual([])
    expect(new YamlFile(nested(MAX_NESTING + 1)).problems.map((p) => p.code)).toEqual(['TOO_DEEP'])
  })

  it('invalid UTF-8 in ks.yaml is reported, not thrown', async () => {
    const r = await runTree(withFile(KS, BASE[KS].replace('webapp', 'web\uFFFDapp')))
    expect(r.diagnostics.filter((d) => d.ruleId.endsWith('/crashed'))).toEqual([])
  })

  it('a huge file is handled', async () => {
    const big = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n' + Array.from({ length: 50000 }, (_, i) => `  k${i}: v${i}\n`).join('')
    const f = new YamlFile(big)
    expect(f.render()).toBe(big)
  })
})

describe('hostile files the migration edits or carries', async () => {
  const NS = 'cluster-cd/apps/bitty/default/kustomization.yaml'
  it.each([
    ['invalid UTF-8', (t: string) => t.replace('Kustomization', 'Kustom\uFFFDization'), 'BAD_CHARACTER', 3],
    ['a duplicate key', (t: string) => `${t}resources: []\n`, 'DUPLICATE_KEY', 9],
  ])('a legacy namespace kustomization with %s is reported and not edited', async (_name, mutate, code, line) => {
    const r = await runTree(withFile(NS, mutate(BASE[NS])))
    expect(r.ok).toBe(false)
    expect(r.diagnostics.find((d) => d.ruleId === `yaml/${code}`)).toMatchObject({ severity: 'error', file: NS, line })
  })

  it('a Chongus namespace kustomization with YAML errors is reported at its place', async () => {
    const target = 'cluster-apps/chongus/default/kustomization.yaml'
    const r = await runTree(withFile(target, `${BASE[target]}\t- ./other/ks.yaml\n`))
    expect(r.ok).toBe(false)
    expect(r.diagnostics.some((d) => d.file === target && d.ruleId.startsWith('yaml/') && d.line !== undefined)).toBe(true)
  })

  it('a generator file that is not UTF-8 is refused at its first bad byte, and --write leaves its bytes alone', async () => {
    const multi = readTree(path.resolve(__dirname, '../golden/ks-layout--multi-ks/input'))
    const app = 'cluster-cd/apps/bitty/default/notes'
    const conf = `${app}/app/config/notes.conf`
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-h-'))
    writeTree(dir, multi)
    const latin1 = Buffer.from('listen = 0.0.0.0:8080\n# caf\xe9 au lait\n', 'latin1')
    fs.writeFileSync(path.join(dir, conf), latin1)
    const t = cliIo(process.cwd())
    expect(await main(['migrate', app, '--repo', dir, '--write'], t.io)).toBe(1)
    expect(t.err()).toContain(`${conf}:2:6: error app/invalid-utf8`)
    expect(fs.readFileSync(path.join(dir, conf))).toEqual(latin1)
    expect(fs.existsSync(path.join(dir, 'cluster-apps/chongus/default/notes'))).toBe(false)
  })
})

describe('hostile shared files the migration only reads', async () => {
  it('a HelmRepository file with YAML errors is named at its place, and the chart it held is reported missing', async () => {
    const repo = 'cluster-cd/repositories/helm/bjw-s.yaml'
    const r = await runTree(withFile(repo, BASE[repo].replace('  url: oci://ghcr.io/bjw-s/helm', '  url: oci://ghcr.io/bjw-s/helm\n url: broken')))
    expect(r.ok).toBe(false)
    const named = r.diagnostics.filter((d) => d.file === repo)
    expect(named).toHaveLength(1)
    expect(named[0]).toMatchObject({ severity: 'warning', line: 12, ruleId: 'helm-oci/repository-file-unreadable' })
    expect(r.diagnostics.some((d) => d.severity === 'error' && d.ruleId.startsWith('helm-oci/'))).toBe(true)
  })

  it('a shared component with YAML errors is named once at its place', async () => {
    const tree = { ...BASE, 'cluster-apps/components/volsync/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - ./a.yaml\n bad: [\n' }
    const r = await runTree(tree)
    const named = r.diagnostics.filter((d) => d.file === 'cluster-apps/components/volsync/kustomization.yaml' && d.severity !== 'info')
    expect(named).toHaveLength(1)
    expect(named[0].line).toBe(5)
  })
})

describe('hostile kustomize paths', async () => {
  it('a resource path above the repository root is an error and is not followed', async () => {
    const k = `${APP}/app/kustomization.yaml`
    const r = await runTree(withFile(k, BASE[k].replace('helmrelease.yaml', '../../../../../../../../etc/passwd')))
    expect(r.ok).toBe(false)
    expect(r.diagnostics.find((d) => d.ruleId === 'ks-layout/path-outside-repository')).toMatchObject({ file: k, line: 7, col: 5 })
  })

  it('an absolute resource path is an error', async () => {
    const k = `${APP}/app/kustomization.yaml`
    const r = await runTree(withFile(k, BASE[k].replace('helmrelease.yaml', '/etc/passwd')))
    expect(r.ok).toBe(false)
    expect(r.diagnostics.some((d) => d.ruleId === 'ks-layout/path-outside-repository')).toBe(true)
  })

  it('a spec.path leaving the repository is an error', async () => {
    const r = await runTree(withFile(KS, BASE[KS].replace('./cluster-cd/apps/${CLUSTER_NAME}/default/webapp/app', '../../outside')))
    expect(r.ok).toBe(false)
    expect(r.diagnostics.some((d) => d.ruleId === 'app/unresolved-path' && d.line === 17)).toBe(true)
  })
})

describe('hostile repositories on disk', async () => {
  const io = (cwd: string) => {
    const err: string[] = []
    const v: CliIo = { stdout: () => {}, stderr: (s) => err.push(s), cwd, readFile: (p) => fs.readFileSync(p, 'utf8'), resolve: (...p) => path.resolve(...p) }
    return { v, err }
  }

  it('a repository root that is a file is a usage error (exit 2)', async () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-h-')), 'file')
    fs.writeFileSync(f, 'x')
    const t = io(process.cwd())
    expect(await main(['migrate', APP, '--repo', f], t.v)).toBe(2)
    expect(t.err.join('')).toMatch(/is not a directory/)
  })

  it('a symlink leaving the repository reads as absent and the migration stays inside', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-h-'))
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-out-'))
    fs.writeFileSync(path.join(outside, 'secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: stolen\n')
    writeTree(dir, BASE)
    fs.rmSync(path.join(dir, HR))
    fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, HR))
    const t = io(process.cwd())
    const out: string[] = []
    t.v.stdout = (s) => out.push(s)
    expect(await main(['migrate', APP, '--repo', dir], t.v)).toBe(1)
    expect(out.join('')).not.toContain('stolen')
    expect(t.err.join('')).toContain(`${APP}/app/kustomization.yaml:7:5: error ks-layout/missing-path resources entry helmrelease.yaml is a link that leaves the repository`)
  })

  it('a file over 8 MiB is not read, and the entry naming it says so (exit 1)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-h-'))
    writeTree(dir, BASE)
    fs.appendFileSync(path.join(dir, HR), `    big: "${'x'.repeat(8 * 1024 * 1024)}"\n`)
    const t = io(process.cwd())
    expect(await main(['migrate', APP, '--repo', dir, '--write'], t.v)).toBe(1)
    expect(t.err.join('')).toContain(`${APP}/app/kustomization.yaml:7:5: error ks-layout/missing-path resources entry helmrelease.yaml is larger than 8 MiB, which bitty2chongus does not read`)
    expect(fs.existsSync(path.join(dir, 'cluster-apps/chongus/default/webapp'))).toBe(false)
  })

  it('an app path outside the repository is refused', async () => {
    await expect(migrate({ repo: BASE, apps: ['../elsewhere/app'] })).rejects.toThrow(MigrationError)
  })
})

describe('kustomization files', () => {
  it('may omit apiVersion and kind, as kustomize allows', async () => {
    const k = `${APP}/app/kustomization.yaml`
    const r = await migrate({ repo: withFile(k, 'resources:\n  - ./helmrelease.yaml\n'), apps: [APP] })
    expect(r.diagnostics.filter((d) => d.ruleId === 'kustomize/not-a-resource')).toEqual([])
  })
})

describe('resources of the wrong shape', () => {
  const ks = BASE[KS]
  /** The basic ks.yaml with `from` replaced by `to` (which must occur). */
  const ksWith = (from: string, to: string) => {
    expect(ks).toContain(from)
    return ks.replace(from, to)
  }
  const SPEC = ks.slice(ks.indexOf('spec:\n'))
  it.each([
    ['metadata missing', ksWith('metadata:\n  name: &app webapp\n  namespace: flux-system\n', '').replaceAll('*app', 'webapp'), 'metadata of Kustomization (unnamed) is missing', 3],
    ['metadata a string', ksWith('metadata:\n  name: &app webapp\n  namespace: flux-system\n', 'metadata: webapp\n').replaceAll('*app', 'webapp'), 'metadata of Kustomization (unnamed) is a string, not a map', 5],
    ['metadata left empty', ksWith('metadata:\n  name: &app webapp\n  namespace: flux-system\n', 'metadata:\n').replaceAll('*app', 'webapp'), 'metadata of Kustomization (unnamed) is empty', 5],
    ['no name', ksWith('  name: &app webapp\n', '').replaceAll('*app', 'webapp'), 'metadata.name of Kustomization (unnamed) is missing', 6],
    ['spec a string', ksWith(SPEC, 'spec: ./cluster-cd/apps/bitty/default/webapp/app\n'), 'spec of Kustomization webapp is a string, not a map', 8],
    ['spec cut off after its key', ksWith(SPEC, 'spec:\n'), 'spec of Kustomization webapp is empty', 8],
    ['dependsOn a map', ksWith('  dependsOn:\n    - name: rook-ceph-cluster\n', '  dependsOn:\n    name: rook-ceph-cluster\n    other:\n'), 'spec.dependsOn of Kustomization webapp is a map, not a list', 14],
    ['a dependsOn entry a string', ksWith('    - name: rook-ceph-cluster\n', '    - rook-ceph-cluster\n'), 'spec.dependsOn[0] of Kustomization webapp is a string, not a map', 14],
    ['components a string', ksWith('  prune: true\n', '  prune: true\n  components: ../../components/volsync\n'), 'spec.components of Kustomization webapp is a string, not a list', 19],
    ['substitute a list', ksWith('    substitute:\n      # the claim keeps the app\'s name\n      APP: *app\n      VOLSYNC_CAPACITY: 2Gi\n      VOLSYNC_CACHE_CAPACITY: 8Gi\n      GATUS_SUBDOMAIN: web', '    substitute:\n      - APP'), 'spec.postBuild.substitute of Kustomization webapp is a list, not a map', 28],
  ])('a Kustomization with %s is refused at its place, nothing crashes', async (_name, text, message, line) => {
    const r = await runTree(withFile(KS, text))
    const shown = r.diagnostics.map((d) => `${d.file}:${d.line}: ${d.ruleId} ${d.message}`).join('\n')
    expect(r.diagnostics.filter((d) => d.ruleId.endsWith('/crashed')), shown).toEqual([])
    expect(r.ok).toBe(false)
    expect(r.changes).toEqual([])
    const d = r.diagnostics.find((x) => x.ruleId === 'app/malformed-kustomization')
    expect(d, shown).toMatchObject({ severity: 'error', file: KS, line, message: `${message}: Flux rejects it, and the migration cannot rewrite it` })
  })

  it('optional fields left empty are taken as absent, and the migration fills them', async () => {
    const text = ksWith('  commonMetadata:\n    labels:\n      app.kubernetes.io/name: *app\n', '  commonMetadata:\n  components:\n').replace('  sourceRef:\n    kind: GitRepository\n    name: home-ops-cd\n', '  sourceRef: ~\n')
    const r = await runTree(withFile(KS, text))
    expect(r.diagnostics.filter((d) => d.severity === 'error' || d.ruleId.endsWith('/crashed'))).toEqual([])
    const out = r.changes.find((c) => c.path === 'cluster-apps/chongus/default/webapp/ks.yaml')!.after!
    expect(out).toMatch(/^ {2}sourceRef:\n {4}kind: GitRepository\n {4}name: flux-system\n/m)
    expect(out).not.toContain('~')
  })

  it.each([
    ['spec', 'spec: webapp\n', 'spec of HelmRelease webapp is a string, not a map', 0],
    ['metadata', 'metadata:\n  - webapp\n', 'metadata of HelmRelease (unnamed) is a list, not a map', 1],
  ])('a manifest whose %s is not a map is refused at its place', async (field, replacement, message, below) => {
    const hr = BASE[HR]
    const start = hr.indexOf(`${field}:\n`)
    const end = hr.slice(start + 1).search(/^\S/m) + start + 1
    const r = await runTree(withFile(HR, hr.slice(0, start) + replacement + hr.slice(end)))
    expect(r.diagnostics.filter((d) => d.ruleId.endsWith('/crashed'))).toEqual([])
    const d = r.diagnostics.find((x) => x.ruleId === 'kustomize/malformed-resource')
    expect(d).toMatchObject({ severity: 'error', file: HR, message: `${message}: Kubernetes rejects it, and the migration cannot rewrite it` })
    expect(d!.line).toBe(hr.slice(0, start).split('\n').length + below)
    expect(r.changes).toEqual([])
  })

  it('a Kustomization whose spec comes before its metadata is written in the usual order, so its aliases follow their anchors', async () => {
    const meta = 'metadata:\n  name: &app webapp\n  namespace: flux-system\n'
    const text = ksWith(meta, '').replace(/\*app/g, 'webapp') + meta
    const r = await runTree(withFile(KS, text))
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(r.diagnostics.find((d) => d.ruleId === 'ks-layout/keys-reordered')).toMatchObject({ severity: 'info' })
    const out = r.changes.find((c) => c.path === 'cluster-apps/chongus/default/webapp/ks.yaml')!.after!
    expect(out.indexOf('\nmetadata:\n')).toBeLessThan(out.indexOf('\nspec:\n'))
    expect(out).toContain('  namespace: &namespace default\n')
    expect(out).toContain('  targetNamespace: *namespace\n')
    // The order is the only difference from the migration of the usual ks.yaml.
    const usual = (await runTree(withFile(KS, ksWith('', '').replace(/\*app/g, 'webapp')))).changes.find((c) => c.path === 'cluster-apps/chongus/default/webapp/ks.yaml')!.after!
    expect(out).toBe(usual)
  })
})

describe('files cut short', () => {
  /** Every line start and line middle of `text`: where a truncated copy or an interrupted editor leaves a file. */
  const cuts = (text: string) => {
    const out = new Set<number>()
    let at = 0
    for (const line of text.split('\n')) {
      out.add(at)
      out.add(at + Math.ceil(line.length / 2))
      at += line.length + 1
    }
    return [...out].filter((n) => n < text.length)
  }
  // Nothing is written from a run with errors: the CLI tests and the fuzz test's --write cases show that.
  it.each([KS, HR, `${APP}/app/kustomization.yaml`])('%s cut at each line start and middle: never a crash, errors located, ok exactly without errors', async (file) => {
    expect(BASE[file]).toBeDefined()
    const seen = new Set<string>()
    for (const n of cuts(BASE[file])) {
      const r = await runTree(withFile(file, BASE[file].slice(0, n)))
      const shown = `cut at ${n}:\n${r.diagnostics.map((d) => `${d.file}:${d.line}: ${d.severity} ${d.ruleId} ${d.message}`).join('\n')}`
      expect(r.diagnostics.filter((d) => d.ruleId.endsWith('/crashed')), shown).toEqual([])
      expect(r.ok, shown).toBe(!r.diagnostics.some((d) => d.severity === 'error'))
      for (const d of r.diagnostics) if (d.severity === 'error') expect(d.file, shown).toBeTruthy()
      seen.add(r.ok ? 'ok' : 'refused')
    }
    // Both outcomes occur: some cuts still leave a file the migration takes (the table is not vacuous).
    expect(seen).toEqual(new Set(['ok', 'refused']))
  })
})

describe('raw-to-app-template on a folder whose kustomization is missing or empty', () => {
  const RAW = readTree(path.resolve(__dirname, '../golden/raw-to-app-template--basic/input'))
  const LEDGER = 'cluster-cd/apps/bitty/default/ledger'
  const K = `${LEDGER}/app/kustomization.yaml`
  it.each(['', '---\n', '# nothing yet\n'])('an empty kustomization (%j) renders nothing: nothing converts, nothing crashes, its files are named as not carried', async (text) => {
    const r = await migrate({ repo: { ...RAW, [K]: text }, apps: [LEDGER], toAppTemplate: true })
    const shown = r.diagnostics.map((d) => `${d.file}:${d.line}: ${d.severity} ${d.ruleId} ${d.message}`).join('\n')
    expect(r.diagnostics.filter((d) => d.ruleId.endsWith('/crashed') || d.severity === 'error'), shown).toEqual([])
    expect(r.diagnostics.filter((d) => d.ruleId.startsWith('raw-to-app-template/')), shown).toEqual([])
    expect(r.diagnostics.filter((d) => d.ruleId === 'ks-layout/not-carried').map((d) => d.file).sort()).toEqual(['deployment', 'externalsecret', 'ingress', 'service'].map((n) => `${LEDGER}/app/${n}.yaml`))
  })

  it('a folder without a kustomization converts: Flux generates one of every manifest there (see the golden case raw-to-app-template--no-kustomization)', async () => {
    const tree = Object.fromEntries(Object.entries(RAW).filter(([p]) => p !== K))
    const r = await migrate({ repo: tree, apps: [LEDGER], toAppTemplate: true })
    expect(r.diagnostics.filter((d) => d.ruleId.endsWith('/crashed') || d.severity === 'error')).toEqual([])
    const app = r.changes.filter((c) => c.path.startsWith('cluster-apps/chongus/default/ledger/app/') && c.after !== undefined).map((c) => c.path.split('/').pop())
    expect(app.sort()).toEqual(['externalsecret.yaml', 'helmrelease.yaml', 'ocirepository.yaml'])
  })
})

describe('an alias in the way of a transform', () => {
  it('written through: named at its place, the transform undone, the others keep their work', async () => {
    const hr = BASE[HR].replace('    persistence:\n', '    copy: *ctr\n    persistence:\n').replace('          app:\n', '          app: &ctr\n')
    expect(hr).toContain('    copy: *ctr\n')
    const writer = defineTransform({
      id: 'writer',
      description: 'sets a key below every container it finds, aliases included',
      apply(ctx) {
        for (const r of ctx.resources({ kind: 'HelmRelease' })) for (const k of r.doc.keys(['spec', 'values'])) if (k === 'copy') r.doc.set(['spec', 'values', k, 'marked'], 'yes')
      },
    })
    const r = await migrate({ repo: withFile(HR, hr), apps: [APP], transforms: [...builtinTransforms, writer] })
    expect(r.diagnostics.filter((d) => d.ruleId.endsWith('/crashed'))).toEqual([])
    expect(r.diagnostics.find((d) => d.ruleId === 'writer/alias-in-the-way')).toMatchObject({
      severity: 'error',
      file: HR,
      line: hr.split('\n').findIndex((l) => l.includes('*ctr')) + 1,
      col: 11,
      message: 'the transform would write through alias *ctr, into the value of &ctr that other places share; its edits were undone',
    })
    const moved = r.changes.find((c) => c.path === 'cluster-apps/chongus/default/webapp/app/helmrelease.yaml')?.after
    expect(moved).toContain('chartRef')
    expect(moved).not.toContain('marked')
  })


  it('whose anchored value a transform replaces: named at its place, the transform undone, the others keep their work', async () => {
    const hr = BASE[HR].replace('    spec:\n      chart: app-template', '    spec: &chart\n      chart: app-template').replace('  values:', '  chartCopy: *chart\n  values:')
    expect(hr).toContain('chartCopy: *chart')
    const r = await runTree(withFile(HR, hr))
    expect(r.diagnostics.filter((d) => d.ruleId.endsWith('/crashed'))).toEqual([])
    const d = r.diagnostics.find((x) => x.ruleId === 'helm-oci/alias-in-the-way')
    expect(d).toMatchObject({ severity: 'error', file: HR, line: hr.split('\n').findIndex((l) => l.includes('*chart')) + 1, col: 14 })
    expect(d!.message).toBe("the transform's edits would leave alias *chart without its anchor &chart, which is on a value it replaces or moves; they were undone")
    // helm-oci is undone: the release keeps its chart; ks-layout still moved the app.
    const moved = r.changes.find((c) => c.path === 'cluster-apps/chongus/default/webapp/app/helmrelease.yaml')?.after
    expect(moved).toContain('    spec: &chart\n      chart: app-template')
    expect(moved).not.toContain('chartRef')
  })
})

describe('top-level fields of another kind than Kubernetes reads', () => {
  const cm = (data: string, kind = 'ConfigMap') => `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: settings\n${data}`
  it.each([
    ['a ConfigMap whose data is a list is refused', cm('data:\n  - a\n'), true],
    ['a Secret whose stringData is a string is refused', cm('stringData: token\n', 'Secret'), true],
    ['a ConfigMap whose data is empty is taken', cm('data:\n'), false],
    ['a custom resource whose data is a list is taken (its schema is its own)', cm('data:\n  - a\n', 'Dashboard').replace('apiVersion: v1', 'apiVersion: example.com/v1'), false],
  ])('%s', async (_name, text, refused) => {
    const kust = `${APP}/app/kustomization.yaml`
    const tree = { ...withFile(`${APP}/app/settings.yaml`, text), [kust]: BASE[kust].replace('resources:\n', 'resources:\n  - ./settings.yaml\n') }
    expect(tree[kust]).toContain('./settings.yaml')
    const r = await runTree(tree)
    expect(r.diagnostics.some((d) => d.ruleId === 'kustomize/malformed-resource' && d.file === `${APP}/app/settings.yaml`)).toBe(refused)
  })
})
