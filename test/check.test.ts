/** `check` as a library and a command: disables, configuration, output formats, exit codes, and migrate's verification. */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { check } from '../src/check/index.ts'
import { missingVariables, substitute } from '../src/check/envsubst.ts'
import { toSarif } from '../src/check/sarif.ts'
import { RULES } from '../src/check/rules.ts'
import { main, type CliIo } from '../src/cli.ts'
import { resolveConfig } from '../src/config.ts'
import { formatDiagnostics } from '../src/diagnostics.ts'
import { kubectlBuilder, kubectlMessage } from '../src/kubectl.ts'
import { migrate } from '../src/migrate.ts'
import { MemoryVfs, OverlayVfs } from '../src/vfs.ts'
import { FOLLOW_UP, NOT_VERIFIED, legacyClusterVariables } from '../src/verify.ts'
import { Workspace } from '../src/workspace.ts'
import { defineTransform } from '../src/transform-api.ts'
import { builtinTransforms } from '../transforms/index.ts'
import { gitRepo, readTree, writeTree } from './helpers.ts'

const BASE = path.resolve(__dirname, '../golden-check/_base')
const HR = 'cluster-apps/chongus/default/web/app/helmrelease.yaml'
const base = () => readTree(BASE)
const unpinned = (tree: Record<string, string>) => ({ ...tree, [HR]: tree[HR].replace(/tag: 1\.4\.2@sha256:[0-9a-f]+/, 'tag: 1.4.2') })

function io(cwd: string, extra: Partial<CliIo> = {}) {
  const out: string[] = []
  const err: string[] = []
  const value: CliIo = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), cwd, readFile: (p) => fs.readFileSync(p, 'utf8'), resolve: (...p) => path.resolve(...p), ...extra }
  return { io: value, out: () => out.join(''), err: () => err.join('') }
}

function tempRepo(tree: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-check-'))
  writeTree(dir, tree)
  return dir
}

describe('disabling rules', () => {
  it('honours a disable-next-line comment for the named rule only', async () => {
    const tree = unpinned(base())
    tree[HR] = tree[HR].replace('              tag: 1.4.2\n', '              # bitty2chongus-disable-next-line check/image-digest\n              tag: 1.4.2\n')
    expect((await check({ repo: tree })).diagnostics).toEqual([])
    tree[HR] = tree[HR].replace('check/image-digest', 'check/memory-limit')
    expect((await check({ repo: tree })).diagnostics.map((d) => d.ruleId)).toEqual(['check/image-digest'])
  })

  it('takes bare rule names and lists, and a comment without rule disables every rule on the next line', async () => {
    const tree = unpinned(base())
    tree[HR] = tree[HR].replace('              tag: 1.4.2\n', '              # bitty2chongus-disable-next-line memory-limit, image-digest\n              tag: 1.4.2\n')
    expect((await check({ repo: tree })).diagnostics).toEqual([])
    tree[HR] = tree[HR].replace(' memory-limit, image-digest', '')
    expect((await check({ repo: tree })).diagnostics).toEqual([])
  })

  it('honours check.disable, globally or for one app, and rejects a rule that does not exist', async () => {
    const tree = unpinned(base())
    expect((await check({ repo: tree, config: { check: { disable: ['check/image-digest'] } } })).diagnostics).toEqual([])
    expect((await check({ repo: tree, config: { check: { disable: ['default/web:image-digest'] } } })).diagnostics).toEqual([])
    expect((await check({ repo: tree, config: { check: { disable: ['default/other:image-digest'] } } })).diagnostics).toHaveLength(1)
    await expect(check({ repo: tree, config: { check: { disable: ['check/image-digests'] } } })).rejects.toThrow(/check\.disable: check\/image-digests names no rule/)
  })

  it('validates the check configuration keys', () => {
    expect(resolveConfig({ check: { external: ['default/web'] } }).check.external).toEqual(['default/web'])
    expect(() => resolveConfig({ check: { disabled: [] } })).toThrow(/check\.disabled is not a known key/)
    expect(() => resolveConfig({ check: { disable: 'image-digest' } })).toThrow(/check\.disable must be a list/)
    expect(() => resolveConfig({ check: { disable: ['Image Digest'] } })).toThrow(/check\.disable\[0\] must be a rule id/)
  })
})

