/** The 13 raw apps of the real legacy tree (../shared/corpus/legacy): which convert, and why the others don't. */
import { describe, expect, it } from 'vitest'
import { discoverApp, listLegacyApps } from '../../src/app.ts'
import { NodeVfs } from '../../src/fs.ts'
import { loadConfig, migrate } from '../../src/migrate.ts'
import { YamlFile } from '../../src/document.ts'
import { gatewayTargets } from '../../src/ingress/index.ts'
import { Workspace } from '../../src/workspace.ts'
import { convertRawApp } from '../../transforms/lib/raw-manifests.ts'
import { CORPUS, hasCorpus } from '../helpers.ts'

describe.runIf(hasCorpus)('raw legacy apps of the corpus', { timeout: 60_000 }, () => {
  it('convert with a rendering equivalent to the original, or stay raw with an error naming the field', async () => {
    const vfs = new NodeVfs(CORPUS)
    const config = loadConfig(vfs)
    const outcome: Record<string, string> = {}
    const routes: Record<string, string> = {}
    for (const entry of listLegacyApps(new Workspace(vfs), config)) {
      const ws = new Workspace(vfs)
      const app = discoverApp(ws, entry.path, config)
      for (const lk of app.kustomizations) {
        if (!lk.dir) continue
        const c = convertRawApp(ws, lk.dir, { release: app.name, chartVersion: '4.4.0', routes: { gateways: gatewayTargets(config.gateways), variables: () => ({ ...config.variables, ...lk.substitute }) } })
        if (!c.isRaw) continue
        expect(c.unexplained, app.name).toEqual([])
        expect(c.unmodelled, app.name).toEqual([])
        if (c.ok()) routes[app.name] = Object.keys((c.result.values as { route?: object }).route ?? {}).join(',')
        outcome[app.name] = c.ok() ? 'converts' : c.result.findings.filter((f) => f.severity === 'error').map((f) => f.message).join('; ')
        // The transform, after ks-layout, converts the same apps, and what it writes parses.
        const r = await migrate({ repo: vfs, apps: [entry.path], toAppTemplate: true })
        expect(r.changes.some((x) => x.path.endsWith('/app/helmrelease.yaml')), app.name).toBe(c.ok())
        // Ingresses of a converted app are route values: ingress-route writes no HTTPRoute file for them.
        if (c.ok()) expect(r.changes.filter((x) => /httproute\.yaml$/.test(x.path) && x.after !== undefined).map((x) => x.path), app.name).toEqual([])
        for (const x of r.changes) if (x.after !== undefined && /\.ya?ml$/.test(x.path)) expect(new YamlFile(x.after).hasErrors, x.path).toBe(false)
      }
    }
    expect(outcome).toEqual({
      // Both fields are unknown to Kubernetes too (never applied): clear errors, never dropped silently.
      prowlarr: 'container exportarr field `// TODO` is no Kubernetes field either (a comment written with `//`? YAML comments start with `#`): the API server never applied it, and it is not carried over silently',
      radarr: 'converts',
      readarr: 'converts',
      recyclarr: 'converts',
      sabnzbd: 'converts',
      sonarr: 'converts',
      'garbage-api': 'converts',
      'home-assistant': 'converts',
      zwavejs: 'converts',
      'calibre-web': 'converts',
      jellyfin: 'pod field `replicas` is no Kubernetes field either: the API server never applied it, and it is not carried over silently',
      stash: 'converts',
      cloudflared: 'converts',
    })
    // The route ids each converted app gets (none: the app has no Ingress).
    expect(routes).toEqual({
      'calibre-web': 'app,kobo,calibre-backend',
      cloudflared: '',
      'garbage-api': 'app',
      'home-assistant': 'app,code',
      radarr: 'app',
      readarr: 'app',
      recyclarr: '',
      sabnzbd: 'app',
      sonarr: 'app',
      stash: 'app',
      zwavejs: 'zwave,zwave-ws',
    })
  })
})
