import type { Behaviour } from './behaviour.ts'
import { isPreciseHostname, resolveText } from './hosts.ts'
import { invalidPathReason } from './paths.ts'
import { asBool, asInt, code, type Reporter } from './report.ts'
import type { ConvertOptions, CorsPolicy, FindingPath, RequestRedirect } from './types.ts'

/** One annotation being translated, with the whole set for annotations that read their siblings. */
export interface AnnotationCtx {
  key: string
  /** The name without the `nginx.ingress.kubernetes.io/` prefix. */
  name: string
  value: string
  at: FindingPath
  all: Readonly<Record<string, string>>
  b: Behaviour
  r: Reporter
  opts: ConvertOptions
}

type Handler = (c: AnnotationCtx) => void

const nginx = (all: Readonly<Record<string, string>>, name: string) => all[`nginx.ingress.kubernetes.io/${name}`]
const done = (c: AnnotationCtx, what: string) => c.r.info('annotation-translated', c.at, `${code(c.key)} → ${what}`)
const noop = (c: AnnotationCtx, why: string) => c.r.info('annotation-dropped', c.at, `${code(c.key)} dropped: ${why}`)
const notConverted = (c: AnnotationCtx, why: string) => c.r.warn('annotation-not-converted', c.at, `${code(c.key)} not converted: ${why}`, { loss: true })

/** Gateway API durations allow at most five digits per unit (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`). */
export function formatDuration(seconds: number): string {
  if (seconds <= 99999) return `${seconds}s`
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return `${h}h${m ? `${m}m` : ''}${s ? `${s}s` : ''}`
}

function timeout(c: AnnotationCtx): void {
  const secs = asInt(c.value)
  if (secs === undefined || secs === 0) return notConverted(c, `${code(c.value)} is not a positive number of seconds`)
  if (c.name === 'proxy-connect-timeout') {
    return notConverted(c, `Gateway API has no connect timeout; use an Envoy Gateway \`BackendTrafficPolicy\` \`timeout.tcp.connectTimeout: ${formatDuration(secs)}\``)
  }
  // nginx applies read and send separately; the route deadline must outlast the longer one.
  const longest = Math.max(...['proxy-read-timeout', 'proxy-send-timeout'].map((n) => asInt(nginx(c.all, n)) ?? 0))
  c.b.timeouts = { request: formatDuration(longest) }
  c.r.warn('annotation-approximated', c.at, `${code(c.key)}: ${code(c.value)} → \`timeouts.request: ${formatDuration(longest)}\` on every rule`, {
    hint: 'nginx timed each read/send (an idle timeout); Gateway API `request` is a deadline for the whole request, so a stream open longer than this is cut (Envoy Gateway otherwise cuts requests at 15s)',
    loss: true,
  })
}

const NGINX_CORS = {
  origins: '*',
  methods: 'GET, PUT, POST, DELETE, PATCH, OPTIONS',
  headers: 'DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization',
}
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', '*'])
const list = (s: string) => s.split(',').map((x) => x.trim()).filter((x) => x !== '')

