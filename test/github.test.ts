import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { parseGitHubRemote, parseRepoSlug } from '../src/github.ts'
import { NOTES, git, gitState, pr, repoWithRemote } from './git-fixture.ts'

interface Recorded {
  method: string
  url: string
  auth: string | undefined
  body: unknown
}
type Reply = { status: number; body: unknown }

/** A fake GitHub API on 127.0.0.1 that records every request; closed after each test. */
let server: http.Server | undefined
async function fakeGitHub(reply: (r: Recorded) => Reply): Promise<{ url: string; requests: Recorded[] }> {
  const requests: Recorded[] = []
  server = http.createServer((req, res) => {
    let data = ''
    req.on('data', (c) => (data += c))
    req.on('end', () => {
      const rec: Recorded = { method: req.method!, url: req.url!, auth: req.headers.authorization, body: data ? JSON.parse(data) : undefined }
      requests.push(rec)
      const r = reply(rec)
      res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8' })
      res.end(JSON.stringify(r.body))
    })
  })
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests }
}

afterEach(async () => {
  const s = server
  server = undefined
  if (s) await new Promise((ok) => s.close(ok))
})

const TITLE = 'feat(notes): migrate notes from bitty to chongus'
const pull = (n: number, body: string, title = TITLE) => ({ number: n, html_url: `https://github.example/o/r/pull/${n}`, title, body, head: { ref: 'migrate/notes' }, base: { ref: 'main' } })
const env = (url: string) => ({ GITHUB_TOKEN: 'test-token', GITHUB_API_URL: url })
const ARGS = [NOTES, '--push', '--github', 'o/r']

describe('pr on GitHub', { timeout: 60_000 }, () => {
  it('opens the pull request with the description, then leaves it alone on a second run', async () => {
    const { dir } = repoWithRemote()
    let open: ReturnType<typeof pull> | undefined
    const gh = await fakeGitHub((r) => {
      if (r.method === 'GET') return { status: 200, body: open ? [open] : [] }
      const b = r.body as { body: string }
      open = pull(7, b.body)
      return { status: 201, body: open }
    })
    const first = await pr(dir, ARGS, env(gh.url))
    expect(first.code).toBe(0)
    expect(first.err).toContain('migrate/notes: pull request #7 created: https://github.example/o/r/pull/7')
    expect(gh.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /repos/o/r/pulls?head=o%3Amigrate%2Fnotes&state=open&per_page=10', 'POST /repos/o/r/pulls'])
    expect(gh.requests[1].auth).toBe('token test-token')
    expect(gh.requests[1].body).toEqual({ head: 'migrate/notes', base: 'main', title: TITLE, body: first.out })
    expect(first.out).toContain('## Reviewer checklist')

    const second = await pr(dir, ARGS, env(gh.url))
    expect(second.code).toBe(0)
    expect(second.err).toContain('migrate/notes: origin is up to date')
    expect(second.err).toContain('migrate/notes: pull request #7 is up to date')
    expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET'])
  })

  it('updates the open pull request of the branch instead of opening a second one', async () => {
    const { dir } = repoWithRemote()
    const gh = await fakeGitHub((r) => (r.method === 'GET' ? { status: 200, body: [pull(3, 'an older description')] } : { status: 200, body: pull(3, (r.body as { body: string }).body) }))
    const r = await pr(dir, ARGS, env(gh.url))
    expect(r.code).toBe(0)
    expect(gh.requests.map((x) => `${x.method} ${x.url}`)).toEqual(['GET /repos/o/r/pulls?head=o%3Amigrate%2Fnotes&state=open&per_page=10', 'PATCH /repos/o/r/pulls/3'])
    expect(gh.requests[1].body).toEqual({ title: TITLE, body: r.out, base: 'main' })
    expect(r.err).toContain('migrate/notes: pull request #3 updated')
  })

  it.each([
    [422, { message: 'Validation Failed', errors: [{ message: 'No commits between main and migrate/notes' }] }, /GitHub answered HTTP 422 to POST \/repos\/o\/r\/pulls: Validation Failed; No commits between main and migrate\/notes/],
    [401, { message: 'Bad credentials' }, /GitHub answered HTTP 401 to POST \/repos\/o\/r\/pulls: Bad credentials \(GITHUB_TOKEN was refused/],
    [502, { message: 'Server Error' }, /GitHub answered HTTP 502 to POST \/repos\/o\/r\/pulls: Server Error \(GitHub had a problem: try again later\)/],
  ])('gives a clear error for HTTP %i, exit 2, and leaves local git as it was', async (status, body, message) => {
    const { dir, remote } = repoWithRemote()
    const gh = await fakeGitHub((r) => (r.method === 'GET' ? { status: 200, body: [] } : { status, body }))
    const before = gitState(dir)
    const r = await pr(dir, ARGS, env(gh.url))
    expect(r.code).toBe(2)
    expect(r.err).toMatch(message)
    expect(r.err).toContain('(already pushed to origin: migrate/notes; a rerun reuses them); local branches are as they were')
    expect(gitState(dir)).toEqual(before)
    // The push could not be taken back; the rerun finds it and opens the pull request.
    expect(git(remote, 'rev-parse', 'migrate/notes')).toMatch(/^[0-9a-f]{40}/)
  })

  it('says when GitHub cannot be reached, exit 2, and leaves local git as it was', async () => {
    const { dir } = repoWithRemote()
    const gh = await fakeGitHub(() => ({ status: 200, body: [] }))
    await new Promise((ok) => server!.close(ok))
    server = undefined
    const before = gitState(dir)
    const r = await pr(dir, ARGS, env(gh.url))
    expect(r.code).toBe(2)
    expect(r.err).toMatch(new RegExp(`could not reach GitHub at ${gh.url} \\(GET /repos/o/r/pulls\\?.*\\): .*ECONNREFUSED`))
    expect(gitState(dir)).toEqual(before)
  })

  it('refuses a token with a remote that is not on GitHub and no --github, before changing anything', async () => {
    const { dir } = repoWithRemote()
    const before = gitState(dir)
    const r = await pr(dir, [NOTES, '--push'], { GITHUB_TOKEN: 'x' })
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/GITHUB_TOKEN is set, but remote origin \(.*\) is not on github.com: pass --github owner\/repo/)
    expect(gitState(dir)).toEqual(before)
  })
})

describe('GitHub repository names', () => {
  it.each([
    ['git@github.com:rtrox/home-ops.git', 'rtrox/home-ops'],
    ['https://github.com/rtrox/home-ops', 'rtrox/home-ops'],
    ['https://x-access-token:abc@github.com/rtrox/home-ops.git', 'rtrox/home-ops'],
    ['ssh://git@github.com/rtrox/home.ops.git', 'rtrox/home.ops'],
  ])('reads %s as %s', (url, slug) => {
    const r = parseGitHubRemote(url)!
    expect(`${r.owner}/${r.repo}`).toBe(slug)
  })

  it.each(['/srv/git/home-ops.git', 'https://gitlab.com/a/b.git', 'git@github.com:only-owner'])('finds no GitHub repository in %s', (url) => {
    expect(parseGitHubRemote(url)).toBeUndefined()
  })

  it('reads owner/repo and refuses anything else', () => {
    expect(parseRepoSlug('o/r')).toEqual({ owner: 'o', repo: 'r' })
    expect(parseRepoSlug('o/r/x')).toBeUndefined()
  })
})
