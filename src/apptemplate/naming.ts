/**
 * app-template's naming and selector rules (bjw-s common 3.7.x and 4.x), shared by the converter and the model so
 * both name a resource the same way.
 */

/** Major version of a chart version string (`4.4.0` → 4). */
export function chartMajor(version: string): number {
  const m = /^v?([0-9]+)/.exec(version)
  return m ? Number(m[1]) : 4
}

/**
 * Name of a rendered resource of a kind (controllers, services, serviceMonitors).
 * 4.x: the release when one item of the kind is enabled, else `<release>-<id>`, never doubled.
 * 3.x: the release when one item is enabled (or, for services, the one marked `primary`), else `<release>-<id>`.
 */
export function resourceName(release: string, id: string, enabledCount: number, major: number, primary = false): string {
  if (enabledCount <= 1) return release
  if (major >= 4) return id === release ? release : `${release}-${id}`
  return primary ? release : `${release}-${id}`
}

/** The pod selector app-template gives a controller (4.0 renamed `component` to `controller`). */
export function selectorLabels(release: string, controllerId: string, major: number): Record<string, string> {
  return {
    'app.kubernetes.io/name': release,
    'app.kubernetes.io/instance': release,
    [major >= 4 ? 'app.kubernetes.io/controller' : 'app.kubernetes.io/component']: controllerId,
  }
}

/** Labels the chart puts on every resource it renders. */
export function commonLabels(release: string, version: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': release,
    'app.kubernetes.io/instance': release,
    'app.kubernetes.io/managed-by': 'Helm',
    'helm.sh/chart': `app-template-${version}`,
  }
}

/** Label keys the chart owns on a resource: a value the manifest had for them cannot be kept. */
export function chartOwnedKeys(major: number): string[] {
  return ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/managed-by', 'helm.sh/chart', major >= 4 ? 'app.kubernetes.io/controller' : 'app.kubernetes.io/component', 'app.kubernetes.io/service']
}