// Patterns of the HTTPRoute CRD: a value outside them makes the whole route invalid.
const ORIGIN = /(^\*$)|(^(http(s)?):\/\/(((\*\.)?([a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)$)/
const HEADER = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/

/** Keeps the items the CRD accepts (at most `max`), reporting the others. */
function valid(c: AnnotationCtx, what: string, items: string[], ok: (s: string) => boolean, max: number): string[] {
  const kept = items.filter(ok).slice(0, max)
  const left = items.filter((x) => !kept.includes(x))
  if (left.length > 0) c.r.warn('annotation-approximated', c.at, `${code(c.key)}: ${left.map(code).join(', ')} left out of the CORS ${what} (not accepted by Gateway API, or over ${max})`, { loss: true })
  return kept
}

function cors(c: AnnotationCtx): void {
  if (c.name !== 'enable-cors') {
    if (asBool(nginx(c.all, 'enable-cors'))) return done(c, 'part of the `CORS` filter')
    return noop(c, 'nginx ignores it without `enable-cors: "true"`')
  }
  if (!asBool(c.value)) return noop(c, 'CORS is off')
  const get = (n: string) => nginx(c.all, n)
  const policy: CorsPolicy = {}
  const origins = valid(c, 'origins', list(get('cors-allow-origin') ?? NGINX_CORS.origins), (o) => ORIGIN.test(o), 64)
  const methods = valid(c, 'methods', list(get('cors-allow-methods') ?? NGINX_CORS.methods).map((m) => m.toUpperCase()), (m) => METHODS.has(m), 9)
  const headers = valid(c, 'headers', list(get('cors-allow-headers') ?? NGINX_CORS.headers), (h) => HEADER.test(h), 64)
  const expose = valid(c, 'exposed headers', list(get('cors-expose-headers') ?? ''), (h) => HEADER.test(h), 64)
  if (origins.length > 0) policy.allowOrigins = origins
  if (methods.length > 0) policy.allowMethods = methods
  if (headers.length > 0) policy.allowHeaders = headers
  if (expose.length > 0) policy.exposeHeaders = expose
  policy.allowCredentials = get('cors-allow-credentials') === undefined ? true : asBool(get('cors-allow-credentials'))
  const maxAge = asInt(get('cors-max-age')) ?? 1728000
  if (maxAge >= 1) policy.maxAge = maxAge
  c.b.cors = policy
  done(c, 'a `CORS` filter with nginx’s defaults for the unset `cors-*` keys (standard from Gateway API v1.5; older CRDs need an Envoy Gateway `SecurityPolicy.cors`)')
}

function redirectStatus(c: AnnotationCtx, codeName: string, fallback: number): number | undefined {
  const raw = nginx(c.all, codeName)
  const status = raw === undefined ? fallback : asInt(raw)
  if (status === undefined || ![301, 302, 303, 307, 308].includes(status)) {
    c.r.error('redirect-code-invalid', c.at, `${code(`${codeName}: ${raw}`)} is not a redirect status HTTPRoute accepts; no route emitted`, { loss: true })
    return undefined
  }
  if (status !== 301 && status !== 302) c.r.warn('redirect-code-needs-v1.5', c.at, `redirect status ${status} needs Gateway API v1.5+ CRDs (older CRDs accept only 301 and 302)`)
  return status
}

/** Parses an nginx redirect target; `$request_uri` at the end means "keep the path". */
export function parseRedirectUrl(url: string): Omit<RequestRedirect, 'statusCode'> | undefined {
  let rest = url.trim()
  const keepPath = rest.endsWith('$request_uri')
  if (keepPath) rest = rest.slice(0, -'$request_uri'.length)
  if (rest.includes('$')) return undefined
  if (rest.startsWith('/') && !keepPath) return /[?#]/.test(rest) ? undefined : { path: { type: 'ReplaceFullPath', replaceFullPath: rest } }
  let u: URL
  try {
    u = new URL(rest)
  } catch {
    return undefined
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.search || u.hash || u.username) return undefined
  const out: Omit<RequestRedirect, 'statusCode'> = { scheme: u.protocol.slice(0, -1), hostname: u.hostname.toLowerCase() }
  if (u.port) out.port = Number(u.port)
  if (keepPath) {
    if (u.pathname !== '/') return undefined
  } else out.path = { type: 'ReplaceFullPath', replaceFullPath: u.pathname }
  return out
}

function redirect(c: AnnotationCtx): void {
  const permanent = c.name === 'permanent-redirect'
  if (!permanent && nginx(c.all, 'permanent-redirect') !== undefined) return noop(c, '`permanent-redirect` takes precedence in nginx')
  const target = resolveText(c.value, c.opts.resolve)
  if ('unresolved' in target) {
    c.b.blocking = true
    return c.r.error('annotation-unresolved', c.at, `${code(c.key)} uses ${target.unresolved.map(code).join(', ')}, which has no value; no route emitted`, { loss: true })
  }
  const parsed = parseRedirectUrl(target.value)
  const status = redirectStatus(c, permanent ? 'permanent-redirect-code' : 'temporal-redirect-code', permanent ? 301 : 302)
  if (!parsed || status === undefined) {
    c.b.blocking = true
    if (!parsed) c.r.error('redirect-unsupported', c.at, `${code(c.key)} ${code(target.value)} cannot be expressed as a \`RequestRedirect\` (query, fragment or nginx variable); no route emitted`, { loss: true })
    return
  }
  c.b.redirect = { ...parsed, statusCode: status }
  done(c, `a ${status} \`RequestRedirect\` on every rule, without backendRefs`)
}

function redirectCode(c: AnnotationCtx): void {
  const owner = c.name.replace(/-code$/, '')
  if (nginx(c.all, owner) === undefined) return noop(c, `nginx ignores it without ${code(owner)}`)
  done(c, `the status of the ${code(owner)} redirect`)
}

const SIZE = /^(\d+)([kmg]?)$/i
const UNIT: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }

function bodySize(c: AnnotationCtx): void {
  const m = SIZE.exec(c.value.trim())
  if (!m) return notConverted(c, `${code(c.value)} is not an nginx size`)
  const bytes = Number(m[1]) * UNIT[m[2].toLowerCase()]
  if (bytes === 0) return noop(c, 'no cap, and Envoy does not cap streamed bodies either')
  if (bytes >= 100 * UNIT.m) return c.r.info('annotation-dropped', c.at, `${code(c.key)} dropped: ${code(c.value)} only lifted nginx’s 1m default, and Envoy does not cap streamed bodies`, { loss: true })
  c.r.warn('annotation-not-converted', c.at, `${code(c.key)}: nginx capped request bodies at ${code(c.value)}; Envoy does not cap streamed bodies`, {
    hint: 'to keep the cap, add an Envoy Gateway `BackendTrafficPolicy` with `requestBuffer.limit` (it buffers whole bodies and breaks WebSockets)',
    loss: true,
  })
}

function backendProtocol(c: AnnotationCtx): void {
  const p = c.value.trim().toUpperCase()
  if (p === 'HTTP' || p === 'AUTO_HTTP') return noop(c, 'Envoy speaks HTTP/1.1 to backends by default')
  if (p === 'HTTPS') return c.r.warn('annotation-not-converted', c.at, `${code(c.key)} HTTPS: the route is plain HTTP to the backend until a \`BackendTLSPolicy\` (CA and hostname, no skip-verify) targets the Service`, { loss: true })
  if (p === 'GRPC' || p === 'GRPCS') return c.r.warn('annotation-not-converted', c.at, `${code(c.key)} ${p}: gRPC backends belong in a \`GRPCRoute\`${p === 'GRPCS' ? ' with a `BackendTLSPolicy`' : ''}, or \`appProtocol: kubernetes.io/h2c\` on the Service port`, { loss: true })
  c.b.blocking = true
  c.r.error('annotation-not-convertible', c.at, `${code(c.key)} ${code(c.value)} has no Gateway API equivalent; no route emitted`, { loss: true })
}

function canary(c: AnnotationCtx): void {
  if (c.name === 'canary') {
    if (!asBool(c.value)) return noop(c, 'not a canary')
    c.b.canary = { weight: asInt(nginx(c.all, 'canary-weight')), total: asInt(nginx(c.all, 'canary-weight-total')) ?? 100 }
    return done(c, 'weighted backendRefs in the primary Ingress’s route (this Ingress gets no route of its own)')
  }
  if (c.name === 'canary-weight' || c.name === 'canary-weight-total') return done(c, 'the canary’s share of `weight`')
  notConverted(c, 'header and cookie canaries need header matches in the primary’s route (impossible in app-template ≤ 4.x); only the weight is converted')
}

/** ingress-nginx annotations that become part of the route, by name without prefix. */
export const TRANSLATORS: Readonly<Record<string, Handler>> = {
  'rewrite-target': (c) => {
    if (c.value.trim() === '') return noop(c, 'empty, so nginx does not rewrite')
    const bad = invalidPathReason(c.value.replace(/\$\d/g, 'x'))
    if (bad !== undefined) {
      c.b.blocking = true
      return c.r.error('annotation-not-convertible', c.at, `${code(c.key)} ${code(c.value)} ${bad}, so no URLRewrite can take it; no route emitted`, { loss: true })
    }
    c.b.rewriteTarget = c.value
    c.b.regex = true
    const what = /\$\d/.test(c.value) ? 'a `ReplacePrefixMatch` for paths shaped `/prefix(/|$)(.*)` with `/$2`' : `\`URLRewrite\` \`ReplaceFullPath: ${c.value}\` on every rule`
    done(c, `${what}; nginx also matches every path of the Ingress as a case-insensitive regex`)
  },
  'use-regex': (c) => {
    if (!asBool(c.value)) return noop(c, 'regex matching is off')
    c.b.regex = true
    c.r.warn('annotation-approximated', c.at, `${code(c.key)}: paths become \`RegularExpression\` \`(?i)<path>.*\` (nginx’s case-insensitive prefix regex)`, {
      hint: 'regex precedence is implementation-specific, and nginx applied the regex to every Ingress of the host; review the matches',
      loss: true,
    })
  },
  'app-root': (c) => {
    const bad = invalidPathReason(c.value)
    if (bad !== undefined) return notConverted(c, `${code(c.value)} ${bad}`)
    c.b.appRoot = c.value
    done(c, `a 302 \`RequestRedirect\` from \`Exact /\` to ${code(c.value)}`)
  },
  'permanent-redirect': redirect,
  'temporal-redirect': redirect,
  'permanent-redirect-code': redirectCode,
  'temporal-redirect-code': redirectCode,
  'from-to-www-redirect': (c) => {
    if (!asBool(c.value)) return noop(c, 'off')
    c.b.wwwRedirect = true
    done(c, 'an extra route that 301-redirects the other host (with or without `www.`)')
  },
  'ssl-redirect': (c) =>
    asBool(c.value) || c.value.trim() === ''
      ? noop(c, 'the Chongus gateways already 301 every `http` request to https')
      : c.r.warn('annotation-not-converted', c.at, `${code(c.key)} "false": nginx served plain HTTP here, but the Chongus \`http\` listener redirects every request to https`, { loss: true }),
  'force-ssl-redirect': (c) => noop(c, 'the Chongus gateways already 301 every `http` request to https'),
  'upstream-vhost': (c) => {
    const v = resolveText(c.value, c.opts.resolve)
    if ('unresolved' in v || !isPreciseHostname(v.value.toLowerCase())) {
      return notConverted(c, 'the value is not a plain hostname (an nginx variable or an unresolved placeholder)')
    }
    c.b.upstreamVhost = v.value.toLowerCase()
    done(c, '`URLRewrite` `hostname`')
  },
  'x-forwarded-prefix': (c) => {
    if (c.value === '') return noop(c, 'empty, so nginx sets no header')
    if (/[\x00-\x1f\x7f]/.test(c.value) || c.value.length > 4096) return notConverted(c, 'the value is no valid header value')
    c.b.forwardedPrefix = c.value
    done(c, 'a `RequestHeaderModifier` setting `X-Forwarded-Prefix`')
  },
  'proxy-read-timeout': timeout,
  'proxy-send-timeout': timeout,
  'proxy-connect-timeout': timeout,
  'proxy-body-size': bodySize,
  'backend-protocol': backendProtocol,
  'server-alias': (c) => {
    c.b.serverAliases = list(c.value)
    done(c, 'extra hostnames with the same rules')
  },
}

/** Families of translated annotations. */
export const TRANSLATOR_FAMILIES: readonly [RegExp, Handler][] = [
  [/^(enable-cors|cors-.*)$/, cors],
  [/^canary(-.*)?$/, canary],
]
