import type { Backend } from './backends.ts'
import type { Behaviour } from './behaviour.ts'
import { hostSlug } from './hosts.ts'
import { code, type Reporter } from './report.ts'
import type { FindingPath, PathModifier, RouteFilter, RouteMatch, RouteTimeouts } from './types.ts'

/** HTTPRoute list limits (Gateway API v1.2+). */
export const LIMITS = { rules: 16, hostnames: 16, backendRefs: 16, matchesPerRule: 64, matchesPerRoute: 128 } as const

/** One (host, path) → backends pair read from the input. `host: null` is a rule without host. */
export interface Entry {
  host: string | null
  match: RouteMatch
  backends: Backend[]
  rewrite?: PathModifier
  at: FindingPath
}

export interface PlannedRule {
  matches: RouteMatch[]
  backends: Backend[]
  filters: RouteFilter[]
  timeouts?: RouteTimeouts
}

/** A route to emit: `suffix` is appended to the source's name when one source needs several routes. */
export interface PlannedRoute {
  suffix: string | undefined
  hostnames: string[]
  rules: PlannedRule[]
}

// Ingress Prefix and Gateway PathPrefix both ignore a trailing `/`, so `/a` and `/a/` are the same match.
function matchKey(m: RouteMatch): string {
  const v = m.path.type === 'PathPrefix' && m.path.value !== '/' ? m.path.value.replace(/\/+$/, '') : m.path.value
  return JSON.stringify([m.path.type, v, m.headers ?? []])
}

/** Key path of the `host` an entry came from (`…rules[i].host`, `hosts[i].host`), or of its own source. */
export function hostPath(entries: readonly Entry[], host: string): FindingPath {
  const at = entries.find((e) => e.host === host)?.at ?? []
  const cut = at.findIndex((k) => k === 'http' || k === 'paths')
  return cut > 0 ? [...at.slice(0, cut), 'host'] : [...at]
}

const actionKey = (e: Entry) => JSON.stringify([e.backends, e.rewrite ?? null])
const hostName = (h: string | null) => (h === null ? 'rules without host' : `host ${code(h)}`)

function chunk<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n))
  return out
}

/** Per-host tables in first-appearance order; a repeated match keeps its first backend. */
function tables(entries: readonly Entry[], r: Reporter): Map<string | null, Entry[]> {
  const out = new Map<string | null, Entry[]>()
  const seen = new Map<string | null, Map<string, Entry>>()
  for (const e of entries) {
    const list = out.get(e.host) ?? []
    const keys = seen.get(e.host) ?? new Map<string, Entry>()
    out.set(e.host, list)
    seen.set(e.host, keys)
    const dup = keys.get(matchKey(e.match))
    if (!dup) list.push(e), keys.set(matchKey(e.match), e)
    else if (actionKey(dup) !== actionKey(e)) {
      r.warn('path-duplicate', e.at, `${hostName(e.host)}: path ${code(e.match.path.value)} is listed twice with different backends; the first one is kept`, { loss: true })
    }
  }
  return out
}

function filtersFor(b: Behaviour, rewrite: PathModifier | undefined): RouteFilter[] {
  const filters: RouteFilter[] = []
  if (b.upstreamVhost !== undefined || rewrite !== undefined) {
    const urlRewrite: { hostname?: string; path?: PathModifier } = {}
    if (b.upstreamVhost !== undefined) urlRewrite.hostname = b.upstreamVhost
    if (rewrite !== undefined) urlRewrite.path = rewrite
    filters.push({ type: 'URLRewrite', urlRewrite })
  }
  if (b.forwardedPrefix !== undefined) {
    filters.push({ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Forwarded-Prefix', value: b.forwardedPrefix }] } })
  }
  if (b.cors) filters.push({ type: 'CORS', cors: b.cors })
  return filters
}

function rulesFor(entries: Entry[], b: Behaviour, r: Reporter): PlannedRule[] {
  const rules: PlannedRule[] = []
  let list = entries
  if (b.appRoot !== undefined) {
    const root = list.filter((e) => e.match.path.type === 'Exact' && e.match.path.value === '/')
    for (const e of root) r.warn('path-shadowed', e.at, `\`Exact /\` is shadowed by the \`app-root\` redirect, as in nginx; dropped`, { loss: true })
    list = list.filter((e) => !root.includes(e))
    const redirect = { path: { type: 'ReplaceFullPath' as const, replaceFullPath: b.appRoot }, statusCode: 302 }
    rules.push({ matches: [{ path: { type: 'Exact', value: '/' } }], backends: [], filters: [{ type: 'RequestRedirect', requestRedirect: redirect }] })
  }
  if (b.redirect) {
    const filters: RouteFilter[] = [{ type: 'RequestRedirect', requestRedirect: b.redirect }]
    for (const matches of chunk(list.map((e) => e.match), LIMITS.matchesPerRule)) rules.push({ matches, backends: [], filters })
    return rules
  }
  const byAction = new Map<string, Entry[]>()
  for (const e of list) byAction.set(actionKey(e), [...(byAction.get(actionKey(e)) ?? []), e])
  for (const group of byAction.values()) {
    const { backends, rewrite } = group[0]
    // ReplacePrefixMatch needs exactly one PathPrefix match in its rule.
    const size = rewrite?.type === 'ReplacePrefixMatch' ? 1 : LIMITS.matchesPerRule
    for (const matches of chunk(group.map((e) => e.match), size)) {
      const rule: PlannedRule = { matches, backends, filters: filtersFor(b, rewrite) }
      if (b.timeouts) rule.timeouts = b.timeouts
      rules.push(rule)
    }
  }
  return rules
}

/** Packs rules into routes within the per-route rule and match limits. */
function packRules(rules: PlannedRule[]): PlannedRule[][] {
  const out: PlannedRule[][] = []
  let cur: PlannedRule[] = []
  let matches = 0
  for (const rule of rules) {
    if (cur.length > 0 && (cur.length === LIMITS.rules || matches + rule.matches.length > LIMITS.matchesPerRoute)) out.push(cur), (cur = []), (matches = 0)
    cur.push(rule)
    matches += rule.matches.length
  }
  if (cur.length > 0) out.push(cur)
  return out
}

const join = (...parts: (string | undefined)[]) => parts.filter((p) => p !== undefined).join('-') || undefined

function wwwRedirects(hosts: string[], r: Reporter, at: FindingPath): PlannedRoute[] {
  const pairs: [string, string][] = []
  for (const h of hosts) {
    if (h.startsWith('*.')) continue
    const other = h.startsWith('www.') ? h.slice(4) : `www.${h}`
    if (!hosts.includes(other) && !pairs.some(([o]) => o === other)) pairs.push([other, h])
  }
  if (pairs.length === 0) r.info('www-redirect-unneeded', at, '`from-to-www-redirect`: every host already has its `www.` counterpart; no redirect route')
  return pairs.map(([from, to]) => ({
    suffix: pairs.length === 1 ? 'www-redirect' : `www-redirect-${hostSlug(from)}`,
    hostnames: [from],
    rules: [{ matches: [], backends: [], filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: to, statusCode: 301 } }] }],
  }))
}

