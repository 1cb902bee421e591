import { asArray, asInt, asRecord, asText, code, type Reporter } from './report.ts'
import type { FindingPath } from './types.ts'

/** A Service backend with a numeric port (the route CRD rejects names). */
export interface Backend {
  service: string
  port: number
  /** app-template only: the `service.<identifier>` the port was resolved from. */
  identifier?: string
  weight?: number
}

function validPort(n: number | undefined): n is number {
  return n !== undefined && n >= 1 && n <= 65535
}

/** Finds a Service by name in the caller's objects; a Service without namespace matches any. */
function findService(services: readonly unknown[], name: string, namespace: string | undefined): Record<string, unknown> | undefined {
  return services.map(asRecord).find((s) => {
    if (!s || asText(s.kind) !== 'Service') return false
    const meta = asRecord(s.metadata)
    const ns = asText(meta?.namespace)
    return asText(meta?.name) === name && (ns === undefined || namespace === undefined || ns === namespace)
  })
}

/** The number of the Service port named `portName`, from a Service object. */
export function servicePortByName(service: Record<string, unknown>, portName: string): number | undefined {
  const port = asArray(asRecord(service.spec)?.ports).map(asRecord).find((p) => asText(p?.name) === portName)
  return port ? asInt(port.port) : undefined
}

/**
 * Reads an Ingress backend (`service: {name, port: {number|name}}`, or v1beta1 `serviceName`/`servicePort`) and
 * resolves named ports from the Service objects given. Anything unresolvable is an error, never a string port.
 */
export function ingressBackend(raw: unknown, namespace: string | undefined, services: readonly unknown[], r: Reporter, at: FindingPath): Backend | undefined {
  const b = asRecord(raw)
  if (!b) {
    r.error('backend-missing', at, 'a path has no backend; the hosts using it are not converted', { loss: true })
    return undefined
  }
  if (b.resource !== undefined) {
    r.error('backend-resource', [...at, 'resource'], 'a `resource` backend cannot be an HTTPRoute backendRef; the hosts using it are not converted', { loss: true })
    return undefined
  }
  const svc = asRecord(b.service)
  const name = asText(svc?.name) ?? asText(b.serviceName)
  const portNode = svc ? asRecord(svc.port) : undefined
  const portAt: FindingPath = svc ? [...at, 'service', 'port'] : [...at, 'servicePort']
  const number = svc ? asInt(portNode?.number) : asInt(b.servicePort)
  const portName = svc ? asText(portNode?.name) : asInt(b.servicePort) === undefined ? asText(b.servicePort) : undefined
  if (name === undefined) {
    r.error('backend-missing', at, 'a backend has no Service name; the hosts using it are not converted', { loss: true })
    return undefined
  }
  if (validPort(number)) return { service: name, port: number }
  if (portName === undefined) {
    r.error('backend-port-invalid', portAt, `backend Service ${code(name)} has no usable port; the hosts using it are not converted`, { loss: true })
    return undefined
  }
  const service = findService(services, name, namespace)
  const resolved = service ? servicePortByName(service, portName) : undefined
  if (!validPort(resolved)) {
    const why = service ? `Service ${code(name)} has no port named ${code(portName)}` : `Service ${code(name)} is not among the objects given`
    r.error('backend-port-unresolved', portAt, `named port ${code(portName)} cannot be turned into the number a backendRef needs: ${why}; the hosts using it are not converted`, {
      hint: 'pass the Service manifest along, or write the port number in the Ingress',
      loss: true,
    })
    return undefined
  }
  r.info('backend-port-resolved', portAt, `named port ${code(portName)} of Service ${code(name)} → ${resolved}`)
  return { service: name, port: resolved }
}
