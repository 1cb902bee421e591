/**
 * Every error class of README's "Errors and exit codes" tables, triggered the way a user meets it (through the CLI
 * in memory, but for the classes only the library can reach): its exit code, a message that says where, no stack
 * trace. The tables list exactly these classes, and the run errors are exactly the codes of `MigrationError`.
 */
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { loadTsMorph } from '../src/dev/ts-morph.ts'
import { ERROR_CODES, MigrationError } from '../src/errors.ts'
import { migrate } from '../src/migrate.ts'
import { defineTransform } from '../src/transform-api.ts'
import { builtinTransforms } from '../transforms/index.ts'
import { NOTES, git, pr, repoWithRemote } from './git-fixture.ts'
import { cliIo, readTree, writeTree } from './helpers.ts'

const README = fs.readFileSync(path.resolve(__dirname, '../README.md'), 'utf8')
const BASIC = readTree(path.resolve(__dirname, '../golden/ks-layout--basic/input'))
const APP = 'cluster-cd/apps/bitty/default/webapp'
const HR = `${APP}/app/helmrelease.yaml`
const KUST = `${APP}/app/kustomization.yaml`

/** A temporary repository: the basic golden input with some files replaced (a Buffer writes raw bytes). */
function repo(changes: Record<string, string | Buffer | ((before: string) => string)> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-err-'))
  writeTree(dir, BASIC)
  for (const [p, c] of Object.entries(changes)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true })
    fs.writeFileSync(path.join(dir, p), typeof c === 'function' ? c(BASIC[p] ?? '') : c)
  }
  return dir
}

/** Runs the CLI in memory; the run never prints a stack trace. */
async function cli(argv: string[], extra: Parameters<typeof cliIo>[1] = {}) {
  const t = cliIo(process.cwd(), extra)
  const code = await main(argv, t.io)
  expect(t.err()).not.toMatch(/internal error|^\s+at .+:\d+:\d+\)?$/m)
  return { code, out: t.out(), err: t.err() }
}

/** The release uses a variable nothing defines. */
const undefinedVariable = { [HR]: (t: string) => t.replace('UMASK: 0022', 'UMASK: ${NOWHERE_TZ}') }

const migrateIn = (dir: string, ...more: string[]) => cli(['migrate', APP, '--repo', dir, ...more])

/** The message of the `MigrationError` with `code` that `run` rejects with (else what it did instead). */
function thrown(run: Promise<unknown>, code: string): Promise<string> {
  return run.then(
    () => 'no error',
    (e: unknown) => (e instanceof MigrationError && e.code === code ? e.message : `not ${code}: ${String(e)}`),
  )
}

/** A local port nothing listens on (any more). */
async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const { port } = server.address() as net.AddressInfo
  await new Promise((ok) => server.close(ok))
  return port
}

/** What a class must do: its exit code and what stderr says. */
interface Expectation {
  code: 0 | 1 | 2
  /** What stderr must contain: the place (file:line:col, path, argument or URL) and the class. */
  says: string | RegExp
}

/** A class, triggered: the expectation, what was printed (`err`) and the exit code it got. */
type Trigger = () => Promise<Expectation & { err: string; got: number }>

