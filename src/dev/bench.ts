/**
 * `npm run bench`: wall time, per-app time and peak memory of whole-repository migrations, against a
 * parse-and-print baseline with `yaml` alone, at growing synthetic scales, and the CLI's cold start.
 * Each measurement runs in a child process so that its peak RSS is its own.
 */
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'
import { listLegacyApps } from '../app.ts'
import { NodeVfs } from '../fs.ts'
import { loadConfig, migrate } from '../migrate.ts'
import { MemoryVfs, walk, type Vfs } from '../vfs.ts'
import { Workspace } from '../workspace.ts'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(HERE, '../../..')
const CORPUS = process.env.B2C_CORPUS ?? path.resolve(ROOT, '../shared/corpus/legacy')
const SOURCE = fs.existsSync(CORPUS) ? CORPUS : path.resolve(ROOT, 'examples/home-ops')

type Result = { label: string; apps: number; ms: number; perApp: number; rssMiB: number; extra?: string }

function readAll(vfs: Vfs): Map<string, string> {
  const m = new Map<string, string>()
  for (const p of walk(vfs, '')) {
    const t = vfs.read(p)
    if (t !== undefined) m.set(p, t)
  }
  return m
}

/** A repository of `n` apps made by replicating the source's apps under new names. */
function synthetic(n: number): { vfs: MemoryVfs; apps: string[] } {
  const src = new NodeVfs(SOURCE)
  const files = readAll(src)
  const config = loadConfig(src)
  const legacy = listLegacyApps(new Workspace(src), config).filter((a) => a.path.split('/').length === 5)
  const out = new Map(files)
  const apps: string[] = []
  const nsEntries = new Map<string, string[]>()
  for (let i = 0; apps.length < n; i++) {
    const a = legacy[i % legacy.length]
    const [, , cluster, ns, name] = a.path.split('/')
    const copy = `${name}-s${i}`
    const dir = `${config.legacy.appsDir}/${cluster}/${ns}/${copy}`
    for (const [p, t] of files) {
      if (!p.startsWith(a.path + '/')) continue
      const rel = p.slice(a.path.length)
      out.set(dir + rel, t.split(`/${ns}/${name}/`).join(`/${ns}/${copy}/`))
    }
    apps.push(dir)
    const k = `${config.legacy.appsDir}/${cluster}/${ns}/kustomization.yaml`
    nsEntries.set(k, [...(nsEntries.get(k) ?? []), `  - ./${copy}/ks.yaml\n`])
  }
  for (const [k, entries] of nsEntries) out.set(k, (out.get(k) ?? 'resources:\n').replace(/\n?$/, '\n') + entries.join(''))
  return { vfs: new MemoryVfs(out), apps }
}

async function measure(label: string, vfs: Vfs, apps: string[]): Promise<Result> {
  const t0 = performance.now()
  const r = await migrate({ repo: vfs, apps })
  const ms = performance.now() - t0
  return { label, apps: apps.length, ms, perApp: ms / apps.length, rssMiB: process.resourceUsage().maxRSS / 1024, extra: `${r.changes.length} files changed, ${r.diagnostics.length} diagnostics` }
}

function baseline(vfs: Vfs, apps: string[]): Result {
  const ws = new Workspace(vfs)
  const files = apps.flatMap((a) => ws.filesUnder(a)).filter((f) => /\.ya?ml$/.test(f.path))
  const texts = files.map((f) => f.before ?? '')
  const t0 = performance.now()
  for (const t of texts) {
    for (const d of parseAllDocuments(t)) {
      try {
        if (d.errors.length === 0) d.toString()
      } catch {
        // The engine freezes such documents too.
      }
    }
  }
  const ms = performance.now() - t0
  return { label: 'yaml parse+print baseline', apps: apps.length, ms, perApp: ms / apps.length, rssMiB: process.resourceUsage().maxRSS / 1024, extra: `${texts.length} files` }
}

async function child(kind: string, n: number): Promise<Result> {
  if (kind === 'corpus' || kind === 'baseline') {
    const vfs = new NodeVfs(SOURCE)
    const apps = listLegacyApps(new Workspace(vfs), loadConfig(vfs)).map((a) => a.path)
    return kind === 'corpus' ? await measure(`whole source repository (${path.relative(ROOT, SOURCE)})`, vfs, apps) : baseline(vfs, apps)
  }
  const { vfs, apps } = synthetic(n)
  return await measure(`synthetic ${n} apps`, vfs, apps)
}

function runOnce(kind: string, n: number): Result {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', kind, String(n)], { encoding: 'utf8', maxBuffer: 1 << 26 })
  return JSON.parse(out) as Result
}

/** The fastest of `times` cold runs (a shared machine only ever adds time), with the highest peak memory. */
function run(kind: string, n = 0, times = 1): Result {
  const rs = Array.from({ length: times }, () => runOnce(kind, n))
  const best = rs.reduce((a, b) => (b.ms < a.ms ? b : a))
  return { ...best, rssMiB: Math.max(...rs.map((r) => r.rssMiB)), extra: `${best.extra ?? ''}${times > 1 ? ` (best of ${times})` : ''}` }
}

function coldStart(): string[] {
  const time = (args: string[], runs = 7) => {
    const ts: number[] = []
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now()
      execFileSync(process.execPath, args, { stdio: 'ignore', cwd: ROOT })
      ts.push(performance.now() - t0)
    }
    return ts.sort((a, b) => a - b)[Math.floor(runs / 2)]
  }
  const bare = time(['-e', '0'])
  const bin = path.join(ROOT, 'bin/bitty2chongus.js')
  const version = time([bin, '--version'])
  const one = time([bin, 'migrate', 'cluster-cd/apps/bitty/default/webapp', '--repo', 'examples/home-ops'])
  return [
    `node -e 0: ${bare.toFixed(0)} ms`,
    `bitty2chongus --version: ${version.toFixed(0)} ms (+${(version - bare).toFixed(0)} ms over bare node)`,
    `one-app migrate (examples/home-ops): ${one.toFixed(0)} ms (+${(one - bare).toFixed(0)} ms over bare node)`,
  ]
}

if (process.argv[2] === '--child') {
  process.stdout.write(JSON.stringify(await child(process.argv[3], Number(process.argv[4]))))
} else {
  const rows: Result[] = [run('corpus', 0, 5), run('baseline', 0, 5), run('synthetic', 100, 3), run('synthetic', 500), run('synthetic', 2000)]
  const line = (r: Result) => `${r.label.padEnd(58)} ${String(r.apps).padStart(5)} apps ${r.ms.toFixed(0).padStart(7)} ms ${r.perApp.toFixed(2).padStart(7)} ms/app ${r.rssMiB.toFixed(0).padStart(6)} MiB peak  ${r.extra ?? ''}`
  process.stdout.write(rows.map(line).join('\n') + '\n')
  process.stdout.write(`engine overhead (migration / yaml baseline): ${(rows[0].ms / rows[1].ms).toFixed(2)}x\n`)
  process.stdout.write(`per-app time 2000 vs 100 apps: ${(rows[4].perApp / rows[2].perApp).toFixed(2)}x\n`)
  process.stdout.write(coldStart().join('\n') + '\n')
}