describe('README', () => {
  it('lists every rule with its default severity', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../README.md'), 'utf8')
    for (const [name, meta] of Object.entries(RULES)) expect(readme, name).toContain(`| \`check/${name}\` | ${meta.severity} | ${meta.description}`)
  })
})

describe('check()', () => {
  it('checks the whole app when given a file inside it, and refuses a path that does not exist', async () => {
    const r = await check({ repo: unpinned(base()), paths: [HR] })
    expect(r.apps).toEqual(['cluster-apps/chongus/default/web'])
    expect(r.ok).toBe(true)
    expect(r.diagnostics.map((d) => d.ruleId)).toEqual(['check/image-digest'])
    await expect(check({ repo: base(), paths: ['cluster-apps/chongus/nope'] })).rejects.toThrow(/does not exist in the repository/)
  })

  it('never prints the values of a Secret', async () => {
    const tree = base()
    tree['cluster-apps/chongus/default/web/app/kustomization.yaml'] += '  - ./secret.yaml\n'
    tree['cluster-apps/chongus/default/web/app/secret.yaml'] = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  TOKEN: c3VwZXJzZWNyZXQ=\n  PORT: 8080\n'
    const r = await check({ repo: tree })
    const text = JSON.stringify(r.diagnostics) + JSON.stringify(toSarif(r.diagnostics))
    expect(r.diagnostics.some((d) => d.ruleId === 'check/secret-data')).toBe(true)
    expect(text).not.toContain('c3VwZXJzZWNyZXQ')
    expect(text).not.toContain('8080')
  })
})

describe('substitution syntax', () => {
  const defined = (names: string[]) => (n: string) => names.includes(n)
  it('finds undefined variables, following defaults only when their variable is undefined', () => {
    expect(missingVariables('${A} ${B:-x} ${C:=${D}} $${E} $F ${G-${H}}', defined(['G'])).map((u) => u.name)).toEqual(['A', 'D'])
    expect(missingVariables('${C:=${D}}', defined(['C']))).toEqual([])
    expect(missingVariables('a ${B} b', defined([]))).toEqual([{ name: 'B', offset: 2 }])
  })
  it('substitutes like Flux: values, defaults (empty counts for :-), escapes', () => {
    const v = { APP: 'web', EMPTY: '' }
    expect(substitute('${APP}-${X:-d}-${EMPTY:-e}-${EMPTY-f}-$${APP}-${UNSET}', v)).toBe('web-d-e--${APP}-${UNSET}')
    expect(substitute('${VOLSYNC_CLAIM:-${APP}}', v)).toBe('web')
  })
})

describe('OverlayVfs', () => {
  it('shows changed, added and deleted files over its base', () => {
    const o = new OverlayVfs(new MemoryVfs({ 'a/b.yaml': 'b', 'a/c.yaml': 'c', 'd/e.yaml': 'e' }), new Map([['a/c.yaml', undefined], ['a/n.yaml', 'n'], ['d/e.yaml', undefined], ['f/g.yaml', 'g']]))
    expect(o.read('a/b.yaml')).toBe('b')
    expect(o.read('a/c.yaml')).toBeUndefined()
    expect(o.list('a')).toEqual(['b.yaml', 'n.yaml'])
    expect(o.list('')).toEqual(['a', 'f'])
    expect(o.isDir('d')).toBe(false)
    expect(o.isDir('f')).toBe(true)
  })
})

describe('SARIF', () => {
  it('is a SARIF 2.1.0 log with every rule and located results', async () => {
    const r = await check({ repo: unpinned(base()) })
    const s = toSarif(r.diagnostics) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: Record<string, unknown>[] }[] }
    expect(s.version).toBe('2.1.0')
    expect(s.runs[0].tool.driver.rules.map((x) => x.id)).toEqual(Object.keys(RULES).map((k) => `check/${k}`))
    expect(s.runs[0].results).toEqual([
      {
        ruleId: 'check/image-digest',
        ruleIndex: Object.keys(RULES).indexOf('image-digest'),
        level: 'warning',
        message: { text: 'image ghcr.io/example/web:1.4.2 is not pinned to a digest\nhint: pin it as <tag>@sha256:<digest>; Renovate keeps pinned digests up to date after merge' },
        locations: [{ physicalLocation: { artifactLocation: { uri: HR }, region: { startLine: 25, startColumn: 20 } } }],
      },
    ])
  })
})

