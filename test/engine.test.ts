import * as fs from 'node:fs'
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from 'diff'
import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG, parseConfig, resolveConfig, withVars } from '../src/config.ts'
import { resolveKustomize } from '../src/kustomize.ts'
import { dotRelative, join, normalize, relative } from '../src/paths.ts'
import { filePatch, toPatch } from '../src/patch.ts'
import { MemoryVfs } from '../src/vfs.ts'
import { Workspace } from '../src/workspace.ts'
import { lineCol } from '../src/migrate.ts'
import { discoverApp } from '../src/app.ts'
import { everyYamlFile } from './helpers.ts'

describe('paths', () => {
  it('normalises and refuses to climb above the root', () => {
    expect(normalize('a/./b/../c')).toBe('a/c')
    expect(normalize('a/../../x')).toBeUndefined()
    expect(join('a/b', '../../../x')).toBeUndefined()
    expect(relative('cluster-apps/chongus/default/app/app', 'cluster-apps/components/volsync')).toBe('../../../../components/volsync')
    expect(dotRelative('a/b', 'a/b/c.yaml')).toBe('./c.yaml')
  })
})

describe('config', () => {
  it('defaults to the Chongus conventions', () => {
    expect(resolveConfig(undefined)).toEqual(DEFAULT_CONFIG)
  })
  it.each([
    ['variables: [a]', 'variables must be a map'],
    ['variables:\n  bad-name: x', 'variables.bad-name is not a valid variable name'],
    ['target:\n  interval: soon', 'target.interval must be a Go duration'],
    ['gateways:\n  internal: {name: x, port: 1}', 'gateways.internal.port is not a known key'],
    ['secretStore: {kind: Vault}', 'secretStore.kind must be ClusterSecretStore or SecretStore'],
    ['dependsOn:\n  foo: {name: x}', 'dependsOn.foo.namespace must be a non-empty string'],
    ['a: [', '.bitty2chongus.yaml:1:'],
    ['charts: {name: x}', 'charts must be a list'],
    ['charts:\n  - {name: podinfo, url: https://example.com/podinfo}', 'charts[0].url must start with oci://'],
    ['charts:\n  - {url: oci://ghcr.io/x/y}', 'charts[0] needs name, repository or both'],
    ['legacy:\n  repositories: cluster-cd/repositories', 'legacy.repositories must be a list of folders'],
    ['legacy:\n  repositories: [../outside]', 'legacy.repositories[0] must be a folder inside the repository'],
    ['appTemplate:\n  convert: yes', 'appTemplate.convert must be true or false, not "yes"'],
    ['appTemplate:\n  convert: "1"', 'appTemplate.convert must be true or false'],
    ['appTemplate:\n  convrt: true', 'appTemplate.convrt is not a known key (known: version, convert)'],
    ['target:\n  appsDir: ~', 'target.appsDir must be a non-empty string, not ~ (a null; leave the key out for the default)'],
    ['target:\n  appsDir: null', 'target.appsDir must be a non-empty string, not null (a null; leave the key out for the default)'],
    ['target:\n  appsDir:', 'target.appsDir must be a non-empty string'],
    ['appTemplate:\n  version: ~', 'appTemplate.version must be a non-empty string, not ~'],
    ['legacy:\n  repositories: [NULL]', 'legacy.repositories[0] must be a non-empty string, not NULL'],
    ['gateways:\n  internal: {name: envoy-internal, namespace: network, sectionName: ~}', 'gateways.internal.sectionName must be a non-empty string, not ~'],
  ])('%j is an error naming the key', (text, message) => {
    expect(() => parseConfig(text)).toThrow(message)
  })
  it('reads a dependency set to null, ~ or nothing as one to drop', () => {
    for (const v of ['null', '~', '', 'Null']) expect(parseConfig(`dependsOn:\n  nginx-internal: ${v}\n`).dependsOn['nginx-internal']).toBeNull()
  })
  it('reads appTemplate.convert (off unless set)', () => {
    expect(DEFAULT_CONFIG.appTemplate.convert).toBe(false)
    expect(parseConfig('appTemplate:\n  version: 3.7.3\n').appTemplate).toEqual({ version: '3.7.3', convert: false })
    expect(parseConfig('appTemplate:\n  convert: true\n').appTemplate.convert).toBe(true)
    expect(parseConfig('appTemplate:\n  convert: false\n').appTemplate.convert).toBe(false)
  })
  it('reads values and --var overrides', () => {
    const c = withVars(parseConfig('variables:\n  SECRET_DOMAIN: example.net\ndependsOn:\n  cloudnative-pg: {name: cnpg, namespace: database}\n'), ['LOCAL_TZ=Europe/Berlin', 'SECRET_DOMAIN=x.org'])
    expect(c.variables).toEqual({ SECRET_DOMAIN: 'x.org', LOCAL_TZ: 'Europe/Berlin' })
    expect(c.dependsOn['cloudnative-pg']).toEqual({ name: 'cnpg', namespace: 'database' })
    expect(() => withVars(c, ['=x'])).toThrow(/KEY=VALUE/)
  })
  it('reads chart locations and the HelmRepository folders', () => {
    const c = parseConfig('legacy:\n  repositories: [flux/repos/, ./more]\ncharts:\n  - name: ping-exporter\n    url: oci://ghcr.io/example/charts/ping-exporter\n')
    expect(c.legacy.repositories).toEqual(['flux/repos', 'more'])
    expect(c.charts).toEqual([{ name: 'ping-exporter', url: 'oci://ghcr.io/example/charts/ping-exporter' }])
    expect(DEFAULT_CONFIG.legacy.repositories).toEqual(['cluster-cd/repositories', 'clusters/{cluster}/flux', 'clusters/base/flux/repositories'])
  })
})