/** Run errors (exit 2), by `MigrationError` code. */
const RUN_ERRORS: Record<string, Trigger> = {
  USAGE: async () => {
    const r = await migrateIn(repo(), '--var', 'TZ')
    return { code: 2, says: 'bitty2chongus: --var TZ: expected KEY=VALUE', err: r.err, got: r.code }
  },
  CONFIG: async () => {
    const r = await migrateIn(repo({ '.bitty2chongus.yaml': 'variables:\n  SECRET_DOMAIN: example.net\n\tCLUSTER_NAME: chongus\n' }))
    return { code: 2, says: /bitty2chongus: \.bitty2chongus\.yaml:3:1: /, err: r.err, got: r.code }
  },
  UNKNOWN_TRANSFORM: async () => {
    const r = await migrateIn(repo(), '--only', 'ks-layot')
    return { code: 2, says: 'bitty2chongus: unknown transform ks-layot (known: ks-layout,', err: r.err, got: r.code }
  },
  ORDER: async () => {
    // Only a library pipeline can be out of order: the CLI always runs the built-in one.
    const late = defineTransform({ id: 'late', description: 'runs after a transform that is not there', after: ['ks-layout'], apply() {} })
    const err = await thrown(migrate({ repo: BASIC, apps: [APP], transforms: [late] }), 'ORDER')
    return { code: 2, says: 'transform late runs after ks-layout, which is not in the pipeline', err, got: 2 }
  },
  READ_FAILED: async () => {
    const file = path.join(repo(), '.bitty2chongus.yaml')
    const r = await migrateIn(file)
    return { code: 2, says: `bitty2chongus: repository root ${file} is not a directory`, err: r.err, got: r.code }
  },
  WRITE_FAILED: async () => {
    const dir = repo()
    const before = readTree(dir)
    const writeFs = { ...fs, writeFileSync: () => { throw new Error('ENOSPC: no space left on device') } } as never
    const r = await cli(['migrate', APP, '--repo', dir, '--write'], { writeFs })
    expect(readTree(dir)).toEqual(before)
    return { code: 2, says: /bitty2chongus: writing cluster-apps\/chongus\/\S+ failed, nothing was changed: ENOSPC/, err: r.err, got: r.code }
  },
  NOT_AN_APP: async () => {
    const r = await cli(['migrate', 'cluster-cd/apps/bitty/default', '--repo', repo()])
    return { code: 2, says: 'bitty2chongus: cluster-cd/apps/bitty/default is not a legacy app folder: expected cluster-cd/apps/<cluster>/<namespace>/<app>', err: r.err, got: r.code }
  },
  GIT: async () => {
    const dir = repo()
    const r = await cli(['pr', APP, '--repo', dir])
    return { code: 2, says: `bitty2chongus: ${fs.realpathSync(dir)} is not inside a git work tree`, err: r.err, got: r.code }
  },
  DIRTY: async () => {
    const { dir } = repoWithRemote()
    fs.appendFileSync(path.join(dir, NOTES, 'ks.yaml'), '# local edit\n')
    const r = await pr(dir, [NOTES])
    return { code: 2, says: `bitty2chongus: the working tree has uncommitted changes: ${NOTES}/ks.yaml.`, err: r.err, got: r.code }
  },
  GITHUB: async () => {
    const { dir } = repoWithRemote()
    const url = `http://127.0.0.1:${await closedPort()}`
    const r = await pr(dir, [NOTES, '--push', '--github', 'o/r'], { GITHUB_TOKEN: 'test-token', GITHUB_API_URL: url })
    expect(git(dir, 'status', '--porcelain')).toBe('')
    return { code: 2, says: `bitty2chongus: could not reach GitHub at ${url} (GET /repos/o/r/pulls?`, err: r.err, got: r.code }
  },
  MISSING_DEPENDENCY: async () => {
    // The CLI without ts-morph installed is run in test/lazy-ts-morph.test.ts (a copy of the package without it).
    const missing = Object.assign(new Error("Cannot find package 'ts-morph'"), { code: 'ERR_MODULE_NOT_FOUND' })
    const err = await thrown(loadTsMorph(() => Promise.reject(missing)), 'MISSING_DEPENDENCY')
    return { code: 2, says: 'this command needs ts-morph, a development dependency: run npm install --save-dev ts-morph', err, got: 2 }
  },
}