/**
 * Groups entries into routes: hosts with the same rules share one route (one route applies every rule to all
 * its hostnames, so hosts with different rules need separate routes), rules share a backend, and lists stay
 * within the Gateway API limits (splitting routes, which keeps the routing, and reporting it).
 */
export function planRoutes(entries: readonly Entry[], b: Behaviour, r: Reporter, at: FindingPath): PlannedRoute[] {
  const byHost = tables(entries, r)
  const groups: { hosts: (string | null)[]; entries: Entry[]; sig: string }[] = []
  for (const [host, list] of byHost) {
    const sig = JSON.stringify(list.map((e) => JSON.stringify([matchKey(e.match), actionKey(e)])).sort())
    const same = host === null ? undefined : groups.find((g) => g.hosts[0] !== null && g.sig === sig)
    if (same) same.hosts.push(host)
    else groups.push({ hosts: [host], entries: list, sig })
  }
  const hosted = groups.filter((g) => g.hosts[0] !== null)
  if (hosted.length > 1) r.info('route-split', at, `hosts with different rules get separate HTTPRoutes (${hosted.map((g) => g.hosts.map((h) => code(h!)).join(', ')).join(' | ')})`)
  if (hosted.length > 0 && groups.length > hosted.length) {
    r.warn('host-mixed', at, 'rules with and without host: nginx never sent a listed host to the rules without host, but Gateway API precedence lets a listed host’s unmatched paths reach the route without hostnames (implementation-specific)', { loss: true })
  }
  const routes: PlannedRoute[] = []
  for (const g of groups) {
    const tooMany = g.entries.find((e) => e.backends.length > LIMITS.backendRefs)
    if (tooMany) {
      r.error('limit-exceeded', tooMany.at, `more than ${LIMITS.backendRefs} backends for one path; ${hostName(g.hosts[0])} not converted`, { loss: true })
      continue
    }
    const hostnames = g.hosts.filter((h): h is string => h !== null)
    const base = g.hosts[0] === null ? (hosted.length > 0 ? 'any-host' : undefined) : g === hosted[0] ? undefined : hostSlug(hostnames[0])
    const packs = packRules(rulesFor(g.entries, b, r))
    const hostChunks = hostnames.length === 0 ? [[]] : chunk(hostnames, LIMITS.hostnames)
    if (packs.length > 1) r.warn('limit-exceeded', at, `${packs.length} HTTPRoutes for ${hostName(g.hosts[0])}: more than ${LIMITS.rules} rules or ${LIMITS.matchesPerRoute} matches`)
    if (hostChunks.length > 1) r.warn('limit-exceeded', at, `${hostnames.length} hostnames exceed the limit of ${LIMITS.hostnames}; split over ${hostChunks.length} HTTPRoutes`)
    packs.forEach((rules, i) =>
      hostChunks.forEach((hs, j) => routes.push({ suffix: join(base, i > 0 ? `part-${i + 1}` : undefined, j > 0 ? `hosts-${j + 1}` : undefined), hostnames: hs, rules })),
    )
  }
  if (b.wwwRedirect) routes.push(...wwwRedirects([...byHost.keys()].filter((h): h is string => h !== null), r, at))
  return routes
}
