/**
 * The schema models of the kinds a home-lab app is mostly made of, bundled by `npm run build` into `dist/models/`
 * (one file a kind, shared code split into chunks). Importing a model from its package reads dozens of small files
 * (~130 ms for a dozen kinds); its bundle, a few (~35 ms). Kinds not listed, or a tree that was not built, import
 * from the packages as before: the bundle changes how fast a model loads, never which one.
 */
import { loadModule } from '../load-module.ts'

/** `apiVersion kind` of every bundled model: the kinds a migration writes, then the common kinds of an app. */
export const BUNDLED_KINDS: readonly string[] = [
  'kustomize.toolkit.fluxcd.io/v1 Kustomization',
  'helm.toolkit.fluxcd.io/v2 HelmRelease',
  'source.toolkit.fluxcd.io/v1 OCIRepository',
  'source.toolkit.fluxcd.io/v1 HelmRepository',
  'source.toolkit.fluxcd.io/v1 GitRepository',
  'notification.toolkit.fluxcd.io/v1 Receiver',
  'notification.toolkit.fluxcd.io/v1beta3 Alert',
  'notification.toolkit.fluxcd.io/v1beta3 Provider',
  'gateway.networking.k8s.io/v1 HTTPRoute',
  'gateway.networking.k8s.io/v1 GRPCRoute',
  'gateway.networking.k8s.io/v1 Gateway',
  'gateway.networking.k8s.io/v1beta1 ReferenceGrant',
  'external-secrets.io/v1 ExternalSecret',
  'external-secrets.io/v1 ClusterSecretStore',
  'external-secrets.io/v1 SecretStore',
  'v1 ConfigMap',
  'v1 Namespace',
  'v1 PersistentVolume',
  'v1 PersistentVolumeClaim',
  'v1 Pod',
  'v1 Secret',
  'v1 Service',
  'v1 ServiceAccount',
  'apps/v1 DaemonSet',
  'apps/v1 Deployment',
  'apps/v1 StatefulSet',
  'batch/v1 CronJob',
  'batch/v1 Job',
  'networking.k8s.io/v1 Ingress',
  'networking.k8s.io/v1 NetworkPolicy',
  'policy/v1 PodDisruptionBudget',
  'autoscaling/v2 HorizontalPodAutoscaler',
  'rbac.authorization.k8s.io/v1 ClusterRole',
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding',
  'rbac.authorization.k8s.io/v1 Role',
  'rbac.authorization.k8s.io/v1 RoleBinding',
]

/** The module written beside the bundles, exporting `kinds` (the bundled ones), so a partial or older build is never trusted. */
export const MANIFEST = 'index.js'

/** File name (without `.js`) of the bundle of apiVersion/kind. */
export function bundleName(apiVersion: string, kind: string): string {
  return `${apiVersion.replace(/\//g, '_')}_${kind}`
}

type Bundles = { base: string; kinds: Set<string> } | null
let found: Promise<Bundles> | undefined

/**
 * The built bundles, `dist/models/` of this package, as seen from this module: from the CLI bundle (`dist/cli/`),
 * the library (`dist/src/check/`), or the sources after a build (`src/check/`). Null when there are none.
 */
function bundles(): Promise<Bundles> {
  found ??= (async () => {
    for (const rel of ['../models/', '../../models/', '../../dist/models/']) {
      const base = new URL(rel, import.meta.url).href
      try {
        const { kinds } = (await loadModule(new URL(MANIFEST, base).href)) as { kinds?: unknown }
        if (Array.isArray(kinds)) return { base, kinds: new Set(kinds.filter((k): k is string => typeof k === 'string')) }
      } catch {
        // Not built there.
      }
    }
    return null
  })()
  return found
}

/** URL of the bundle holding the model of apiVersion/kind, if one was built. */
export async function bundledModelUrl(apiVersion: string, kind: string): Promise<string | undefined> {
  const b = await bundles()
  if (!b || !b.kinds.has(`${apiVersion} ${kind}`)) return undefined
  return new URL(`${bundleName(apiVersion, kind)}.js`, b.base).href
}
