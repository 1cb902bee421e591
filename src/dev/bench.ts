/**
 * `npm run bench`: wall time, per-app time and peak memory of whole-repository migrations, against a
 * parse-and-print baseline with `yaml` alone, at growing synthetic scales, and the CLI's cold start.
 * Each measurement runs in a child process so that its peak RSS is its own.
 */
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'
import { listLegacyApps } from '../app.ts'
import { NodeVfs } from '../fs.ts'
import { checkDraft, draftApps, loadConfig, migrate, setUp } from '../migrate.ts'
import { MemoryVfs, walk, type Vfs } from '../vfs.ts'
import { Workspace } from '../workspace.ts'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(HERE, '../../..')
const CORPUS = process.env.B2C_CORPUS ?? path.resolve(ROOT, '../shared/corpus/legacy')
const SOURCE = fs.existsSync(CORPUS) ? CORPUS : path.resolve(ROOT, 'examples/home-ops')

/** `ms`: wall time; `cpuMs`: CPU time of the process over the same span (less swayed by other load on the machine). */
type Result = { label: string; apps: number; ms: number; cpuMs: number; perApp: number; rssMiB: number; extra?: string; pipelineMs?: number }

const cpuNow = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

function readAll(vfs: Vfs): Map<string, string> {
  const m = new Map<string, string>()
  for (const p of walk(vfs, '')) {
    const t = vfs.read(p)
    if (t !== undefined) m.set(p, t)
  }
  return m
}

/** Every legacy app folder of a repository. */
function appPaths(vfs: Vfs): string[] {
  return listLegacyApps(new Workspace(vfs), loadConfig(vfs)).map((a) => a.path)
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
  const c0 = cpuNow()
  const t0 = performance.now()
  const r = await migrate({ repo: vfs, apps })
  const ms = performance.now() - t0
  return { label, apps: apps.length, ms, cpuMs: cpuNow() - c0, perApp: ms / apps.length, rssMiB: process.resourceUsage().maxRSS / 1024, extra: `${r.changes.length} files changed, ${r.diagnostics.length} diagnostics` }
}

/** `yaml` alone parsing and printing `texts`, as a migration would if it did nothing else. */
function parsePrint(label: string, apps: number, texts: string[]): Result {
  const c0 = cpuNow()
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
  return { label, apps, ms, cpuMs: cpuNow() - c0, perApp: ms / apps, rssMiB: process.resourceUsage().maxRSS / 1024, extra: `${texts.length} files, ${(texts.reduce((n, t) => n + t.length, 0) / 1024).toFixed(0)} KiB` }
}

function baseline(vfs: Vfs, apps: string[]): Result {
  const ws = new Workspace(vfs)
  const files = apps.flatMap((a) => ws.filesUnder(a)).filter((f) => /\.ya?ml$/.test(f.path))
  return parsePrint("yaml parse+print of the apps' own files", apps.length, files.map((f) => f.before ?? ''))
}

/** A repository that remembers which files were read. */
class RecordingVfs implements Vfs {
  readonly paths = new Set<string>()
  constructor(private readonly base: Vfs) {}
  read(p: string): string | undefined {
    this.paths.add(p)
    return this.base.read(p)
  }
  isDir(p: string): boolean {
    return this.base.isDir(p)
  }
  list(p: string): string[] | undefined {
    return this.base.list(p)
  }
}

/**
 * Every YAML text the migration cannot avoid reading once: the files it read (the apps, and the shared files their
 * migration and its check need) and the files it wrote (which its check reads). Made in a child of its own, so the
 * baseline over them runs as cold as the others.
 */
async function everyText(file: string): Promise<void> {
  const vfs = new RecordingVfs(new NodeVfs(SOURCE))
  const apps = appPaths(vfs)
  const r = await migrate({ repo: vfs, apps })
  const texts = new Set<string>()
  for (const p of vfs.paths) {
    const t = /\.ya?ml$/i.test(p) ? vfs.read(p) : undefined
    if (t !== undefined) texts.add(t)
  }
  for (const c of r.changes) if (/\.ya?ml$/i.test(c.path) && c.after !== undefined) texts.add(c.after)
  fs.writeFileSync(file, JSON.stringify({ apps: apps.length, texts: [...texts] }))
}

