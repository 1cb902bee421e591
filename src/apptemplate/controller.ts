/** A workload's own fields → `controllers.<id>` (type, replicas, strategy, cronjob/job/statefulset) and pod options. */
import { POD_FIELDS, unsupportedField } from './kube-fields.ts'
import type { Finding, KeyPath, Obj } from './types.ts'
import { compact, isObj, obj, str } from './util.ts'

/** Pod fields app-template has a key for (under `defaultPodOptions` or a controller's `pod`). */
export const POD_OPTIONS = [
  'affinity', 'automountServiceAccountToken', 'dnsConfig', 'dnsPolicy', 'enableServiceLinks', 'hostAliases', 'hostIPC',
  'hostNetwork', 'hostPID', 'imagePullSecrets', 'nodeSelector', 'priorityClassName', 'restartPolicy', 'runtimeClassName',
  'schedulerName', 'securityContext', 'terminationGracePeriodSeconds', 'tolerations', 'topologySpreadConstraints',
] as const
/** Pod fields handled elsewhere (containers, persistence). */
const POD_HANDLED = new Set(['containers', 'initContainers', 'volumes'])

/** Spec fields each workload kind may have (template and selector are handled by the converter). */
const SPEC_KEYS: Record<string, string[]> = {
  deployment: ['replicas', 'selector', 'template', 'strategy', 'revisionHistoryLimit'],
  statefulset: ['replicas', 'selector', 'template', 'serviceName', 'volumeClaimTemplates', 'podManagementPolicy', 'updateStrategy', 'revisionHistoryLimit'],
  daemonset: ['selector', 'template', 'updateStrategy', 'revisionHistoryLimit'],
  cronjob: ['schedule', 'timeZone', 'concurrencyPolicy', 'startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'suspend', 'jobTemplate'],
  job: ['template', 'backoffLimit', 'ttlSecondsAfterFinished', 'parallelism', 'suspend'],
}
const JOB_TEMPLATE_KEYS = ['template', 'backoffLimit', 'ttlSecondsAfterFinished', 'parallelism']

type Report = (f: Omit<Finding, 'at'>, path: KeyPath) => void

/** Path of the pod template in a workload of this type. */
export function templatePath(type: string): KeyPath {
  return type === 'cronjob' ? ['spec', 'jobTemplate', 'spec', 'template'] : ['spec', 'template']
}

function unsupported(report: Report, what: string, keys: string[], o: Obj, path: KeyPath): void {
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) report({ severity: 'error', rule: 'unsupported-field', message: `${what} field \`${k}\` has no app-template key`, hint: 'remove or fix the field, or keep the app raw' }, [...path, k])
  }
}

