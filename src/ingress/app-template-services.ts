import type { Backend } from './backends.ts'
import { asBool, asInt, asRecord, asText, code, type Reporter } from './report.ts'
import type { FindingPath } from './types.ts'

/** The Services an app-template release renders, from `values.service`. */
export class ValuesServices {
  readonly enabled: string[]
  private readonly values: Record<string, unknown>

  constructor(service: unknown) {
    this.values = asRecord(service) ?? {}
    this.enabled = Object.keys(this.values).filter((id) => asText(asRecord(this.values[id])?.enabled)?.toLowerCase() !== 'false')
  }

  private ports(id: string): Record<string, Record<string, unknown>> {
    const ports = asRecord(asRecord(this.values[id])?.ports) ?? {}
    const out: Record<string, Record<string, unknown>> = {}
    for (const [name, p] of Object.entries(ports)) {
      const rec = asRecord(p)
      if (rec && asText(rec.enabled)?.toLowerCase() !== 'false') out[name] = rec
    }
    return out
  }

  /** The port the chart picks when none is named: the one marked `primary`, or the only one. */
  primaryPort(id: string): number | undefined {
    const ports = Object.values(this.ports(id))
    const primary = ports.find((p) => asBool(p.primary)) ?? (ports.length === 1 ? ports[0] : undefined)
    return primary ? asInt(primary.port) : undefined
  }

  /**
   * Resolves an ingress path's `service` to a Service identifier and an integer port (app-template 4.x passes a
   * string port through into an invalid route, so names are always turned into numbers here).
   */
  resolve(raw: unknown, major: number, r: Reporter, at: FindingPath): Backend | undefined {
    const svc = asRecord(raw)
    const literal = asText(svc?.name)
    const portRaw = svc?.port
    if (literal !== undefined && asText(svc?.identifier) === undefined) {
      const port = asInt(portRaw)
      if (port !== undefined && port >= 1 && port <= 65535) return { service: literal, port }
      r.error('backend-port-unresolved', [...at, 'port'], `Service ${code(literal)} is named literally, so its port must be a number, not ${code(asText(portRaw) ?? 'nothing')}; not converted`, { loss: true })
      return undefined
    }
    let id = asText(svc?.identifier)
    if (id === undefined) {
      if (major < 4 || this.enabled.length !== 1) {
        const why = major < 4 ? 'app-template 3.x requires one' : `${this.enabled.length} Services are enabled`
        r.error('backend-missing', at, `a path names no Service and ${why}; not converted`, { loss: true })
        return undefined
      }
      id = this.enabled[0]
    }
    if (!this.enabled.includes(id)) {
      r.error('backend-missing', at, `Service identifier ${code(id)} is not an enabled entry of \`service\`; not converted`, { loss: true })
      return undefined
    }
    const name = asText(portRaw)
    let port: number | undefined
    if (portRaw === undefined) port = this.primaryPort(id)
    else if (asInt(portRaw) !== undefined) port = asInt(portRaw)
    else if (name !== undefined) port = asInt(this.ports(id)[name]?.port)
    if (port === undefined || port < 1 || port > 65535) {
      const what = portRaw === undefined ? 'no primary port' : `no port ${code(name ?? '?')}`
      r.error('backend-port-unresolved', [...at, 'port'], `Service ${code(id)} has ${what} with a number in \`service.${id}.ports\`; not converted`, { loss: true })
      return undefined
    }
    if (name !== undefined && asInt(portRaw) === undefined) r.info('backend-port-resolved', [...at, 'port'], `port ${code(name)} of Service ${code(id)} → ${port}`)
    return { service: id, identifier: id, port }
  }
}
