/** action.yml: its run script is executed as GitHub would, with the CLI built from this checkout. */
import { execFile, execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { YamlFile } from '../src/document.ts'
import { NOTES, git, gitEnv, repoWithRemote } from './git-fixture.ts'

const ROOT = path.resolve(__dirname, '..')
const action = new YamlFile(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')).docs[0].get([]) as {
  inputs: Record<string, { default?: string }>
  runs: { using: string; steps: { name?: string; uses?: string; run?: string; env?: Record<string, string> }[] }
}
const step = action.runs.steps.find((s) => s.name === 'Migrate and open pull requests')!

/** The action folder as GitHub checks it out, with the CLI built (what `npm ci` does there). */
let actionPath = ''
beforeAll(() => {
  actionPath = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-action-'))
  execFileSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', path.join(actionPath, 'dist')])
  // The CLI's bundle and the bundled models, as `npm run build` made them before the tests (`npm test` builds first).
  for (const d of ['dist/cli', 'dist/models']) fs.cpSync(path.join(ROOT, d), path.join(actionPath, d), { recursive: true })
  fs.cpSync(path.join(ROOT, 'bin'), path.join(actionPath, 'bin'), { recursive: true })
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(actionPath, 'package.json'))
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(actionPath, 'node_modules'))
}, 120_000)

let server: http.Server | undefined
const requests: { method: string; url: string; body: Record<string, string> | undefined }[] = []
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let data = ''
    req.on('data', (c) => (data += c))
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, body: data ? JSON.parse(data) : undefined })
      res.writeHead(req.method === 'GET' ? 200 : 201, { 'content-type': 'application/json' })
      res.end(JSON.stringify(req.method === 'GET' ? [] : { number: 1, html_url: 'https://github.example/o/r/pull/1' }))
    })
  })
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok))
})
afterAll(async () => {
  if (server) await new Promise((ok) => server!.close(ok))
})

/** Runs the step's script with the env GitHub would give it (inputs mapped as in action.yml). */
function runStep(dir: string, inputs: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string; summary: string }> {
  const summary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-summary-')), 'summary.md')
  const values: Record<string, string> = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? ''])), base: 'main', token: 'test-token', path: dir, ...inputs }
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(step.env!)) env[k] = v.replace(/\$\{\{ inputs\.([a-z-]+) \}\}/g, (_, name: string) => values[name])
  const port = (server!.address() as AddressInfo).port
  const all = { ...gitEnv(), ...env, GITHUB_ACTION_PATH: actionPath, GITHUB_REPOSITORY: 'o/r', GITHUB_API_URL: `http://127.0.0.1:${port}`, GITHUB_STEP_SUMMARY: summary }
  return new Promise((resolve) => {
    execFile('bash', ['-c', step.run!], { cwd: dir, env: all, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr, summary: fs.existsSync(summary) ? fs.readFileSync(summary, 'utf8') : '' }),
    )
  })
}

describe('action.yml', () => {
  it('is a composite action that sets Node up, installs the CLI and passes every input through the environment', () => {
    expect(action.runs.using).toBe('composite')
    expect(action.runs.steps[0].uses).toMatch(/^actions\/setup-node@v\d+$/)
    expect(action.runs.steps[1].run).toContain('npm ci --prefix "$GITHUB_ACTION_PATH"')
    const mapped = Object.values(step.env!).join(' ')
    for (const input of Object.keys(action.inputs)) expect(mapped, input).toContain(`\${{ inputs.${input} }}`)
    expect(step.run).not.toContain('${{')
  })

  it('migrates the given app, pushes its branch and opens the pull request; the description goes to the job summary', async () => {
    const { dir, remote } = repoWithRemote()
    const r = await runStep(dir, { apps: NOTES })
    expect(r.stderr).toContain('migrate/notes: pull request #1 created')
    expect(r.code).toBe(0)
    expect(git(remote, 'rev-parse', 'migrate/notes')).toBe(git(dir, 'rev-parse', 'migrate/notes'))
    const create = requests.find((q) => q.method === 'POST')!
    expect(create.url).toBe('/repos/o/r/pulls')
    expect(create.body).toMatchObject({ head: 'migrate/notes', base: 'main', title: 'feat(notes): migrate notes from bitty to chongus' })
    expect(r.summary).toBe(create.body!.body)
    expect(git(remote, 'log', '-1', '--format=%an <%ae>', 'migrate/notes').trim()).toBe('github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>')
  }, 90_000)

  it('fails with a clear annotation when neither apps nor all is given', async () => {
    const { dir } = repoWithRemote()
    const r = await runStep(dir, {})
    expect(r.code).toBe(2)
    expect(r.stdout).toContain("::error::give the legacy app folders in 'apps', or set 'all: true'")
  }, 30_000)
})
