import { it } from 'vitest'
import { NodeVfs } from '../src/fs.ts'
import { Workspace } from '../src/workspace.ts'
import { listLegacyApps } from '../src/app.ts'
import { loadConfig, migrate } from '../src/migrate.ts'
import { formatDiagnostics } from '../src/diagnostics.ts'
import { CORPUS } from './helpers.ts'
it('dbg', async () => {
  const vfs = new NodeVfs(CORPUS)
  const apps = listLegacyApps(new Workspace(vfs), loadConfig(vfs))
  const counts = new Map<string, number>()
  let blocked = 0
  for (const a of apps) {
    const r = await migrate({ repo: vfs, apps: [a.path] })
    const errs = r.diagnostics.filter((d) => d.ruleId.startsWith('check/') && d.severity === 'error')
    if (errs.length) { blocked++; console.log(formatDiagnostics(errs)) }
    for (const d of r.diagnostics.filter((d) => d.ruleId.startsWith('check/'))) { const k = `${d.ruleId} ${d.severity} ${d.message.startsWith('follow-up') ? 'follow-up' : 'introduced'}`; counts.set(k, (counts.get(k) ?? 0) + 1) }
  }
  console.log('blocked', blocked, 'of', apps.length)
  console.log([...counts].sort().map(([k, v]) => `${v} ${k}`).join('\n'))
}, 60000)
