/**
 * `bitty2chongus ingress2route`: converts the Ingresses of manifest files to HTTPRoutes with the migration's own
 * converter, printing the routes as one YAML stream and the notes as diagnostics.
 */
import { countBySeverity, formatDiagnostics, type Diagnostic } from './diagnostics.ts'
import { MigrationError } from './errors.ts'
import { gatewayTargets, ingressToRoutes, makeResolver, type GatewayConfig } from './ingress/index.ts'
import { YamlFile } from './document.ts'

/** Options of {@link ingress2route}, as the command line gives them. */
export interface Ingress2RouteOptions {
  /** `NAME/NAMESPACE[/SECTION]` of the gateway for internal (and class-less) Ingresses. */
  gateway?: string
  /** `NAME/NAMESPACE[/SECTION]` of the gateway for external Ingresses. */
  externalGateway?: string
  /** `KEY=VALUE` values of the variables used in hosts. */
  vars?: readonly string[]
}

/** One input: its name for diagnostics (`-` is shown as `<stdin>`) and its text. */
export interface Ingress2RouteInput {
  name: string
  text: string
}

/** Parses `NAME/NAMESPACE[/SECTION]`; a malformed value is a usage error. */
export function parseGateway(flag: string, value: string): GatewayConfig {
  const parts = value.split('/')
  const dns = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !dns.test(p))) {
    throw new MigrationError('USAGE', `${flag} ${value}: expected NAME/NAMESPACE or NAME/NAMESPACE/SECTION (lowercase DNS names)`)
  }
  const [name, namespace, sectionName] = parts
  return sectionName === undefined ? { name, namespace } : { name, namespace, sectionName }
}

function variables(vars: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const v of vars) {
    const i = v.indexOf('=')
    if (i <= 0 || !/^[_A-Za-z][_A-Za-z0-9]*$/.test(v.slice(0, i))) throw new MigrationError('USAGE', `--var ${v}: expected KEY=VALUE`)
    out[v.slice(0, i)] = v.slice(i + 1)
  }
  return out
}

/**
 * Converts every Ingress of the inputs (named ports resolved from the Services of all inputs). Returns the route
 * stream, the diagnostics (`ingress-route/<rule>`, located in their input) and the exit code: 1 on errors.
 */
export function ingress2route(inputs: readonly Ingress2RouteInput[], opts: Ingress2RouteOptions = {}): { yaml: string; routes: number; diagnostics: Diagnostic[]; code: 0 | 1 } {
  const refs: Record<string, GatewayConfig> = {}
  if (opts.gateway) refs.internal = parseGateway('--gateway', opts.gateway)
  if (opts.externalGateway) refs.external = parseGateway('--external-gateway', opts.externalGateway)
  const base = { gateways: gatewayTargets(refs), resolve: makeResolver({ variables: variables(opts.vars ?? []) }) }
  const services = inputs.flatMap((i) => servicesOf(i.text))
  let yaml = ''
  const diagnostics: Diagnostic[] = []
  let empty = 0
  for (const input of inputs) {
    const res = ingressToRoutes(input.text, { ...base, services })
    yaml += yaml !== '' && res.yaml !== '' && !yaml.endsWith('\n') ? `\n${res.yaml}` : res.yaml
    for (const f of res.findings) {
      // A file of Services given for their ports has no Ingress of its own; only an input without any is worth a word.
      if (f.rule === 'no-ingress') {
        empty++
        continue
      }
      const d: Diagnostic = { severity: f.severity, ruleId: `ingress-route/${f.rule}`, message: f.message, file: input.name }
      if (f.line !== undefined) Object.assign(d, { line: f.line, col: f.col })
      if (f.hint) d.hint = f.hint
      if (f.loss) d.loss = true
      diagnostics.push(d)
    }
  }
  if (empty === inputs.length) diagnostics.push({ severity: 'warning', ruleId: 'ingress-route/no-ingress', message: `no Ingress in ${inputs.map((i) => i.name).join(', ')}` })
  const routes = (yaml.match(/^kind: HTTPRoute$/gm) ?? []).length
  return { yaml, routes, diagnostics, code: countBySeverity(diagnostics).error > 0 ? 1 : 0 }
}

/** The Service objects of a manifest stream (unparsable documents are left to the converter to report). */
function servicesOf(text: string): unknown[] {
  const f = new YamlFile(text)
  return f.docs.filter((d) => !d.frozen && d.getString(['kind']) === 'Service').map((d) => d.get([]))
}

/** Text of the diagnostics and a summary line, for stderr. */
export function ingress2routeReport(diagnostics: Diagnostic[], routes: number): string {
  const c = countBySeverity(diagnostics)
  return `${formatDiagnostics(diagnostics)}${routes} HTTPRoute(s), ${c.error} error(s), ${c.warning} warning(s), ${c.info} info\n`
}
