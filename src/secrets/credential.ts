/**
 * Decides from a value alone whether it looks like a credential, so that it is never printed, inlined or
 * copied into a diagnostic. A key's name never decides: `SECRET_DOMAIN: example.org` is a domain.
 *
 * Order matters: token formats with a fixed shape are searched anywhere in the value first; then whole values
 * of a known harmless shape (host names, addresses, paths, e-mail addresses, time zones, durations, versions,
 * digests, UUIDs) are cleared; what remains is judged by length, character classes and Shannon entropy.
 */

export interface CredentialMatch {
  /** Kebab-case reason, e.g. `github-token`, `high-entropy`. Never contains the value. */
  reason: string
}

const TOKEN_FORMATS: readonly [string, RegExp][] = [
  ['sops-encrypted', /ENC\[AES256_GCM,data:/],
  ['pem-private-key', /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/],
  ['pem-block', /-----BEGIN [A-Z0-9 ]+-----/],
  ['age-secret-key', /AGE-SECRET-KEY-1[0-9A-Z]{58}/],
  ['github-token', /\b(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{50,255})\b/],
  ['slack-token', /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
  ['slack-webhook', /hooks\.slack\.com\/(services|workflows)\/[A-Za-z0-9/_-]{20,}/],
  ['aws-access-key', /\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/],
  ['jwt', /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/],
  ['doppler-token', /\bdp\.(st|pt|ct|sa|scim|audit)\.[A-Za-z0-9_.-]{20,}/],
  ['discord-webhook', /discord(app)?\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{20,}/],
  ['url-credentials', /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:([^\s/@]+)@/i],
]

// A password of `${VAR}`, `{{ .x }}`, `$(VAR)`, `%s`, `<password>` or `****` is a placeholder, not a credential.
const PLACEHOLDER = /^(\$\{[^}]*\}|\{\{.*\}\}|\$\([^)]*\)|\$[A-Za-z_]\w*|%[sv]|<[^>]*>|\*+|x+|\.+)$/i

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
const HOSTNAME = new RegExp(`^(?=.{1,253}\\.?$)(?:${LABEL}\\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.?$`)
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(\/([12]?\d|3[0-2]))?$/
const HARMLESS: readonly RegExp[] = [
  HOSTNAME,
  IPV4,
  // Email: the local part of RFC 5322 allows most printable characters.
  new RegExp(`^[^\\s@:]+@(?:${LABEL}\\.)+[A-Za-z]{2,63}$`),
  // IANA time zones: Area/Location(/Sub), and the bare ones.
  /^(?:(?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc|US|Canada|Brazil|Mexico|Chile)\/[A-Za-z0-9_+-]+(?:\/[A-Za-z_]+)?|UTC|GMT|Zulu|[A-Z]{3,5}[0-9]?[A-Z]{0,4})$/,
  // Go and Kubernetes durations.
  /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|w|y))+$/,
  // Semantic versions, with or without `v`.
  /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/,
  // Image digests, `tag@sha256:…` pins and bare hash references.
  /^(?:[\w.-]+@)?(?:sha256|sha512|sha1):[a-f0-9]{40,128}$/,
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  // Kubernetes quantities.
  /^\d+(?:\.\d+)?(?:[KMGTPE]i?|[mkMGTPE])?$/,
]

function isIPv6(s: string): boolean {
  const [addr, prefix, ...rest] = s.split('/')
  if (rest.length > 0 || (prefix !== undefined && !/^(\d|[1-9]\d|1[01]\d|12[0-8])$/.test(prefix))) return false
  let body = addr
  // An embedded IPv4 tail (`::ffff:10.0.0.1`) counts as two groups.
  const v4 = /:((?:\d{1,3}\.){3}\d{1,3})$/.exec(body)
  if (v4) {
    if (!IPV4.test(v4[1])) return false
    body = `${body.slice(0, v4.index)}:0:0`
  }
  const halves = body.split('::')
  if (halves.length > 2) return false
  const groups = halves.map((h) => (h === '' ? [] : h.split(':')))
  if (!groups.flat().every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false
  const n = groups.flat().length
  return halves.length === 2 ? n <= 7 : n === 8
}

/** Filesystem paths and repository-relative paths: segments of word characters, no `=` or `+` (base64 has them). */
function isPath(s: string): boolean {
  return /^(?:~|\.{1,2})?\/[\w.@~-]*(?:\/[\w.@~-]*)*$/.test(s)
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>()
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1)
  const n = [...s].length
  let h = 0
  for (const k of counts.values()) h -= (k / n) * Math.log2(k / n)
  return h
}

