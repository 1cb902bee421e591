/** Pod volumes and container volumeMounts → `persistence.<name>` with `globalMounts` or `advancedMounts`. */
import type { Finding, KeyPath, Obj } from './types.ts'
import { arr, compact, deepEqual, obj, str } from './util.ts'

/** Volume sources app-template has a persistence type for, with the source fields each carries. */
const SOURCES: Record<string, { fields: string[]; toValues(s: Obj): Obj }> = {
  persistentVolumeClaim: { fields: ['claimName'], toValues: (s) => ({ existingClaim: s.claimName }) },
  emptyDir: { fields: ['medium', 'sizeLimit'], toValues: (s) => compact({ type: 'emptyDir', medium: s.medium, sizeLimit: s.sizeLimit }) },
  hostPath: { fields: ['path', 'type'], toValues: (s) => compact({ type: 'hostPath', hostPath: s.path, hostPathType: s.type }) },
  nfs: { fields: ['server', 'path'], toValues: (s) => ({ type: 'nfs', server: s.server, path: s.path }) },
  configMap: { fields: ['name', 'defaultMode', 'items'], toValues: (s) => compact({ type: 'configMap', name: s.name, defaultMode: s.defaultMode, items: s.items }) },
  secret: { fields: ['secretName', 'defaultMode', 'items'], toValues: (s) => compact({ type: 'secret', name: s.secretName, defaultMode: s.defaultMode, items: s.items }) },
}
const MOUNT_KEYS = new Set(['name', 'mountPath', 'subPath', 'readOnly'])

/** A workload as persistence sees it. */
export interface PodVolumes {
  index: number
  controller: string
  /** Key path of the pod spec in the manifest. */
  podPath: KeyPath
  pod: Obj
  /** Container name → identifier, for containers then init containers. */
  ids: Record<string, string>
  /** Mounted names that are volumeClaimTemplates, not pod volumes. */
  claimTemplates: ReadonlySet<string>
}

type Report = (f: Omit<Finding, 'at'>, index: number, path: KeyPath) => void

interface Item {
  values: Obj
  source: Obj
  from: PodVolumes
  /** controller → container id → mounts */
  mounts: Map<string, Map<string, Obj[]>>
}

/** Builds `persistence` for every volume of every workload. */
export function convertPersistence(pods: readonly PodVolumes[], report: Report): Obj {
  const items = new Map<string, Item>()
  for (const p of pods) {
    arr(p.pod.volumes).forEach((raw, i) => {
      const v = obj(raw)
      const name = str(v.name) ?? ''
      const kinds = Object.keys(v).filter((k) => k !== 'name')
      const at = [...p.podPath, 'volumes', i]
      const src = SOURCES[kinds[0]]
      if (kinds.length !== 1 || !src) {
        report({ severity: 'error', rule: 'unsupported-volume', message: `volume ${name} (${kinds.join(', ')}) has no app-template persistence type this tool converts`, hint: 'supported: persistentVolumeClaim, emptyDir, hostPath, nfs, configMap, secret' }, p.index, at)
        return
      }
      const source = obj(v[kinds[0]])
      for (const k of Object.keys(source)) {
        if (!src.fields.includes(k)) report({ severity: 'error', rule: 'unsupported-field', message: `volume ${name} field \`${kinds[0]}.${k}\` has no app-template persistence key` }, p.index, [...at, kinds[0], k])
      }
      const prev = items.get(name)
      if (prev) {
        if (!deepEqual(prev.source, v)) report({ severity: 'error', rule: 'volume-conflict', message: `volume ${name} differs between two workloads; one persistence item cannot hold both`, hint: 'rename one of the volumes' }, p.index, at)
        return
      }
      items.set(name, { values: src.toValues(source), source: v, from: p, mounts: new Map() })
    })
  }
  for (const p of pods) collectMounts(p, items, report)
  const out: Obj = {}
  for (const name of [...items.keys()]) {
    const item = items.get(name)!
    const every = pods.flatMap((p) => Object.values(p.ids).map((id) => item.mounts.get(p.controller)?.get(id) ?? []))
    if (every.length === 0 || every.every((m) => m.length === 0)) {
      const i = arr(item.from.pod.volumes).findIndex((v) => obj(v).name === name)
      report({ severity: 'error', rule: 'unmounted-volume', message: `volume ${name} is mounted by no container; app-template mounts every persistence item`, hint: 'remove the unused volume' }, item.from.index, [...item.from.podPath, 'volumes', i])
      continue
    }
    // Whether the chart also mounts globalMounts into init containers is not certain: with any, mount per container.
    const hasInit = pods.some((p) => arr(p.pod.initContainers).length > 0)
    if (!hasInit && every.every((m) => sameMounts(m, every[0]))) out[name] = { ...item.values, globalMounts: every[0] }
    else {
      const adv: Obj = {}
      for (const [ctrl, byContainer] of item.mounts) {
        const c: Obj = {}
        for (const [id, m] of byContainer) if (m.length > 0) c[id] = m
        if (Object.keys(c).length > 0) adv[ctrl] = c
      }
      out[name] = { ...item.values, advancedMounts: adv }
    }
  }
  return out
}

function collectMounts(p: PodVolumes, items: Map<string, Item>, report: Report): void {
  for (const key of ['containers', 'initContainers']) {
    arr(p.pod[key]).forEach((raw, ci) => {
      const c = obj(raw)
      const id = p.ids[str(c.name) ?? '']
      arr(c.volumeMounts).forEach((rm, mi) => {
        const m = obj(rm)
        if (p.claimTemplates.has(str(m.name) ?? '')) return
        const at = [...p.podPath, key, ci, 'volumeMounts', mi]
        for (const k of Object.keys(m)) {
          if (!MOUNT_KEYS.has(k)) report({ severity: 'error', rule: 'unsupported-field', message: `container ${c.name} mount field \`${k}\` has no app-template key` }, p.index, [...at, k])
        }
        const item = items.get(str(m.name) ?? '')
        if (!item) {
          report({ severity: 'error', rule: 'unknown-volume', message: `container ${c.name} mounts volume ${m.name}, which the pod does not define` }, p.index, at)
          return
        }
        if (!item.mounts.has(p.controller)) item.mounts.set(p.controller, new Map())
        const byContainer = item.mounts.get(p.controller)!
        if (!byContainer.has(id)) byContainer.set(id, [])
        byContainer.get(id)!.push(compact({ path: m.mountPath, subPath: m.subPath, readOnly: m.readOnly === true ? true : undefined }))
      })
    })
  }
}

function sameMounts(a: Obj[], b: Obj[]): boolean {
  const key = (m: Obj) => JSON.stringify([m.path, m.subPath ?? null, m.readOnly ?? false])
  return a.length === b.length && [...a].map(key).sort().join('\n') === [...b].map(key).sort().join('\n')
}