/** Controller values other than containers and pod options. */
export function convertController(w: Obj, type: string, report: Report, explicit: string[]): Obj {
  const spec = obj(w.spec)
  const kind = str(w.kind) ?? type
  unsupported(report, `${kind} spec`, SPEC_KEYS[type], spec, ['spec'])
  const c: Obj = { type }
  if (type === 'deployment') {
    c.replicas = spec.replicas
    const s = obj(spec.strategy)
    unsupported(report, `${kind} strategy`, ['type', 'rollingUpdate'], s, ['spec', 'strategy'])
    // The chart's default strategy is not Kubernetes' (RollingUpdate): always say which one.
    c.strategy = str(s.type) ?? 'RollingUpdate'
    if (s.type === undefined) explicit.push('strategy: RollingUpdate')
    if (isObj(s.rollingUpdate)) c.rollingUpdate = rolling(s.rollingUpdate, report, ['spec', 'strategy', 'rollingUpdate'])
    c.revisionHistoryLimit = spec.revisionHistoryLimit
  } else if (type === 'statefulset' || type === 'daemonset') {
    c.replicas = spec.replicas
    const s = obj(spec.updateStrategy)
    unsupported(report, `${kind} updateStrategy`, ['type', 'rollingUpdate'], s, ['spec', 'updateStrategy'])
    c.strategy = str(s.type) ?? 'RollingUpdate'
    if (isObj(s.rollingUpdate)) c.rollingUpdate = rolling(s.rollingUpdate, report, ['spec', 'updateStrategy', 'rollingUpdate'])
    c.revisionHistoryLimit = spec.revisionHistoryLimit
    if (type === 'statefulset' && spec.podManagementPolicy !== undefined) c.statefulset = { podManagementPolicy: spec.podManagementPolicy }
  } else if (type === 'cronjob') {
    const jt = obj(spec.jobTemplate)
    unsupported(report, `${kind} jobTemplate`, ['spec'], jt, ['spec', 'jobTemplate'])
    const js = obj(jt.spec)
    unsupported(report, `${kind} job`, JOB_TEMPLATE_KEYS, js, ['spec', 'jobTemplate', 'spec'])
    // Kubernetes' defaults (Allow, 3 successful jobs kept) differ from the chart's (Forbid, 1): say them.
    if (spec.concurrencyPolicy === undefined) explicit.push('concurrencyPolicy: Allow')
    if (spec.successfulJobsHistoryLimit === undefined) explicit.push('successfulJobsHistory: 3')
    c.cronjob = compact({
      schedule: spec.schedule,
      timeZone: spec.timeZone,
      concurrencyPolicy: spec.concurrencyPolicy ?? 'Allow',
      startingDeadlineSeconds: spec.startingDeadlineSeconds,
      successfulJobsHistory: spec.successfulJobsHistoryLimit ?? 3,
      failedJobsHistory: spec.failedJobsHistoryLimit,
      suspend: spec.suspend,
      backoffLimit: js.backoffLimit,
      ttlSecondsAfterFinished: js.ttlSecondsAfterFinished,
      parallelism: js.parallelism,
    })
  } else if (type === 'job') {
    c.job = compact({ backoffLimit: spec.backoffLimit, ttlSecondsAfterFinished: spec.ttlSecondsAfterFinished, parallelism: spec.parallelism, suspend: spec.suspend })
    if (Object.keys(c.job as Obj).length === 0) delete c.job
  }
  return compact(c)
}

function rolling(r: Obj, report: Report, path: KeyPath): Obj {
  unsupported(report, 'rollingUpdate', ['maxSurge', 'maxUnavailable', 'partition'], r, path)
  return compact({ surge: r.maxSurge, unavailable: r.maxUnavailable, partition: r.partition })
}

/** Pod spec → pod option values, with the chart defaults that differ from Kubernetes' made explicit. */
export function convertPodOptions(pod: Obj, type: string, report: Report, base: KeyPath, explicit: string[]): Obj {
  const out: Obj = {}
  for (const k of Object.keys(pod)) {
    if (POD_HANDLED.has(k)) continue
    if (!(POD_OPTIONS as readonly string[]).includes(k)) report(unsupportedField('pod', k, POD_FIELDS), [...base, k])
  }
  for (const k of POD_OPTIONS) if (pod[k] !== undefined) out[k] = pod[k]
  // app-template turns service links off by default; Kubernetes has them on, and apps may read them.
  if (pod.enableServiceLinks === undefined) {
    out.enableServiceLinks = true
    explicit.push('enableServiceLinks: true')
  }
  else if (pod.enableServiceLinks === false) delete out.enableServiceLinks
  // With hostNetwork the chart defaults to ClusterFirstWithHostNet; Kubernetes to ClusterFirst.
  if (pod.hostNetwork === true && pod.dnsPolicy === undefined) {
    out.dnsPolicy = 'ClusterFirst'
    explicit.push('dnsPolicy: ClusterFirst')
  }
  const chartRestart = type === 'cronjob' || type === 'job' ? 'Never' : 'Always'
  if ((pod.restartPolicy ?? 'Always') === chartRestart) delete out.restartPolicy
  else out.restartPolicy = pod.restartPolicy ?? 'Always'
  return out
}
