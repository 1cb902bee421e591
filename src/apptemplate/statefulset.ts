/**
 * StatefulSet volumeClaimTemplates → `statefulset.volumeClaimTemplates`. A claim is named `<template>-<statefulset>-<n>`,
 * so this converts only when the StatefulSet keeps its name: a renamed one would claim new, empty volumes.
 */
import type { Finding, KeyPath, Obj } from './types.ts'
import { arr, compact, obj, str } from './util.ts'

type Report = (f: Omit<Finding, 'at'>, path: KeyPath) => void

const META = ['name', 'labels', 'annotations']
const SPEC = ['accessModes', 'resources', 'storageClassName', 'dataSource', 'dataSourceRef']

/** Template values (mounted through `globalMounts`), or undefined when there are none. */
export function convertClaimTemplates(sts: Obj, renderedName: string, pod: Obj, report: Report): Obj[] | undefined {
  const spec = obj(sts.spec)
  const templates = arr(spec.volumeClaimTemplates)
  const name = str(obj(sts.metadata).name) ?? ''
  if (spec.serviceName !== undefined && spec.serviceName !== renderedName) {
    report({ severity: 'error', rule: 'statefulset-service-name', message: `StatefulSet ${name} serviceName ${String(spec.serviceName)}: app-template names it ${renderedName}`, hint: 'pod DNS names would change; keep the app raw or rename the governing Service' }, ['spec', 'serviceName'])
  }
  if (templates.length === 0) return undefined
  if (renderedName !== name) {
    report({ severity: 'error', rule: 'claim-templates-renamed', message: `StatefulSet ${name} becomes ${renderedName}: its volumeClaimTemplates would claim new, empty volumes (${renderedName}-…) instead of ${name}'s`, hint: 'name the StatefulSet after the app, or keep the app raw' }, ['spec', 'volumeClaimTemplates'])
    return undefined
  }
  const containers = [...arr(pod.containers), ...arr(pod.initContainers)].map(obj)
  return templates.map((raw, i) => {
    const t = obj(raw)
    const meta = obj(t.metadata)
    const ts = obj(t.spec)
    const at: KeyPath = ['spec', 'volumeClaimTemplates', i]
    for (const k of Object.keys(t)) if (k !== 'metadata' && k !== 'spec') report({ severity: 'error', rule: 'unsupported-field', message: `volumeClaimTemplate field \`${k}\` has no app-template key` }, [...at, k])
    for (const k of Object.keys(meta)) if (!META.includes(k)) report({ severity: 'error', rule: 'unsupported-field', message: `volumeClaimTemplate metadata field \`${k}\` has no app-template key` }, [...at, 'metadata', k])
    for (const k of Object.keys(ts)) if (!SPEC.includes(k)) report({ severity: 'error', rule: 'unsupported-field', message: `volumeClaimTemplate field \`spec.${k}\` has no app-template key` }, [...at, 'spec', k])
    const modes = arr(ts.accessModes)
    if (modes.length !== 1) report({ severity: 'error', rule: 'claim-access-modes', message: `volumeClaimTemplate ${String(meta.name)} has ${modes.length} access modes; app-template takes exactly one` }, [...at, 'spec', 'accessModes'])
    const requests = obj(obj(ts.resources).requests)
    for (const k of Object.keys(obj(ts.resources))) if (k !== 'requests') report({ severity: 'error', rule: 'unsupported-field', message: `volumeClaimTemplate resources.${k} has no app-template key` }, [...at, 'spec', 'resources', k])
    for (const k of Object.keys(requests)) if (k !== 'storage') report({ severity: 'error', rule: 'unsupported-field', message: `volumeClaimTemplate requests.${k} has no app-template key` }, [...at, 'spec', 'resources', 'requests', k])
    const mounts = containers.map((c) => arr(c.volumeMounts).map(obj).filter((m) => m.name === meta.name).map((m) => compact({ path: m.mountPath, subPath: m.subPath, readOnly: m.readOnly === true ? true : undefined })))
    const key = (ms: Obj[]) => JSON.stringify(ms)
    if (mounts.length === 0 || arr(pod.initContainers).length > 0 || mounts.some((m) => key(m) !== key(mounts[0])) || mounts[0].length === 0) {
      report({ severity: 'error', rule: 'claim-template-mounts', message: `volumeClaimTemplate ${String(meta.name)} is not mounted the same way by every container, which this tool does not convert` }, [...at, 'metadata', 'name'])
    }
    return compact({
      name: meta.name,
      labels: meta.labels,
      annotations: meta.annotations,
      accessMode: modes[0],
      size: requests.storage,
      // The chart writes storageClassName "" for "-" and omits an empty value.
      storageClass: ts.storageClassName === '' ? '-' : ts.storageClassName,
      dataSource: ts.dataSource,
      dataSourceRef: ts.dataSourceRef,
      globalMounts: mounts[0] ?? [],
    })
  })
}