/** Runs that finish with error diagnostics (exit 1), by the class README names. */
const DIAGNOSED: Record<string, Trigger> = {
  'bad YAML': async () => {
    const r = await migrateIn(repo({ [HR]: (t) => t.replace('  name: webapp', '\tname: webapp') }))
    return { code: 1, says: new RegExp(`^${HR}:5:1: error yaml/TAB_AS_INDENT `, 'm'), err: r.err, got: r.code }
  },
  'not UTF-8': async () => {
    const r = await migrateIn(repo({ [HR]: (t) => t }), '--only', 'ks-layout')
    const bad = await migrateIn(repo({ [`${APP}/app/notes.txt`]: Buffer.from('caf\xe9\n', 'latin1'), [KUST]: (t) => `${t}configMapGenerator:\n  - name: notes\n    files: [./notes.txt]\n` }))
    expect(r.code).toBe(0)
    return { code: 1, says: new RegExp(`^${APP}/app/notes.txt:1:4: error app/invalid-utf8 `, 'm'), err: bad.err, got: bad.code }
  },
  'path beyond the repository root': async () => {
    const r = await migrateIn(repo({ [KUST]: (t) => t.replace('helmrelease.yaml', '../../../../../../../../etc/passwd') }))
    return { code: 1, says: new RegExp(`^${KUST}:7:5: error ks-layout/path-outside-repository resources entry \\S+ leaves the repository root`, 'm'), err: r.err, got: r.code }
  },
  'symlink out of the repository': async () => {
    const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-out-')), 'helmrelease.yaml')
    fs.writeFileSync(outside, BASIC[HR])
    const dir = repo()
    fs.rmSync(path.join(dir, HR))
    fs.symlinkSync(outside, path.join(dir, HR))
    const r = await migrateIn(dir)
    return { code: 1, says: new RegExp(`^${KUST}:7:5: error ks-layout/missing-path resources entry helmrelease.yaml is a link that leaves the repository`, 'm'), err: r.err, got: r.code }
  },
  'malformed resource': async () => {
    const r = await migrateIn(repo({ [`${APP}/ks.yaml`]: (t) => t.replace('  dependsOn:\n    - name: rook-ceph-cluster\n    - name: external-secrets-stores\n    - name: nginx-internal\n', '  dependsOn:\n    name: rook-ceph-cluster\n') }))
    return { code: 1, says: new RegExp(`^${APP}/ks.yaml:14:5: error app/malformed-kustomization spec.dependsOn of Kustomization webapp is a map, not a list: Flux rejects it`, 'm'), err: r.err, got: r.code }
  },
  'unresolved spec.path': async () => {
    const r = await migrateIn(repo({ [`${APP}/ks.yaml`]: (t) => t.replace('/webapp/app', '/webap/app') }))
    return { code: 1, says: new RegExp(`^${APP}/ks.yaml:\\d+:\\d+: error app/unresolved-path spec.path `, 'm'), err: r.err, got: r.code }
  },
  'target exists': async () => {
    const r = await migrateIn(repo({ 'cluster-apps/chongus/default/webapp/ks.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: mine\n' }))
    return { code: 1, says: /^cluster-apps\/chongus\/default\/webapp\/ks\.yaml: error ks-layout\/target-exists cluster-apps\/chongus\/default\/webapp already exists and differs/m, err: r.err, got: r.code }
  },
  'target collision': async () => {
    const twin = APP.replace('/bitty/', '/other/')
    const copies = Object.fromEntries(Object.entries(BASIC).filter(([p]) => p.startsWith(`${APP}/`)).map(([p, t]) => [p.replace(APP, twin), t]))
    const r = await cli(['migrate', APP, twin, '--repo', repo(copies)])
    return { code: 1, says: new RegExp(`^${twin}/ks.yaml: error app/target-collision both ${APP} and ${twin} would migrate to cluster-apps/chongus/default/webapp`, 'm'), err: r.err, got: r.code }
  },
  'transform refusal': async () => {
    const r = await migrateIn(repo(undefinedVariable))
    return { code: 1, says: new RegExp(`^${HR}:\\d+:\\d+: error variables/missing-value \`\\$\\{NOWHERE_TZ\\}\` has no value`, 'm'), err: r.err, got: r.code }
  },
  'verify failure': async () => {
    // Without the variables transform, a legacy variable reaches Chongus unsubstituted: check finds what the migration introduced.
    const r = await migrateIn(repo({ [HR]: (t) => t.replace('UMASK: 0022', 'DOMAIN: ${SECRET_DOMAIN}') }), '--skip', 'variables')
    return { code: 1, says: /^cluster-apps\/chongus\/default\/webapp\/\S+:\d+:\d+: error check\/undefined-variable /m, err: r.err, got: r.code }
  },
  'alias in the way': async () => {
    const r = await migrateIn(repo({ [HR]: (t) => t.replace('    spec:\n      chart: app-template', '    spec: &chart\n      chart: app-template').replace('  values:', '  chartCopy: *chart\n  values:') }))
    return { code: 1, says: new RegExp(`^${HR}:\\d+:14: error helm-oci/alias-in-the-way the transform's edits would leave alias \\*chart without its anchor &chart`, 'm'), err: r.err, got: r.code }
  },
  'transform crash': async () => {
    // Only a library pipeline can hold a transform that throws; its edits are undone and it becomes a diagnostic.
    const broken = defineTransform({ id: 'broken', description: 'throws', apply() { throw new Error('boom') } })
    const r = await migrate({ repo: BASIC, apps: [APP], transforms: [...builtinTransforms, broken] })
    const d = r.diagnostics.find((x) => x.ruleId === 'broken/crashed')
    return { code: 1, says: `${APP}: error broken/crashed transform failed and was undone: boom`, err: d ? `${d.file}: ${d.severity} ${d.ruleId} ${d.message}` : '', got: r.ok ? 0 : 1 }
  },
  'changes pending (--check)': async () => {
    const r = await migrateIn(repo(), '--check')
    return { code: 1, says: /^\d+ file\(s\) changed, 0 error\(s\)/m, err: r.err, got: r.code }
  },
  'blocked app (plan)': async () => {
    const r = await cli(['plan', '--repo', repo(undefinedVariable)])
    return { code: 1, says: new RegExp(`${HR}:\\d+:\\d+`), err: r.out, got: r.code }
  },
}

