import { code, type Reporter } from './report.ts'
import type { FindingPath, ResolveResult, Resolver } from './types.ts'

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\{\{-?\s*(.*?)\s*-?\}\}/g
const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const HOSTNAME = new RegExp(`^(\\*\\.)?${LABEL}(\\.${LABEL})*$`)
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/

/** Names of the Flux (`${VAR}`, `${VAR:-d}`) and Helm (`{{ .Release.Name }}`) placeholders in a text. */
export function placeholders(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1] ?? m[2]
    if (name !== undefined && !out.includes(name)) out.push(name)
  }
  return out
}

/** Substitutes a text through the caller's resolver; without one, any placeholder stays unresolved. */
export function resolveText(text: string, resolve: Resolver | undefined): ResolveResult {
  if (placeholders(text).length === 0) return { value: text }
  if (!resolve) return { unresolved: placeholders(text) }
  const res = resolve(text)
  if ('unresolved' in res) return res
  const left = placeholders(res.value)
  return left.length > 0 ? { unresolved: left } : res
}

/**
 * Resolves, lowercases and validates one Ingress host. Returns undefined (after an error finding) when the
 * host cannot be used: an unresolved variable or an invalid name must never become a guessed or missing host.
 */
export function normalizeHost(raw: string, r: Reporter, at: FindingPath, resolve: Resolver | undefined): string | undefined {
  const res = resolveText(raw, resolve)
  if ('unresolved' in res) {
    r.error('host-unresolved', at, `host ${code(raw)} uses ${res.unresolved.map(code).join(', ')}, which has no value; its rules are not converted`, {
      hint: 'define the variable in the migration config (the target cluster does not substitute it)',
      loss: true,
    })
    return undefined
  }
  const host = res.value.trim().toLowerCase()
  if (host !== res.value.trim()) r.info('host-lowercased', at, `host ${code(res.value)} lowercased to ${code(host)} (HTTPRoute hostnames are lowercase)`)
  if (IPV4.test(host) || host.includes(':')) {
    r.error('host-invalid', at, `host ${code(host)} is an IP address, which HTTPRoute hostnames cannot be; its rules are not converted`, { loss: true })
    return undefined
  }
  const labelsOk = host.split('.').every((l) => l.length <= 63)
  if (!HOSTNAME.test(host) || host.length > 253 || !labelsOk) {
    r.error('host-invalid', at, `host ${code(host)} is not a valid RFC 1123 hostname (optionally with a leading \`*.\`); its rules are not converted`, { loss: true })
    return undefined
  }
  if (host.startsWith('*.')) {
    r.warn('host-wildcard', at, `wildcard host ${code(host)}: a Gateway API wildcard matches one or more labels (${code(`a.b${host.slice(1)}`)} too), an Ingress wildcard exactly one; the apex is matched by neither`, {
      loss: true,
    })
  }
  return host
}

/** A hostname without wildcard, as `URLRewrite` and `RequestRedirect` take (RFC 1123, at most 253 characters). */
export function isPreciseHostname(h: string): boolean {
  return HOSTNAME.test(h) && !h.startsWith('*.') && h.length <= 253
}

/** Whether a route hostname and a listener hostname intersect (Gateway API wildcards span one or more labels). */
export function hostsIntersect(a: string, b: string): boolean {
  if (a === b) return true
  const wa = a.startsWith('*.') ? a.slice(1) : undefined
  const wb = b.startsWith('*.') ? b.slice(1) : undefined
  if (wa && wb) return wa.endsWith(wb) || wb.endsWith(wa)
  if (wa) return b.endsWith(wa)
  if (wb) return a.endsWith(wb)
  return false
}

/** Whether a TLS certificate name covers a hostname (a certificate wildcard covers exactly one label). */
export function certificateCovers(certName: string, host: string): boolean {
  if (certName === host) return true
  if (!certName.startsWith('*.') || host.startsWith('*.')) return false
  const suffix = certName.slice(1)
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.') && host.length > suffix.length
}

/** A distinct slug for route names: `*.x.com` and `x.com` must not collide (ingress2gateway bug). */
export function hostSlug(host: string): string {
  return host.startsWith('*.') ? `wildcard-${host.slice(2).replace(/\./g, '-')}` : host.replace(/\./g, '-')
}
