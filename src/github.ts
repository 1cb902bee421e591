/** Pull requests through the GitHub REST API: open one per branch, or update the open one (never a second). */
import { MigrationError } from './errors.ts'
import { loadModule } from './load-module.ts'

/** `owner/repo` of a GitHub repository. */
export interface GitHubRepo {
  owner: string
  repo: string
}

/** Where and as whom to call the API. */
export interface GitHubClientOptions extends GitHubRepo {
  token: string
  /** API root (`GITHUB_API_URL` in Actions, e.g. for GitHub Enterprise); default `https://api.github.com`. */
  baseUrl?: string
  /** Per-request limit in milliseconds. */
  timeoutMs?: number
}

/** The pull request wanted for a branch. */
export interface PullRequestSpec {
  /** Branch of the same repository. */
  head: string
  base: string
  title: string
  body: string
}

/** What was done, and the pull request's number and page. */
export interface PullRequestResult {
  /** `unchanged`: an open pull request for the branch already had this title, body and base. */
  action: 'created' | 'updated' | 'unchanged'
  number: number
  url: string
}

/** `owner/repo` as given to `--github`. */
export function parseRepoSlug(s: string): GitHubRepo | undefined {
  const m = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(s.trim())
  return m ? { owner: m[1], repo: m[2].replace(/\.git$/, '') } : undefined
}

/** The repository of a github.com remote URL (https, ssh or scp-like), or undefined for any other remote. */
export function parseGitHubRemote(url: string): GitHubRepo | undefined {
  const m = /^(?:https?:\/\/(?:[^@/]+@)?github\.com\/|ssh:\/\/git@github\.com(?::\d+)?\/|git@github\.com:)([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.trim())
  return m ? parseRepoSlug(`${m[1]}/${m[2]}`) : undefined
}

/** Opens the pull request for `spec.head`, or brings the open one up to date. */
export async function openOrUpdatePullRequest(o: GitHubClientOptions, spec: PullRequestSpec): Promise<PullRequestResult> {
  const baseUrl = (o.baseUrl ?? 'https://api.github.com').replace(/\/+$/, '')
  const timeout = o.timeoutMs ?? 30_000
  // Loaded here only: `pr` needs the GitHub client, every other command starts without it.
  const { Octokit } = (await loadModule('@octokit/rest')) as typeof import('@octokit/rest')
  const octokit = new Octokit({
    auth: o.token,
    baseUrl,
    userAgent: 'bitty2chongus',
    request: { fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(timeout) }) },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  })
  const { owner, repo } = o
  try {
    const open = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${spec.head}`, state: 'open', per_page: 10 })
    const pr = open.data.find((p) => p.head.ref === spec.head)
    if (!pr) {
      const created = await octokit.rest.pulls.create({ owner, repo, head: spec.head, base: spec.base, title: spec.title, body: spec.body })
      return { action: 'created', number: created.data.number, url: created.data.html_url }
    }
    if (pr.title === spec.title && (pr.body ?? '') === spec.body && pr.base.ref === spec.base) return { action: 'unchanged', number: pr.number, url: pr.html_url }
    const updated = await octokit.rest.pulls.update({ owner, repo, pull_number: pr.number, title: spec.title, body: spec.body, base: spec.base })
    return { action: 'updated', number: updated.data.number, url: updated.data.html_url }
  } catch (e) {
    throw explain(e, baseUrl, `${owner}/${repo}`)
  }
}

const HINTS: Record<number, string> = {
  401: 'GITHUB_TOKEN was refused: check that it is valid',
  403: 'the token may lack the pull-requests: write and contents: write permissions, or a rate limit was hit',
  404: 'the repository does not exist or the token cannot see it',
  422: 'GitHub rejected the request (does the base branch exist, and was the branch pushed?)',
}

/** A `GITHUB` error naming the HTTP status and GitHub's message, or why GitHub could not be reached. */
function explain(e: unknown, baseUrl: string, slug: string): MigrationError {
  const err = e as { status?: number; response?: { data?: unknown; url?: string }; request?: { method?: string; url?: string }; message?: string }
  const where = err.request ? `${err.request.method} ${err.request.url?.replace(baseUrl, '')}` : slug
  if (err.response && typeof err.status === 'number') {
    const data = err.response.data as { message?: string; errors?: { message?: string; code?: string }[] } | undefined
    const details = [data?.message, ...(data?.errors ?? []).map((x) => x.message ?? x.code)].filter(Boolean).join('; ')
    const hint = HINTS[err.status] ?? (err.status >= 500 ? 'GitHub had a problem: try again later' : '')
    return new MigrationError('GITHUB', `GitHub answered HTTP ${err.status} to ${where}${details ? `: ${details}` : ''}${hint ? ` (${hint})` : ''}`, e)
  }
  return new MigrationError('GITHUB', `could not reach GitHub at ${baseUrl} (${where}): ${causes(e)}`, e)
}

function causes(e: unknown): string {
  const out: string[] = []
  for (let c = e as { message?: string; cause?: unknown; name?: string } | undefined, i = 0; c && i < 5; c = c.cause as typeof c, i++) {
    const m = c.name === 'TimeoutError' ? 'timed out' : c.message
    if (m && !out.includes(m)) out.push(m)
  }
  return out.join(': ') || 'unknown network error'
}
