/** Labels and annotations of workloads and pod templates: carried, or dropped with a reason. */
import { keepLabels } from './services.ts'
import type { Finding, KeyPath, Obj } from './types.ts'
import { arr, isObj, isVeleroKey, obj, strMap } from './util.ts'

type Report = (f: Omit<Finding, 'at'>, path: KeyPath) => void

/** Annotations without Velero's (Chongus backs up with volsync), each dropped one reported. */
export function keepAnnotations(annotations: unknown, what: string, base: KeyPath, report: Report): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(strMap(annotations))) {
    if (isVeleroKey(k)) report({ severity: 'info', rule: 'velero-dropped', message: `${what} annotation ${k} is dropped: Velero backups are not carried to Chongus (volsync backs up the claims)`, loss: true }, [...base, k])
    else out[k] = v
  }
  return out
}

/**
 * Pod template labels to carry. The chart writes its own selector labels, so a label of the old selector that the
 * chart does not reproduce (a misspelled key, a custom one) is dropped and reported; other labels are carried.
 */
export function keepPodLabels(labels: unknown, oldSelector: Record<string, string>, chartSelector: Record<string, string>, major: number, base: KeyPath, report: Report): Record<string, string> {
  const all = strMap(labels)
  const kept = keepLabels(all, chartSelector, major, (k) =>
    report({ severity: 'info', rule: 'label-dropped', message: `pod label ${k}: ${all[k]} is dropped: app-template sets ${k}: ${chartSelector[k] ?? '(its own value)'}`, loss: true }, [...base, k]),
  )
  for (const k of Object.keys(kept)) {
    if (!(k in oldSelector) || chartSelector[k] === kept[k]) continue
    report({ severity: 'info', rule: 'selector-label-dropped', message: `pod label ${k}: ${kept[k]} is dropped with the old selector: app-template selects pods by ${Object.keys(chartSelector).join(', ')}`, loss: true }, [...base, k])
    delete kept[k]
  }
  return kept
}

/** Metadata keys a workload or pod template may carry (namespace is set by the Flux Kustomization). */
export function checkMetadata(meta: unknown, what: string, allowed: readonly string[], base: KeyPath, report: Report): void {
  for (const k of Object.keys(obj(meta))) {
    if (k === 'namespace') report({ severity: 'info', rule: 'namespace-dropped', message: `${what} metadata.namespace is dropped: the release's namespace (the Flux Kustomization's targetNamespace) applies` }, [...base, k])
    else if (!allowed.includes(k)) report({ severity: 'error', rule: 'unsupported-field', message: `${what} metadata field \`${k}\` has no app-template key` }, [...base, k])
  }
}

/** Whether a pod reads Secrets or ConfigMaps (then Reloader should restart it when they change). */
export function consumesConfig(pod: Obj): boolean {
  const refs = (c: unknown) =>
    arr(obj(c).envFrom).some((e) => isObj(obj(e).secretRef) || isObj(obj(e).configMapRef)) ||
    arr(obj(c).env).some((e) => {
      const vf = obj(obj(e).valueFrom)
      return isObj(vf.secretKeyRef) || isObj(vf.configMapKeyRef)
    })
  return (
    [...arr(pod.containers), ...arr(pod.initContainers)].some(refs) ||
    arr(pod.volumes).some((v) => isObj(obj(v).secret) || isObj(obj(v).configMap) || isObj(obj(v).projected))
  )
}

/** Names of ConfigMaps or Secrets a pod references, with their key paths (relative to the pod spec). */
export function configRefs(pod: Obj): { kind: 'ConfigMap' | 'Secret'; name: string; path: KeyPath }[] {
  const out: { kind: 'ConfigMap' | 'Secret'; name: string; path: KeyPath }[] = []
  const add = (kind: 'ConfigMap' | 'Secret', name: unknown, path: KeyPath) => {
    if (typeof name === 'string') out.push({ kind, name, path })
  }
  for (const key of ['containers', 'initContainers']) {
    arr(pod[key]).forEach((c, ci) => {
      arr(obj(c).envFrom).forEach((e, i) => {
        add('ConfigMap', obj(obj(e).configMapRef).name, [key, ci, 'envFrom', i, 'configMapRef', 'name'])
        add('Secret', obj(obj(e).secretRef).name, [key, ci, 'envFrom', i, 'secretRef', 'name'])
      })
      arr(obj(c).env).forEach((e, i) => {
        const vf = obj(obj(e).valueFrom)
        add('ConfigMap', obj(vf.configMapKeyRef).name, [key, ci, 'env', i, 'valueFrom', 'configMapKeyRef', 'name'])
        add('Secret', obj(vf.secretKeyRef).name, [key, ci, 'env', i, 'valueFrom', 'secretKeyRef', 'name'])
      })
    })
  }
  arr(pod.volumes).forEach((v, i) => {
    add('ConfigMap', obj(obj(v).configMap).name, ['volumes', i, 'configMap', 'name'])
    add('Secret', obj(obj(v).secret).secretName, ['volumes', i, 'secret', 'secretName'])
  })
  return out
}