describe('SARIF notifications', () => {
  it('reports findings about the run itself as tool notifications, not results', () => {
    const s = toSarif([{ severity: 'info', ruleId: 'check/kubectl', message: 'kubectl is not on PATH' }]) as { runs: { results: unknown[]; invocations: { toolExecutionNotifications: unknown[] }[] }[] }
    expect(s.runs[0].results).toEqual([])
    expect(s.runs[0].invocations[0].toolExecutionNotifications).toEqual([{ level: 'note', message: { text: 'kubectl is not on PATH' }, descriptor: { id: 'check/kubectl' } }])
  })
})

describe('kubectl', () => {
  it('builds with the Flux Kustomization patches, as Flux does, and validates the result', async () => {
    const tree = base()
    const ks = 'cluster-apps/chongus/default/web/ks.yaml'
    tree[ks] = tree[ks].replace('  prune: true\n', '  patches:\n    - target:\n        kind: OCIRepository\n      patch: |-\n        - op: replace\n          path: /spec/interval\n          value: 60\n  prune: true\n')
    const r = await check({ repo: tree, builder: kubectlBuilder() })
    expect(formatDiagnostics(r.diagnostics)).toBe(`${ks}:19:9: error check/schema rendered OCIRepository web: spec.interval must be string\n`)
  })

  it('keeps only the message of a kubectl failure', () => {
    expect(kubectlMessage('E1126 05:40:51.706485    4960 run.go:72] "command failed" err="replace operation does not apply: doc is \\"missing\\""\n')).toBe('replace operation does not apply: doc is "missing"')
    expect(kubectlMessage('Error: unknown flag: --nope\n')).toBe('unknown flag: --nope')
  })
  it('says why it cannot build without kubectl on PATH', async () => {
    expect(await kubectlBuilder({ pathEnv: '' }).unavailable()).toBe('kubectl is not on PATH')
  })
})

describe('cli check', () => {
  it('prints diagnostics and exits 0 on a conformant repository with warnings only', async () => {
    const repo = tempRepo(unpinned(base()))
    const t = io(process.cwd())
    expect(await main(['check', '--repo', repo], t.io)).toBe(0)
    expect(t.out()).toBe(`${HR}:25:20: warning check/image-digest image ghcr.io/example/web:1.4.2 is not pinned to a digest\n    hint: pin it as <tag>@sha256:<digest>; Renovate keeps pinned digests up to date after merge\n`)
    expect(t.err()).toBe('1 app(s) checked, 0 error(s), 1 warning(s), 0 info\n')
  })

  it('exits 1 on errors, with JSON or SARIF output', async () => {
    const tree = base()
    tree[HR] = tree[HR].replace('    name: web\n  install', '    name: paperless\n  install')
    const repo = tempRepo(tree)
    const j = io(repo)
    expect(await main(['check', 'cluster-apps/chongus/default/web', '--format', 'json', '--no-kustomize'], j.io)).toBe(1)
    expect(JSON.parse(j.out()).diagnostics.map((d: { ruleId: string }) => d.ruleId)).toEqual(['check/chart-ref'])
    const s = io(repo)
    expect(await main(['check', '--format', 'sarif', '--no-kustomize'], s.io)).toBe(1)
    expect(JSON.parse(s.out()).runs[0].results[0].ruleId).toBe('check/chart-ref')
  })

  it('says once that kubectl is missing, and builds with it otherwise', async () => {
    const repo = tempRepo(base())
    const without = io(process.cwd(), { builder: () => kubectlBuilder({ pathEnv: '' }) })
    expect(await main(['check', '--repo', repo], without.io)).toBe(0)
    expect(without.out()).toBe('info check/kubectl kubectl is not on PATH: the real kustomize build was skipped\n    hint: install kubectl (it has kustomize built in) to build each app as Flux would\n')
    const withIt = io(process.cwd())
    expect(await main(['check', '--repo', repo], withIt.io)).toBe(0)
    expect(withIt.out()).toBe('')
  })

  it.each([
    [['check', 'nowhere', '--repo', BASE], /nowhere does not exist in the repository/],
    [['check', '--repo', BASE, '--format', 'xml'], /Allowed choices are text, json, sarif/],
  ])('exits 2 for %j', async (argv, message) => {
    const t = io(process.cwd())
    expect(await main(argv, t.io)).toBe(2)
    expect(t.err()).toMatch(message)
  })
})

