/**
 * `migrate` checks the legacy app only with the rule families that can report what the migrated app has. That is
 * exact only if asking for some rules finds every finding of those rules a full run finds: checked here on every
 * legacy app of the example repository and the corpus, rule by rule.
 */
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { discoverApp, listLegacyApps } from '../src/app.ts'
import { runChecks } from '../src/check/engine.ts'
import { legacyApp } from '../src/check/model.ts'
import { NodeVfs } from '../src/fs.ts'
import { loadConfig } from '../src/migrate.ts'
import { legacyClusterVariables } from '../src/verify.ts'
import { Workspace } from '../src/workspace.ts'
import { CORPUS, hasCorpus } from './helpers.ts'

const REPOS: [string, string][] = [['examples/home-ops', path.resolve(__dirname, '../examples/home-ops')], ...(hasCorpus ? [['the corpus', CORPUS] as [string, string]] : [])]

describe('checking some rules only', { timeout: 60_000 }, () => {
  it.each(REPOS)('finds in %s every finding of the asked rules that a full run finds, and runs fewer families', async (_, repo) => {
    const vfs = new NodeVfs(repo)
    const config = loadConfig(vfs)
    const none = () => false
    let rules = 0
    let fewer = 0
    for (const a of listLegacyApps(new Workspace(vfs), config)) {
      const ws = new Workspace(vfs)
      const app = discoverApp(ws, a.path, config)
      if (app.problems.some((p) => p.severity === 'error')) continue
      const model = () => legacyApp(ws, app.legacyDir, app.legacyNamespace, app.kustomizations, [...Object.keys(config.variables), ...legacyClusterVariables(ws, config, app.cluster)])
      const full = await runChecks(ws, config, [model()], { schemas: false, namespaceEntries: none })
      for (const rule of new Set(full.map((f) => f.rule))) {
        const some = await runChecks(ws, config, [model()], { schemas: false, namespaceEntries: none, only: new Set([rule]) })
        expect(some.filter((f) => f.rule === rule), `${a.path} ${rule}`).toEqual(full.filter((f) => f.rule === rule))
        if (some.length < full.length) fewer++
        rules++
      }
    }
    expect(rules).toBeGreaterThan(repo === CORPUS ? 100 : 3)
    expect(fewer).toBeGreaterThan(0)
  })
})