/** One measurement; `arg` is the number of synthetic apps, or the file of texts for `read-and-written`. */
async function child(kind: string, arg: string): Promise<Result> {
  if (kind === 'read-and-written') {
    const { apps, texts } = JSON.parse(fs.readFileSync(arg, 'utf8')) as { apps: number; texts: string[] }
    return parsePrint('yaml parse+print of every YAML text read or written', apps, texts)
  }
  if (kind === 'phases') {
    // migrate() in its two halves: the pipeline over every app, then the check of what it made.
    const vfs = new NodeVfs(SOURCE)
    const apps = appPaths(vfs)
    const c0 = cpuNow()
    const t0 = performance.now()
    const setup = setUp({ repo: vfs })
    const draft = draftApps(setup, { apps })
    const t1 = performance.now()
    await checkDraft(setup, draft, {})
    const ms = performance.now() - t0
    return { label: 'the same: the pipeline, then the check', apps: apps.length, ms, cpuMs: cpuNow() - c0, perApp: ms / apps.length, rssMiB: process.resourceUsage().maxRSS / 1024, extra: `pipeline ${(t1 - t0).toFixed(0)} ms, check ${(performance.now() - t1).toFixed(0)} ms`, pipelineMs: t1 - t0 }
  }
  if (kind === 'corpus' || kind === 'baseline') {
    const vfs = new NodeVfs(SOURCE)
    const apps = appPaths(vfs)
    return kind === 'corpus' ? await measure(`whole source repository (${path.relative(ROOT, SOURCE)})`, vfs, apps) : baseline(vfs, apps)
  }
  const n = Number(arg)
  const { vfs, apps } = synthetic(n)
  return await measure(`synthetic ${n} apps`, vfs, apps)
}

function runOnce(kind: string, n: number | string): Result {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', kind, String(n)], { encoding: 'utf8', maxBuffer: 1 << 26 })
  return JSON.parse(out) as Result
}

/** The fastest of cold runs (a shared machine only ever adds time), with the highest peak memory. */
function fastest(rs: Result[]): Result {
  const best = rs.reduce((a, b) => (b.ms < a.ms ? b : a))
  return { ...best, rssMiB: Math.max(...rs.map((r) => r.rssMiB)), extra: `${best.extra ?? ''}${rs.length > 1 ? ` (best of ${rs.length})` : ''}` }
}

function run(kind: string, n: number | string = 0, times = 1): Result {
  return fastest(Array.from({ length: times }, () => runOnce(kind, n)))
}

/**
 * Measurements compared with each other, taken in rounds (one run of each per round) so that a busy spell of the
 * machine weighs on all of them alike: the fastest run of each, and each round's times.
 */
function inRounds(kinds: [string, number | string][], times: number): { best: Result[]; rounds: Result[][] } {
  const runs: Result[][] = kinds.map(() => [])
  const rounds: Result[][] = []
  for (let i = 0; i < times; i++) {
    const round = kinds.map(([kind, n], k) => {
      const r = runOnce(kind, n)
      runs[k].push(r)
      return r
    })
    rounds.push(round)
  }
  return { best: runs.map(fastest), rounds }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
/** `best a / best b`, the median and range of the rounds' own ratios, and the median ratio of CPU times. */
function ratio(label: string, best: Result[], rounds: Result[][], a: number, b: number): string {
  const per = rounds.map((r) => r[a].ms / r[b].ms)
  const cpu = rounds.map((r) => r[a].cpuMs / r[b].cpuMs)
  return `${label}: ${(best[a].ms / best[b].ms).toFixed(2)}x (fastest runs; per round median ${median(per).toFixed(2)}x, ${Math.min(...per).toFixed(2)}-${Math.max(...per).toFixed(2)}x; CPU time per round median ${median(cpu).toFixed(2)}x)\n`
}

/**
 * Start-up against a bare `node -e 0`, each command run right after a bare start so that both see the machine in
 * the same state: the median of the differences of `runs` rounds.
 */
function coldStart(runs = 15): string[] {
  const time = (args: string[]) => {
    const t0 = performance.now()
    execFileSync(process.execPath, args, { stdio: 'ignore', cwd: ROOT })
    return performance.now() - t0
  }
  const bin = path.join(ROOT, 'bin/bitty2chongus.js')
  const commands = { '--version': [bin, '--version'], 'one-app migrate (examples/home-ops)': [bin, 'migrate', 'cluster-cd/apps/bitty/default/webapp', '--repo', 'examples/home-ops'] }
  const bare: number[] = []
  const over = new Map<string, number[]>(Object.keys(commands).map((k) => [k, []]))
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(commands)) {
      const b = time(['-e', '0'])
      bare.push(b)
      over.get(name)!.push(time(args) - b)
    }
  }
  return [`node -e 0: ${median(bare).toFixed(0)} ms (median of ${bare.length})`, ...[...over].map(([name, xs]) => `bitty2chongus ${name}: +${median(xs).toFixed(0)} ms over bare node (median of ${runs} paired runs; best ${Math.min(...xs) >= 0 ? '+' : ''}${Math.min(...xs).toFixed(0)})`)]
}

