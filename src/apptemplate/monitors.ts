/** ServiceMonitors → `serviceMonitor.<id>`, pointing at their Service by identifier (4.x) or by its chart name (3.x). */
import { keepLabels, type ServiceInfo } from './services.ts'
import type { Finding, KeyPath, Manifest, Obj } from './types.ts'
import { obj, selects, str, strMap } from './util.ts'

const KEYS = ['endpoints', 'selector', 'jobLabel', 'targetLabels']

type Report = (f: Omit<Finding, 'at'>, index: number, path: KeyPath) => void

/** The serviceMonitor values, which monitors they replace, and which stay raw. */
export interface MonitorOutcome {
  values: Obj
  /** Monitor index → identifier. */
  converted: Record<number, string>
  /** Monitors that stay raw. */
  kept: number[]
}

/** The Prometheus job name a ServiceMonitor gives a Service's targets: the `jobLabel` label's value, else the name. */
export function jobName(jobLabel: unknown, serviceName: string, serviceLabels: Record<string, string>): string {
  return (typeof jobLabel === 'string' && serviceLabels[jobLabel]) || serviceName
}

/** ServiceMonitors selecting exactly one converted Service → `serviceMonitor.<id>`; those selecting none stay raw. */
export function convertMonitors(monitors: { index: number; manifest: Manifest }[], services: readonly ServiceInfo[], release: string, major: number, report: Report): MonitorOutcome {
  const out: MonitorOutcome = { values: {}, converted: {}, kept: [] }
  const convertible: { index: number; manifest: Manifest; svc: ServiceInfo; name: string }[] = []
  for (const { index, manifest } of monitors) {
    const name = str(obj(manifest.metadata).name) ?? ''
    const spec = obj(manifest.spec)
    const sel = obj(spec.selector)
    const matched = services.filter((s) => selects(strMap(sel.matchLabels), s.labels))
    if (Object.keys(sel).some((k) => k !== 'matchLabels') || spec.namespaceSelector !== undefined) {
      report({ severity: 'error', rule: 'monitor-selector', message: `ServiceMonitor ${name} selects with more than matchLabels in its own namespace, which app-template's serviceMonitor cannot say` }, index, ['spec', 'selector'])
      continue
    }
    if (matched.length === 0) {
      report({ severity: 'warning', rule: 'monitor-kept', message: `ServiceMonitor ${name} selects no Service of the app; it stays raw as it is`, hint: 'check its selector: it scrapes nothing of this app' }, index, ['spec', 'selector'])
      out.kept.push(index)
      continue
    }
    if (matched.length > 1) {
      report({ severity: 'error', rule: 'monitor-selector', message: `ServiceMonitor ${name} selects ${matched.length} Services; an app-template serviceMonitor targets one` }, index, ['spec', 'selector'])
      continue
    }
    for (const k of Object.keys(spec)) {
      if (!KEYS.includes(k)) report({ severity: 'error', rule: 'unsupported-field', message: `ServiceMonitor ${name} field \`${k}\` has no app-template serviceMonitor key` }, index, ['spec', k])
    }
    convertible.push({ index, manifest, svc: matched[0], name })
  }
  for (const { index, manifest, svc, name } of convertible) {
    const spec = obj(manifest.spec)
    const id = convertible.length === 1 ? 'app' : name.startsWith(`${release}-`) ? name.slice(release.length + 1) : name
    const v: Obj = major >= 4 ? { service: { identifier: svc.identifier } } : { serviceName: svc.renderedName }
    const labels = strMap(obj(manifest.metadata).labels)
    const kept = keepLabels(labels, { 'app.kubernetes.io/name': release, 'app.kubernetes.io/instance': release }, major, (k) =>
      report({ severity: 'info', rule: 'label-dropped', message: `ServiceMonitor ${name} label ${k}: ${labels[k]} is dropped: app-template sets that key itself`, loss: true }, index, ['metadata', 'labels', k]),
    )
    if (Object.keys(kept).length > 0) v.labels = kept
    const annotations = obj(obj(manifest.metadata).annotations)
    if (Object.keys(annotations).length > 0) v.annotations = annotations
    v.endpoints = spec.endpoints
    if (spec.targetLabels !== undefined) v.targetLabels = spec.targetLabels
    if (spec.jobLabel !== undefined) {
      const before = jobName(spec.jobLabel, svc.originalName, svc.labels)
      const after = svc.renderedName
      report(
        before === after
          ? { severity: 'info', rule: 'job-label-dropped', message: `ServiceMonitor ${name} jobLabel ${String(spec.jobLabel)} is dropped: the Prometheus job stays ${before}` }
          : { severity: 'warning', rule: 'job-label-dropped', message: `ServiceMonitor ${name} jobLabel ${String(spec.jobLabel)} is dropped: the Prometheus job changes from ${before} to ${after}`, hint: 'update dashboards and alerts that select on the job label', loss: true },
        index,
        ['spec', 'jobLabel'],
      )
    } else if (svc.originalName !== svc.renderedName) {
      report({ severity: 'warning', rule: 'job-renamed', message: `ServiceMonitor ${name}: the Prometheus job changes from ${svc.originalName} to ${svc.renderedName} with its Service`, hint: 'update dashboards and alerts that select on the job label', loss: true }, index, ['spec', 'jobLabel'])
    }
    out.values[id] = v
    out.converted[index] = id
  }
  return out
}
