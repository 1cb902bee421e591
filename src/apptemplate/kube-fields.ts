/** Fields Kubernetes (core/v1, 1.33) knows, to tell a field app-template lacks from one Kubernetes never read. */
import type { Finding } from './types.ts'

/** `Container` fields. */
export const CONTAINER_FIELDS = new Set(['name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy', 'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty'])

/** `PodSpec` fields. */
export const POD_FIELDS = new Set(['volumes', 'initContainers', 'containers', 'ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'dnsPolicy', 'nodeSelector', 'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'nodeName', 'hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'securityContext', 'imagePullSecrets', 'hostname', 'subdomain', 'affinity', 'schedulerName', 'tolerations', 'hostAliases', 'priorityClassName', 'priority', 'dnsConfig', 'readinessGates', 'runtimeClassName', 'enableServiceLinks', 'preemptionPolicy', 'overhead', 'topologySpreadConstraints', 'setHostnameAsFQDN', 'os', 'hostUsers', 'schedulingGates', 'resourceClaims', 'resources'])

/**
 * The error for a field with no app-template key. A field Kubernetes does not know either was never applied (the
 * API server drops unknown fields, or refuses the object under strict validation): the message says so, since the
 * fix is then to delete or move it, not to keep the app raw.
 */
export function unsupportedField(what: string, key: string, known: ReadonlySet<string>): Omit<Finding, 'at'> {
  if (known.has(key)) return { severity: 'error', rule: 'unsupported-field', message: `${what} field \`${key}\` has no app-template key`, hint: 'remove or fix the field, or keep the app raw' }
  const comment = key.startsWith('//') ? ' (a comment written with `//`? YAML comments start with `#`)' : ''
  return {
    severity: 'error',
    rule: 'unsupported-field',
    message: `${what} field \`${key}\` is no Kubernetes field either${comment}: the API server never applied it, and it is not carried over silently`,
    hint: 'delete it (or move it where Kubernetes reads it), then migrate again',
  }
}
