import type { Behaviour } from './behaviour.ts'
import { code, type Reporter } from './report.ts'
import type { FindingPath, PathMatch, PathModifier } from './types.ts'

/** A converted Ingress path: its match and, for capture rewrites, its own path rewrite. */
export interface PathResult {
  match: PathMatch
  rewrite?: PathModifier
}

const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+$/
const SEGMENT = "[-A-Za-z0-9._~!$&'()*+,;=:@]+"
/** The one capture shape with a faithful translation: `/prefix(/|$)(.*)` with `/$2`. */
const CAPTURE_PATH = new RegExp(`^((?:/${SEGMENT})+)\\(/\\|\\$\\)\\(\\.\\*\\)$`)
const CAPTURE_TARGET = new RegExp(`^((?:/${SEGMENT})*)/\\$2$`)

/** Why a value is not a valid `Exact`/`PathPrefix` value, or undefined when it is. */
export function invalidPathReason(p: string): string | undefined {
  if (!p.startsWith('/')) return 'does not start with `/`'
  if (p.length > 1024) return 'is longer than 1024 characters'
  if (p.includes('//')) return 'contains `//`'
  if (/\/\.\.?(\/|$)/.test(p)) return 'contains a `.` or `..` segment'
  if (/%2f/i.test(p)) return 'contains an encoded `/`'
  if (!PATH_CHARS.test(p)) return 'contains characters a Gateway API path may not (regex syntax?)'
  return undefined
}

function literal(type: 'Exact' | 'PathPrefix', p: string, r: Reporter, at: FindingPath): PathResult | undefined {
  const why = invalidPathReason(p)
  if (why !== undefined) {
    r.error('path-invalid', at, `path ${code(p)} ${why}, so it is no valid \`${type}\` match; the hosts using it are not converted`, { loss: true })
    return undefined
  }
  return { match: { type, value: p } }
}

function capture(p: string, target: string, r: Reporter, at: FindingPath): PathResult | undefined {
  const m = CAPTURE_PATH.exec(p)
  const t = CAPTURE_TARGET.exec(target)
  if (!m || !t || invalidPathReason(m[1]) !== undefined) {
    r.error('rewrite-capture-unsupported', at, `path ${code(p)} with \`rewrite-target: ${target}\` is a capture rewrite Gateway API cannot express (only \`/prefix(/|$)(.*)\` with \`/$2\` is); the hosts using it are not converted`, {
      hint: 'rewrite the path by hand (an Envoy Gateway `HTTPRouteFilter` with a regex `urlRewrite` can do captures)',
      loss: true,
    })
    return undefined
  }
  r.info('path-rewrite-prefix', at, `path ${code(p)} with \`rewrite-target: ${target}\` → \`PathPrefix ${m[1]}\` + \`ReplacePrefixMatch ${t[1]}/\``, {
    hint: 'nginx matched it case-insensitively; PathPrefix is case-sensitive',
    loss: true,
  })
  return { match: { type: 'PathPrefix', value: m[1] }, rewrite: { type: 'ReplacePrefixMatch', replacePrefixMatch: `${t[1]}/` } }
}

/**
 * Converts one Ingress path under the Ingress's annotations. Returns undefined (after an error finding) when no
 * match would route the same requests: a host with such a path is left out rather than routed differently.
 */
export function convertPath(pathType: string | undefined, rawPath: string | undefined, b: Behaviour, r: Reporter, at: FindingPath): PathResult | undefined {
  let type = pathType
  if (type === undefined) {
    type = 'ImplementationSpecific'
    r.info('path-type-missing', at, `no \`pathType\` (pre-v1 Ingress); read as \`ImplementationSpecific\``)
  }
  if (!['Prefix', 'Exact', 'ImplementationSpecific'].includes(type)) {
    r.error('path-type-invalid', at, `\`pathType: ${type}\` is not an Ingress path type; the hosts using it are not converted`, { loss: true })
    return undefined
  }
  const p = rawPath === undefined || rawPath === '' ? '/' : rawPath
  if (b.rewriteTarget !== undefined && /\$\d/.test(b.rewriteTarget)) return capture(p, b.rewriteTarget, r, at)
  const fullRewrite: PathModifier | undefined = b.rewriteTarget === undefined ? undefined : { type: 'ReplaceFullPath', replaceFullPath: b.rewriteTarget }
  if (b.regex) {
    // nginx anchors the regex at the start only: `(?i)/.*` matches exactly what `PathPrefix /` does.
    if (p === '/') return { match: { type: 'PathPrefix', value: '/' }, rewrite: fullRewrite }
    const value = `(?i)${p}.*`
    r.warn('path-regex', at, `path ${code(p)} (${type}) → \`RegularExpression ${value}\`, nginx’s case-insensitive prefix regex`, {
      hint: 'Envoy matches the whole path with RE2 and orders regex matches its own way; review',
      loss: true,
    })
    return { match: { type: 'RegularExpression', value }, rewrite: fullRewrite }
  }
  if (type === 'Exact') return literal('Exact', p, r, at)
  if (type === 'Prefix') return literal('PathPrefix', p, r, at)
  const res = literal('PathPrefix', p, r, at)
  if (res) {
    const note = p.endsWith('/') ? '' : ` (nginx matched it as a plain string prefix, so it also took ${code(`${p}x`)}; \`PathPrefix\` matches whole segments)`
    r.info('path-implementation-specific', at, `\`ImplementationSpecific\` path ${code(p)} → \`PathPrefix\`, as ingress-nginx treats it${note}`, { loss: note !== '' })
  }
  return res
}
