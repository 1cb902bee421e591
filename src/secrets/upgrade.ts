/**
 * The ExternalSecret `v1beta1` → `v1` upgrade as a list of edits, so the caller applies them in place and keeps
 * comments and key order. ESO 0.17 stopped serving v1beta1 with no conversion; the schema is the same, so the
 * upgrade is the `apiVersion` plus the Chongus conventions:
 *
 * - `metadata.namespace` is dropped: the Kustomization's `targetNamespace` places the object (reported, loss).
 * - `target.creationPolicy: Owner` is added when absent. Owner is ESO's default, so nothing changes at runtime.
 * - `target.template.engineVersion: v2` is added only inside an existing `template`. v2 is the default engine,
 *   so this is explicit, not different. A template is never created: with one, ESO renders only the templated
 *   keys (`mergePolicy: Replace`), which would change the Secret.
 * - A template on engine `v1`, which current ESO lacks, stops the upgrade: its syntax needs a person.
 */
import { isNullText } from '../document.ts'
import { finding, type Finding, type FindingPath } from '../vars/finding.ts'


/** One edit: `set` replaces an existing value, `add` creates a missing key (and missing parent maps), `delete` removes. */
export interface Change {
  path: FindingPath
  action: 'set' | 'add' | 'delete'
  value?: unknown
}

/** The edits of an upgrade and what the user should know about them. */
export interface Upgrade {
  changes: Change[]
  findings: Finding[]
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const GROUP = 'external-secrets.io'

/** Describes the upgrade of one ExternalSecret to `external-secrets.io/v1`; already-upgraded input gives no change. */
export function upgradeExternalSecret(obj: unknown): Upgrade {
  const changes: Change[] = []
  const findings: Finding[] = []
  const o = isObj(obj) ? obj : {}
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : ''
  if (o.kind !== 'ExternalSecret' || !apiVersion.startsWith(`${GROUP}/`)) {
    findings.push(finding('error', 'not-an-external-secret', 'the document is not an external-secrets.io ExternalSecret'))
    return { changes, findings }
  }
  const version = apiVersion.slice(GROUP.length + 1)
  if (version !== 'v1' && version !== 'v1beta1') {
    findings.push(finding('error', 'unsupported-version', `\`${apiVersion}\` has another schema; only v1beta1 is upgraded`, { path: ['apiVersion'] }))
    return { changes, findings }
  }
  const spec = isObj(o.spec) ? o.spec : {}
  const target = isObj(spec.target) ? spec.target : undefined
  for (const [path, v] of [[['spec'], o.spec], [['spec', 'target'], spec.target], [['spec', 'target', 'template'], target?.template]] as const) {
    if (v === undefined || isNullText(v) || isObj(v)) continue
    findings.push(finding('error', 'malformed', `${path.join('.')} is not a map: ESO rejects the ExternalSecret; it was left unchanged`, { path: [...path], hint: 'fix the ExternalSecret, then run the upgrade again' }))
    return { changes, findings }
  }
  const template = target && isObj(target.template) ? target.template : undefined
  if (template?.engineVersion === 'v1') {
    findings.push(
      finding('error', 'template-engine-v1', 'the template uses engine v1, which ESO no longer has; the ExternalSecret was left unchanged', {
        path: ['spec', 'target', 'template', 'engineVersion'],
        hint: 'rewrite the template for engine v2 (sprig functions, string values), then run the upgrade again',
      }),
    )
    return { changes, findings }
  }

  if (version === 'v1beta1') changes.push({ path: ['apiVersion'], action: 'set', value: `${GROUP}/v1` })
  const meta = isObj(o.metadata) ? o.metadata : {}
  if (meta.namespace !== undefined) {
    findings.push(
      finding('info', 'namespace-dropped', `\`metadata.namespace: ${String(meta.namespace)}\` was dropped: the Kustomization's target namespace applies`, {
        path: ['metadata', 'namespace'],
        loss: true,
      }),
    )
    changes.push({ path: ['metadata', 'namespace'], action: 'delete' })
  }
  if (target?.creationPolicy === undefined) {
    changes.push({ path: ['spec', 'target', 'creationPolicy'], action: 'add', value: 'Owner' })
  } else if (target.creationPolicy !== 'Owner') {
    findings.push(finding('info', 'creation-policy-kept', `\`creationPolicy: ${String(target.creationPolicy)}\` was kept`, { path: ['spec', 'target', 'creationPolicy'] }))
  }
  if (template && template.engineVersion === undefined) {
    changes.push({ path: ['spec', 'target', 'template', 'engineVersion'], action: 'add', value: 'v2' })
  }
  findings.push(...storeFindings(spec))
  return { changes, findings }
}

/** Stores other than the `doppler` ClusterSecretStore, and generators, wherever they are referenced. */
function storeFindings(spec: Obj): Finding[] {
  const out: Finding[] = []
  const check = (ref: unknown, path: FindingPath): void => {
    if (!isObj(ref)) return
    // ESO defaults `kind` to the namespaced SecretStore.
    const kind = typeof ref.kind === 'string' ? ref.kind : 'SecretStore'
    if (kind !== 'ClusterSecretStore' || ref.name !== 'doppler') {
      out.push(
        finding('warning', 'store-not-doppler', `the store reference is ${kind} \`${String(ref.name)}\`, not ClusterSecretStore \`doppler\``, {
          path,
          hint: 'make sure that store exists on the target cluster',
        }),
      )
    }
  }
  check(spec.secretStoreRef, ['spec', 'secretStoreRef'])
  for (const field of ['data', 'dataFrom'] as const) {
    const list = Array.isArray(spec[field]) ? (spec[field] as unknown[]) : []
    list.forEach((entry, i) => {
      const src = isObj(entry) && isObj(entry.sourceRef) ? entry.sourceRef : undefined
      if (!src) return
      check(src.storeRef, ['spec', field, i, 'sourceRef', 'storeRef'])
      if (src.generatorRef !== undefined) {
        out.push(finding('info', 'generator-ref', 'this entry uses a generator; check it exists on the target cluster', { path: ['spec', field, i, 'sourceRef', 'generatorRef'] }))
      }
    })
  }
  return out
}

/** Applies changes to a deep copy of `obj` (for previews and tests; a migration edits its YAML in place). */
export function applyChanges<T>(obj: T, changes: readonly Change[]): T {
  const copy = structuredClone(obj)
  for (const c of changes) {
    let cur = copy as unknown as Record<string | number, unknown>
    for (const k of c.path.slice(0, -1)) {
      if (!isObj(cur[k]) && !Array.isArray(cur[k])) cur[k] = {}
      cur = cur[k] as Record<string | number, unknown>
    }
    const last = c.path[c.path.length - 1]
    if (c.action === 'delete') delete cur[last]
    else cur[last] = c.value
  }
  return copy
}