async function expectOutcome(trigger: Trigger): Promise<void> {
  const r = await trigger()
  expect(r.got, r.err).toBe(r.code)
  if (typeof r.says === 'string') expect(r.err).toContain(r.says)
  else expect(r.err).toMatch(r.says)
}

/** Rows of the README table that follows `heading`: the first cell of each, without backticks. */
function tableRows(heading: string): string[] {
  const at = README.indexOf(heading)
  expect(at, `README has no "${heading}"`).toBeGreaterThanOrEqual(0)
  const rows: string[] = []
  let inTable = false
  for (const line of README.slice(at).split('\n').slice(1)) {
    if (line.startsWith('|')) inTable = true
    else if (inTable) break
    else continue
    const first = line.split('|')[1].trim()
    if (first === '---' || /^(code|class)$/.test(first)) continue
    rows.push(first.replace(/`/g, ''))
  }
  return rows
}

describe('error classes', { timeout: 60_000 }, () => {
  it('README lists exactly the MigrationError codes as run errors, and exactly the tested diagnosed classes', () => {
    expect(tableRows('Run errors (exit 2)').sort()).toEqual([...ERROR_CODES].sort())
    expect(Object.keys(RUN_ERRORS).sort()).toEqual([...ERROR_CODES].sort())
    expect(tableRows('Runs that fail with error diagnostics (exit 1)').sort()).toEqual(Object.keys(DIAGNOSED).sort())
  })

  it.each(Object.keys(RUN_ERRORS))('%s: exit 2, one line saying where', (name) => expectOutcome(RUN_ERRORS[name]))

  it.each(Object.keys(DIAGNOSED))('%s: exit 1, the error at its place', (name) => expectOutcome(DIAGNOSED[name]))
})

describe('MigrationError across copies of its module', () => {
  it('is recognised when another copy made it (the CLI bundle runs the library modules of the authoring tools)', async () => {
    // The built library's copy: another module instance than the sources the tests import.
    const other = (await import(pathToFileURL(path.resolve(__dirname, '../dist/src/errors.js')).href)) as typeof import('../src/errors.ts')
    expect(other.MigrationError).not.toBe(MigrationError)
    const e = new other.MigrationError('MISSING_DEPENDENCY', 'needs ts-morph')
    expect(e instanceof MigrationError).toBe(true)
    expect(new MigrationError('USAGE', 'x') instanceof other.MigrationError).toBe(true)
    expect(new Error('x') instanceof MigrationError).toBe(false)
    expect(Object.assign(new Error('x'), { code: 'USAGE', name: 'MigrationError' }) instanceof MigrationError).toBe(false)
    expect((null as unknown) instanceof MigrationError).toBe(false)
  })
})