const classOf = (c: string): number => (/[a-z]/.test(c) ? 0 : /[A-Z]/.test(c) ? 1 : /\d/.test(c) ? 2 : 3)

/** How often neighbouring characters change class: about 0.6 in random base62, far less in words and versions. */
function switchRate(s: string): number {
  let n = 0
  for (let i = 1; i < s.length; i++) if (classOf(s[i]) !== classOf(s[i - 1])) n++
  return s.length > 1 ? n / (s.length - 1) : 0
}

/**
 * Judges one token (no whitespace). Structured values (`ghcr.io/org/app:1.2`, `networking.k8s.io/v1`,
 * `sonarr-v4-profile-1080p`) are made of short words between separators, so the test runs on the longest
 * separator-free segment; hex segments inside such values are identifiers or digests and are skipped.
 */
function tokenReason(t: string): string | undefined {
  if (t.length < 20) return undefined
  const h = shannonEntropy(t)
  // A whole-value hex string may be an API key (the *arr apps use 32 hex digits) or an identifier: say which.
  if (/^[0-9a-f]+$/i.test(t)) return t.length >= 32 && h >= 3.3 ? 'hex-key' : undefined
  const core = t.replace(/(?:sha(?:1|256|512)):[0-9a-f]{40,128}/gi, '')
  const segments = core.split(/[-_.:/@,;=~]+/).filter((x) => x !== '')
  const words = segments.length > 1 ? segments.filter((x) => !/^[0-9a-f]+$/i.test(x)) : segments
  const longest = words.reduce((a, b) => (b.length > a.length ? b : a), '')
  if (longest.length < 12) return undefined
  const lower = /[a-z]/.test(longest)
  const upper = /[A-Z]/.test(longest)
  const digit = /\d/.test(longest)
  // Without digits or a base64 symbol, long mixed-case strings are usually identifiers (`CamelCaseName`).
  if (!digit && !/[+/=]/.test(t)) return undefined
  const classes = [lower, upper, digit].filter(Boolean).length
  if (classes < 2 || switchRate(longest) < 0.3) return undefined
  const threshold = classes >= 3 ? Math.min(4, 0.8 * Math.log2(t.length)) : Math.min(4.2, 0.85 * Math.log2(t.length))
  return h >= threshold ? 'high-entropy' : undefined
}

/** Query values of a URL, judged as tokens. */
function urlHasSecretQuery(s: string): boolean {
  const q = s.indexOf('?')
  if (q < 0) return false
  return s
    .slice(q + 1)
    .split(/[&#]/)
    .map((kv) => kv.slice(kv.indexOf('=') + 1))
    .some((v) => !PLACEHOLDER.test(v) && tokenReason(safeDecode(v)) !== undefined)
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/**
 * Returns a reason when `value` looks like a credential (a known token format, a private key, a URL with a
 * password, or a long random-looking string), else undefined.
 */
export function looksLikeCredential(value: string): CredentialMatch | undefined {
  for (const [reason, re] of TOKEN_FORMATS) {
    const m = re.exec(value)
    if (!m) continue
    if (reason === 'url-credentials' && PLACEHOLDER.test(safeDecode(m[1]))) continue
    return { reason }
  }
  // Placeholders (`${VAR}`, `{{ .key }}`) stand for values decided elsewhere: judge the text around them.
  const v = value.trim().replace(/\$\{[^{}]*\}|\{\{[^{}]*\}\}/g, 'x')
  if (v === '' || HARMLESS.some((re) => re.test(v)) || isIPv6(v) || isPath(v)) return undefined
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return urlHasSecretQuery(v) ? { reason: 'url-token' } : undefined
  // Several words are text (a passphrase cannot be told from prose); judge single tokens only.
  if (/\s/.test(v)) return undefined
  const reason = tokenReason(v.replace(/^["']|["']$/g, ''))
  return reason ? { reason } : undefined
}