/**
 * A legacy app whose values use a cluster variable. The full pipeline inlines it (the `variables` transform), so these
 * tests migrate with `--only ks-layout,helm-oci`: that pipeline carries `${SECRET_DOMAIN}` to a cluster that no longer
 * defines it, an error only the check finds (no transform error, so `--no-verify` can let it through).
 */
function legacyRepo(): Record<string, string> {
  const tree = readTree(path.resolve(__dirname, '../golden/ks-layout--basic/input'))
  const hr = 'cluster-cd/apps/bitty/default/webapp/app/helmrelease.yaml'
  tree[hr] = tree[hr].replace('    persistence:', '    route:\n      app:\n        hostnames: ["web.${SECRET_DOMAIN}"]\n        parentRefs: [{name: envoy-internal, namespace: network, sectionName: https}]\n    persistence:')
  return tree
}
const APP = 'cluster-cd/apps/bitty/default/webapp'
const ONLY = ['ks-layout', 'helm-oci']
const WITHOUT_VARIABLES = builtinTransforms.filter((t) => ONLY.includes(t.id))

describe('migrate verification', () => {
  it('blocks a migration that introduces a check error, and lists what the legacy app already had as follow-ups', async () => {
    const r = await migrate({ repo: legacyRepo(), apps: [APP], transforms: WITHOUT_VARIABLES })
    expect(r.ok).toBe(false)
    const check = r.diagnostics.filter((d) => d.ruleId.startsWith('check/'))
    expect(formatDiagnostics(check.filter((d) => d.severity === 'error'))).toBe(
      'cluster-apps/chongus/default/webapp/app/helmrelease.yaml:33:21: error check/undefined-variable ${SECRET_DOMAIN} is a legacy cluster variable, which Chongus does not substitute: it must be inlined\n    hint: write the value of SECRET_DOMAIN from the variables of .bitty2chongus.yaml in its place\n',
    )
    expect(check.filter((d) => d.severity !== 'error').every((d) => d.message.startsWith(FOLLOW_UP))).toBe(true)
    expect(check.map((d) => d.ruleId)).toEqual(expect.arrayContaining(['check/memory-limit', 'check/image-digest', 'check/backend-service']))
    // The full pipeline inlines the variable, so the same app migrates without an introduced error.
    const full = await migrate({ repo: legacyRepo(), apps: [APP] })
    expect(full.diagnostics.filter((d) => d.ruleId === 'check/undefined-variable')).toEqual([])
    expect(full.ok).toBe(true)
  })

  it('writes with --no-verify, says so in the diagnostics and the patch header, and git apply takes the patch', async () => {
    const tree = legacyRepo()
    const r = await migrate({ repo: tree, apps: [APP], noVerify: true, transforms: WITHOUT_VARIABLES })
    expect(r.ok).toBe(true)
    expect(r.patch.startsWith('# bitty2chongus migrate --no-verify: 1 error(s) found by check in the migrated app(s) did not block this patch\ndiff --git ')).toBe(true)
    expect(r.diagnostics.find((d) => d.ruleId === 'check/undefined-variable')?.message.startsWith(NOT_VERIFIED)).toBe(true)
    expect(r.diagnostics.find((d) => d.ruleId === 'verify/no-verify')).toMatchObject({ severity: 'warning' })
    const repo = gitRepo(tree)
    try {
      fs.writeFileSync(path.join(repo, '.patch'), r.patch)
      execFileSync('git', ['apply', '--check', '.patch'], { cwd: repo, stdio: 'pipe' })
    } finally {
      fs.rmSync(repo, { recursive: true, force: true })
    }
  })

  it('the CLI refuses to write the blocked migration and writes it with --no-verify', async () => {
    const repo = tempRepo(legacyRepo())
    const before = readTree(repo)
    const t = io(process.cwd())
    expect(await main(['migrate', APP, '--repo', repo, '--write', '--only', ONLY.join(',')], t.io)).toBe(1)
    expect(readTree(repo)).toEqual(before)
    expect(t.err()).toContain('error check/undefined-variable')
    const n = io(process.cwd())
    expect(await main(['migrate', APP, '--repo', repo, '--write', '--only', ONLY.join(','), '--no-verify'], n.io)).toBe(0)
    expect(n.out().startsWith('# bitty2chongus migrate --no-verify')).toBe(true)
    expect(readTree(repo)['cluster-apps/chongus/default/webapp/ks.yaml']).toContain('kind: Kustomization')
  })

  it('keeps a container problem a follow-up when a transform turns the Deployment into app-template values', async () => {
    const input = readTree(path.resolve(__dirname, '../golden/ks-layout--new-namespace/input'))
    const toAppTemplate = defineTransform({
      id: 'to-app-template',
      description: 'test: the Deployment becomes an app-template HelmRelease with the same container',
      after: ['ks-layout'],
      apply(ctx) {
        const dir = `${ctx.app.root}/app`
        ctx.ws.delete(`${dir}/deployment.yaml`)
        ctx.ws.write(`${dir}/kustomization.yaml`, 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./helmrelease.yaml\n  - ./ocirepository.yaml\n')
        ctx.ws.write(`${dir}/ocirepository.yaml`, 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: player\nspec:\n  interval: 1h\n  ref:\n    tag: 4.4.0\n  url: oci://ghcr.io/bjw-s-labs/helm/app-template\n')
        ctx.ws.write(`${dir}/helmrelease.yaml`, 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: player\nspec:\n  interval: 1h\n  chartRef:\n    kind: OCIRepository\n    name: player\n  values:\n    controllers:\n      player:\n        containers:\n          app:\n            image:\n              repository: ghcr.io/example/player\n              tag: 1.0.0\n')
      },
    })
    const r = await migrate({ repo: input, apps: ['cluster-cd/apps/bitty/media/player'], transforms: [...builtinTransforms, toAppTemplate] })
    const check = r.diagnostics.filter((d) => d.ruleId.startsWith('check/'))
    expect(check.map((d) => `${d.severity} ${d.ruleId} ${d.message}`)).toEqual([
      `warning check/memory-limit ${FOLLOW_UP} container app of HelmRelease player has no memory limit`,
      `warning check/image-digest ${FOLLOW_UP} image ghcr.io/example/player:1.0.0 is not pinned to a digest`,
    ])
    expect(r.ok).toBe(true)
  })

  it('knows the legacy cluster variables from the keys of its substituteFrom sources, never their values', () => {
    const ws = new Workspace(
      new MemoryVfs({
        'clusters/bitty/flux/apps.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps}\nspec:\n  postBuild:\n    substituteFrom:\n      - kind: Secret\n        name: cluster-secrets\n',
        'clusters/bitty/flux/vars/cluster-secrets.bty.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: cluster-secrets}\nstringData:\n  SECRET_DOMAIN: ENC[AES256_GCM,data:abc,type:str]\n  BLUESKY_HOSTNAME: ENC[AES256_GCM,data:def,type:str]\n',
        'clusters/bitty/flux/vars/other.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: unrelated}\ndata:\n  NOT_A_VARIABLE: x\n',
      }),
    )
    expect(legacyClusterVariables(ws, resolveConfig({}), 'bitty')).toEqual(['BLUESKY_HOSTNAME', 'SECRET_DOMAIN'])
  })

  it('says when an app could not be checked because no Chongus folder was made', async () => {
    const r = await migrate({ repo: legacyRepo(), apps: [APP], transforms: [] })
    expect(r.diagnostics.map((d) => `${d.ruleId} ${d.message}`)).toEqual([`verify/skipped ${APP} was not checked: the migration made no Chongus app folder of it`])
  })
})