/** The corpus (or the example) migrated by the CLI in one process: the whole command, start-up and output included. */
function cliWhole(apps: string[], times = 3): string {
  const bin = path.join(ROOT, 'bin/bitty2chongus.js')
  const ms: number[] = []
  for (let i = 0; i < times; i++) {
    const t0 = performance.now()
    try {
      execFileSync(process.execPath, [bin, 'migrate', ...apps, '--repo', SOURCE, '--format', 'json'], { stdio: 'ignore', cwd: ROOT })
    } catch {
      // Apps the migration refuses make it exit 1; the time is what is measured.
    }
    ms.push(performance.now() - t0)
  }
  return `whole source repository through the CLI (one process, start-up and output included): ${Math.min(...ms).toFixed(0)} ms (best of ${times})`
}

if (process.argv[2] === '--texts') {
  await everyText(process.argv[3])
} else if (process.argv[2] === '--child') {
  process.stdout.write(JSON.stringify(await child(process.argv[3], process.argv[4])))
} else {
  const textsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-bench-')), 'texts.json')
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--texts', textsFile], { stdio: 'ignore' })
  const { best, rounds } = inRounds([['corpus', 0], ['baseline', 0], ['read-and-written', textsFile], ['phases', 0]], 7)
  fs.rmSync(path.dirname(textsFile), { recursive: true, force: true })
  const rows: Result[] = [...best, run('synthetic', 100, 3), run('synthetic', 500), run('synthetic', 2000)]
  const line = (r: Result) => `${r.label.padEnd(58)} ${String(r.apps).padStart(5)} apps ${r.ms.toFixed(0).padStart(7)} ms ${r.perApp.toFixed(2).padStart(7)} ms/app ${r.rssMiB.toFixed(0).padStart(6)} MiB peak  ${r.extra ?? ''}`
  process.stdout.write(rows.map(line).join('\n') + '\n')
  // The engine's overhead is measured against yaml doing the YAML work the migration cannot avoid: parsing and
  // printing every text it reads (the apps' files and the shared ones) and every text it writes (which its check
  // parses back). The ratio to the apps' own files alone, which leaves out the shared files and every file the
  // migration writes, is printed beside it.
  process.stdout.write(ratio('engine overhead (migration / yaml over every text it reads or writes once; goal <= 3x)', best, rounds, 0, 2))
  process.stdout.write(ratio('  beside it: migration / yaml over the apps\' own files only', best, rounds, 0, 1))
  const pipeline = rounds.map((r) => r[3].pipelineMs! / r[1].ms)
  process.stdout.write(`  beside it: the pipeline alone (no check) / yaml over the apps' own files: per round median ${median(pipeline).toFixed(2)}x, ${Math.min(...pipeline).toFixed(2)}-${Math.max(...pipeline).toFixed(2)}x\n`)
  process.stdout.write(`per-app time 2000 vs 100 apps: ${(rows[6].perApp / rows[4].perApp).toFixed(2)}x (goal <= 1.3x; peak memory at 2000 apps: goal < 1 GiB)\n`)
  const vfs = new NodeVfs(SOURCE)
  process.stdout.write(cliWhole(appPaths(vfs)) + '\n')
  process.stdout.write(coldStart().join('\n') + '\n')
}
