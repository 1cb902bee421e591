/**
 * The rules `bitty2chongus check` enforces: id, default severity, what it checks. This table is data: the README
 * table, SARIF rule metadata and the configuration check all read it.
 */
import type { Severity } from '../diagnostics.ts'

/** What the registry says about a rule. */
export interface RuleMeta {
  severity: Severity
  /** One line: what the rule requires. */
  description: string
  /** The seed principle or anti-pattern it enforces, if any. */
  source?: string
}

/** Every rule, by name (its id is `check/<name>`), in the order the README lists them. */
export const RULES = {
  yaml: { severity: 'error', description: 'every file of the app parses as YAML' },
  layout: { severity: 'error', description: 'the app lives in `<appsDir>/<namespace>/<app>/` with a `ks.yaml` and an `app/` folder', source: 'anti-pattern 8' },
  'kebab-case': { severity: 'error', description: 'namespace and app folder names are kebab-case' },
  'namespace-entry': { severity: 'error', description: 'the namespace `kustomization.yaml` exists and lists `./<app>/ks.yaml`; every entry it lists exists' },
  'file-names': { severity: 'warning', description: 'HelmRelease, OCIRepository and ExternalSecret live in `helmrelease.yaml`, `ocirepository.yaml`, `externalsecret.yaml`; Flux Kustomizations in `ks.yaml`; `.yaml`, not `.yml`' },
  kustomization: { severity: 'error', description: 'every kustomize entry (resources, components, generator files) exists and stays in the repository' },
  'outside-app': { severity: 'warning', description: 'the app renders no file from outside its folder other than components', source: 'principle 5' },
  'source-ref': { severity: 'error', description: 'Flux Kustomization `sourceRef` is GitRepository `flux-system` in namespace `flux-system`', source: 'anti-pattern 14' },
  'spec-path': { severity: 'error', description: '`spec.path` is a literal path to a folder inside the app folder' },
  'target-namespace': { severity: 'error', description: '`targetNamespace` is set (to the namespace folder)' },
  components: { severity: 'error', description: 'every `spec.components` entry resolves relative to `spec.path` to an existing `kind: Component` folder' },
  'depends-on': { severity: 'error', description: 'every `dependsOn` names a Flux Kustomization of the repository, with its namespace', source: 'principle 7' },
  'sops-substitution': { severity: 'error', description: 'no `decryption` and no `postBuild.substituteFrom` a Secret', source: 'anti-pattern 3' },
  'undefined-variable': { severity: 'error', description: 'every `${VAR}` the app renders (components included) is defined by `postBuild.substitute` or has a default' },
  'helm-repository': { severity: 'error', description: 'no HelmRepository, and no HelmRelease chart from one', source: 'anti-pattern 1' },
  'chart-ref': { severity: 'error', description: "a HelmRelease's `chartRef` names an OCIRepository of the same app", source: 'principle 4' },
  'shared-oci-repository': { severity: 'error', description: 'one OCIRepository per app: not in another namespace, not defined twice', source: 'principle 4' },
  'oci-ref': { severity: 'error', description: 'every OCIRepository has a `ref` (without one Flux pulls `latest`)' },
  ingress: { severity: 'error', description: 'no Ingress, no app-template `ingress` values', source: 'anti-pattern 6' },
  'gateway-ref': { severity: 'error', description: 'route parentRefs name a configured gateway with its namespace' },
  'internal-gateway': { severity: 'warning', description: 'routes use `envoy-internal` unless the app is listed in `check.external`', source: 'anti-pattern 13' },
  'backend-port': { severity: 'error', description: 'route backend ports are integers' },
  'backend-service': { severity: 'error', description: 'route backendRefs and ServiceMonitor services name a Service the app renders (app-template naming rules)' },
  sops: { severity: 'error', description: 'no SOPS-encrypted file in the app', source: 'anti-pattern 2' },
  'external-secret': { severity: 'error', description: 'ExternalSecrets are `external-secrets.io/v1` and read the `doppler` ClusterSecretStore', source: 'principle 2' },
  'secret-data': { severity: 'error', description: 'no Secret manifest with `data` or `stringData` in git', source: 'anti-pattern 7' },
  'memory-limit': { severity: 'error', description: 'every container has a memory limit', source: 'principle 9' },
  'image-digest': { severity: 'warning', description: 'every image is pinned as `tag@sha256:<digest>` (Renovate pins after merge)', source: 'anti-pattern 9' },
  velero: { severity: 'error', description: 'no Velero resources or annotations', source: 'anti-pattern 12' },
  volsync: { severity: 'warning', description: 'an app with a PersistentVolumeClaim or `existingClaim` uses the volsync component', source: 'principle 8' },
  'volsync-claim': { severity: 'error', description: "an `existingClaim` (or a pod volume's `claimName`) of a volsync app names the component's claim (`VOLSYNC_CLAIM`, else `APP`)" },
  schema: { severity: 'error', description: 'Flux, Gateway API, external-secrets and core resources validate against their schema' },
  'kustomize-build': { severity: 'error', description: '`kubectl kustomize` builds each Flux Kustomization as Flux would (when kubectl is on PATH)' },
  kubectl: { severity: 'info', description: 'kubectl is not on PATH: the real kustomize build was skipped' },
} as const satisfies Record<string, RuleMeta>

/** The name of a rule of {@link RULES}. */
export type RuleName = keyof typeof RULES

/** Prefix of every rule id of `check`. */
export const RULE_PREFIX = 'check/'

/** `check/<rule>` → rule name, accepting the bare name too; undefined when unknown. */
export function ruleName(id: string): RuleName | undefined {
  const n = id.startsWith(RULE_PREFIX) ? id.slice(RULE_PREFIX.length) : id
  return n in RULES ? (n as RuleName) : undefined
}
