/** `npm run corpus [-- <repo>]`: migrates every legacy app of a repository one by one and prints the figures. */
import { listLegacyApps } from '../app.ts'
import { NodeVfs } from '../fs.ts'
import { loadConfig, migrate } from '../migrate.ts'
import { Workspace } from '../workspace.ts'
import { MigrationError } from '../errors.ts'
import { formatHelmOutcomes, helmOutcomes, type HelmOutcome } from './helm-figures.ts'

const root = process.argv[2] ?? '../shared/corpus/legacy'
const vfs = new NodeVfs(root)
const config = loadConfig(vfs)
const apps = listLegacyApps(new Workspace(vfs), config)
const byRule = new Map<string, number>()
const helm: HelmOutcome[] = []
const input = new Workspace(vfs)
let ok = 0
let failed = 0
const t0 = performance.now()
for (const app of apps) {
  try {
    const r = await migrate({ repo: vfs, apps: [app.path] })
    helm.push(...helmOutcomes(input, app.path, r, config))
    for (const d of r.diagnostics) {
      const k = `${d.severity} ${d.ruleId}`
      byRule.set(k, (byRule.get(k) ?? 0) + 1)
    }
    if (r.ok) ok++
    else {
      failed++
      const errs = r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.ruleId)
      process.stdout.write(`blocked ${app.path}: ${[...new Set(errs)].join(', ')}\n`)
    }
  } catch (e) {
    failed++
    process.stdout.write(`failed ${app.path}: ${e instanceof MigrationError ? e.message : String(e)}\n`)
  }
}
const ms = performance.now() - t0
process.stdout.write(`\n${apps.length} apps (${apps.filter((a) => a.enabled).length} enabled): ${ok} migrate cleanly, ${failed} blocked; ${ms.toFixed(0)} ms (${(ms / apps.length).toFixed(1)} ms/app)\n\n`)
for (const [k, n] of [...byRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) process.stdout.write(`${String(n).padStart(5)}  ${k}\n`)
for (const cluster of [...new Set(helm.map((h) => h.app.split('/')[2]))].sort()) {
  process.stdout.write(`\n${cluster}: ${formatHelmOutcomes(helm.filter((h) => h.app.split('/')[2] === cluster))}\n`)
}