describe('app discovery', () => {
  it('reads a namespace kustomization whose only entry is commented out as listing nothing', () => {
    const ws = new Workspace(
      new MemoryVfs({
        'cluster-cd/apps/bitty/default/kustomization.yaml': 'resources:\n  # - ./web/ks.yaml\n',
        'cluster-cd/apps/bitty/default/web/ks.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: web}\nspec: {path: ./cluster-cd/apps/bitty/default/web/app}\n',
        'cluster-cd/apps/bitty/default/web/app/hr.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n',
      }),
    )
    expect(discoverApp(ws, 'cluster-cd/apps/bitty/default/web', DEFAULT_CONFIG).enabled).toBe(false)
  })
})

describe('kustomize resolution', () => {
  const ws = new Workspace(
    new MemoryVfs({
      'app/kustomization.yaml': 'resources:\n  - ./hr.yaml\n  - ../shared\ncomponents:\n  - ../comp\nconfigMapGenerator:\n  - name: c\n    files:\n      - cfg.yaml=./config/cfg.yaml\n    envs:\n      - ./env.txt\npatches:\n  - path: ./patch.yaml\n',
      'app/hr.yaml': 'kind: HelmRelease\n',
      'app/config/cfg.yaml': 'x: 1\n',
      'app/env.txt': 'A=1\n',
      'app/patch.yaml': 'kind: X\n',
      'app/unused.yaml': 'kind: Y\n',
      'shared/kustomization.yaml': 'resources:\n  - ./a.yaml\n',
      'shared/a.yaml': 'kind: A\n',
      'comp/kustomization.yaml': 'kind: Component\nresources:\n  - ./c.yaml\n',
      'comp/c.yaml': 'kind: C\n',
      'bare/one.yaml': 'kind: One\n',
      'bare/sub/two.yaml': 'kind: Two\n',
    }),
  )
  it('follows resources, components, generator files and patches', () => {
    const t = resolveKustomize(ws, 'app')
    expect(t.resources).toEqual(['app/hr.yaml', 'shared/a.yaml', 'comp/c.yaml'])
    expect(t.components).toEqual(['comp'])
    expect(t.inputs.sort()).toEqual(['app/config/cfg.yaml', 'app/env.txt', 'app/patch.yaml'])
    expect(t.external).toEqual(['shared', 'comp'])
    expect(t.problems).toEqual([])
  })
  it('treats a folder without a kustomization as Flux does: every manifest below it', () => {
    expect(resolveKustomize(ws, 'bare').resources).toEqual(['bare/one.yaml', 'bare/sub/two.yaml'])
  })
})

describe('patch', () => {
  it('writes git headers, /dev/null sides and the missing final newline marker', () => {
    expect(filePatch({ path: 'a.yaml', status: 'added', after: 'x: 1\n' })).toBe('diff --git a/a.yaml b/a.yaml\nnew file mode 100644\n--- /dev/null\n+++ b/a.yaml\n@@ -0,0 +1,1 @@\n+x: 1\n')
    expect(filePatch({ path: 'a.yaml', status: 'deleted', before: 'x: 1' })).toContain('+++ /dev/null\n@@ -1,1 +0,0 @@\n-x: 1\n\\ No newline at end of file\n')
    expect(toPatch([])).toBe('')
  })
  it('writes created and removed files as the diff library does, without diffing', () => {
    const texts = ['', '\n', '\n\n', 'a', 'a\n', 'a\nb', 'x\n\n', 'a\r\nb\r\n', 'a\rb\n', '-- a\t\n++ b\t\n', '\\ no\n', ...everyYamlFile().map((f) => fs.readFileSync(f, 'utf8'))]
    const viaDiff = (a: string, b: string, before: string, after: string) => createTwoFilesPatch(a, b, before, after, undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY })
    for (const t of texts) {
      expect(filePatch({ path: 'p.yaml', status: 'added', after: t })).toBe(`diff --git a/p.yaml b/p.yaml\nnew file mode 100644\n${viaDiff('/dev/null', 'b/p.yaml', '', t)}`)
      expect(filePatch({ path: 'p.yaml', status: 'deleted', before: t })).toBe(`diff --git a/p.yaml b/p.yaml\ndeleted file mode 100644\n${viaDiff('a/p.yaml', '/dev/null', t, '')}`)
    }
    expect(texts.length).toBeGreaterThan(500)
  })
  it('computes 1-based positions on CRLF and BOM text', () => {
    expect(lineCol('\uFEFFa: 1\r\nb: 2\r\n', 5)).toEqual({ line: 2, col: 1 })
  })
})
