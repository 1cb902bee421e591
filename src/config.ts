/** `.bitty2chongus.yaml`: cluster variable values and the target conventions (defaults: the seed's). */
import { parseChartsConfig, type ChartOverride } from './charts/index.ts'
import { YamlFile, isNullText } from './document.ts'
import { MigrationError } from './errors.ts'
import { normalize } from './paths.ts'

export interface GatewayRef {
  name: string
  namespace: string
  sectionName: string
}

export interface DependencyTarget {
  name: string
  namespace: string
}

/** The resolved configuration: every key of `.bitty2chongus.yaml` set, defaults filled in. */
export interface Config {
  /** Values of cluster variables that Chongus no longer substitutes (inlined wherever used). */
  variables: Record<string, string>
  legacy: {
    /** Folder holding `<cluster>/<namespace>/<app>`. */
    appsDir: string
    /** Folder of the legacy cluster's Flux root; `{cluster}` is the cluster folder name. */
    fluxDir: string
    /** Folders searched (by content) for the HelmRepositories that charts come from; `{cluster}` as above. */
    repositories: string[]
  }
  target: {
    appsDir: string
    componentsDir: string
    sourceRef: { kind: string; name: string; namespace: string }
    interval: string
    retryInterval: string
    timeout: string
  }
  /** Legacy namespace → Chongus namespace. */
  namespaces: Record<string, string>
  gateways: { internal: GatewayRef; external: GatewayRef }
  secretStore: { kind: string; name: string }
  /** Legacy dependency name → its Chongus Kustomization, or null to drop it. */
  dependsOn: Record<string, DependencyTarget | null>
  /** Chart → OCI location entries that extend or override the built-in table (see the helm-oci transform). */
  charts: ChartOverride[]
  /** The raw-to-app-template transform: chart version, and whether it runs without `--to-app-template`. */
  appTemplate: { version?: string; convert: boolean }
  /** `bitty2chongus check`: rules turned off, and apps meant to be reachable from the internet. */
  check: {
    /** Rule ids (`check/<rule>` or `<rule>`), optionally scoped to one app: `<namespace>/<app>:<rule>`. */
    disable: string[]
    /** Apps (`<namespace>/<app>` or `<app>`) whose routes may use the external gateway. */
    external: string[]
  }
}

export const DEFAULT_CONFIG: Config = {
  variables: {},
  legacy: {
    appsDir: 'cluster-cd/apps',
    fluxDir: 'clusters/{cluster}/flux',
    repositories: ['cluster-cd/repositories', 'clusters/{cluster}/flux', 'clusters/base/flux/repositories'],
  },
  target: {
    appsDir: 'cluster-apps/chongus',
    componentsDir: 'cluster-apps/components',
    sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' },
    interval: '1h',
    retryInterval: '2m',
    timeout: '5m',
  },
  namespaces: {},
  gateways: {
    internal: { name: 'envoy-internal', namespace: 'network', sectionName: 'https' },
    external: { name: 'envoy-external', namespace: 'network', sectionName: 'https' },
  },
  secretStore: { kind: 'ClusterSecretStore', name: 'doppler' },
  dependsOn: {
    'rook-ceph-cluster': { name: 'rook-ceph-cluster', namespace: 'rook-ceph' },
    'external-secrets-stores': { name: 'external-secrets-store-doppler', namespace: 'external-secrets' },
    'nginx-internal': null,
    'nginx-external': null,
    'ingress-nginx': null,
    'cloudnative-pg': null,
  },
  charts: [],
  appTemplate: { convert: false },
  check: { disable: [], external: [] },
}

export const CONFIG_FILE = '.bitty2chongus.yaml'

const VAR_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

function fail(file: string, key: string, msg: string): never {
  throw new MigrationError('CONFIG', `${file}: ${key} ${msg}`)
}

function str(file: string, key: string, v: unknown): string {
  if (typeof v !== 'string' || isNullText(v)) fail(file, key, `must be a non-empty string${isNullText(v) && v !== '' ? `, not ${String(v)} (a null; leave the key out for the default)` : ''}`)
  return v
}

/** A boolean, written `true`/`false` (the YAML reader may give strings). */
function bool(file: string, key: string, v: unknown): boolean {
  if (v === true || v === 'true') return true
  if (v === false || v === 'false') return false
  fail(file, key, `must be true or false, not ${JSON.stringify(v)}`)
}

function known(file: string, prefix: string, o: Obj, keys: string[]): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) fail(file, `${prefix}${k}`, `is not a known key (known: ${keys.join(', ')})`)
}

function gateway(file: string, key: string, v: unknown, def: GatewayRef): GatewayRef {
  if (!isObj(v)) fail(file, key, 'must be a map with name, namespace and sectionName')
  known(file, `${key}.`, v, ['name', 'namespace', 'sectionName'])
  return {
    name: v.name === undefined ? def.name : str(file, `${key}.name`, v.name),
    namespace: v.namespace === undefined ? def.namespace : str(file, `${key}.namespace`, v.namespace),
    sectionName: v.sectionName === undefined ? def.sectionName : str(file, `${key}.sectionName`, v.sectionName),
  }
}

/** A list of repository-relative folders, normalised. */
function folders(file: string, key: string, v: unknown): string[] {
  if (!Array.isArray(v)) fail(file, key, 'must be a list of folders')
  return v.map((x, i) => {
    const dir = str(file, `${key}[${i}]`, x)
    const n = normalize(dir)
    if (dir.startsWith('/') || n === undefined) fail(file, `${key}[${i}]`, `must be a folder inside the repository, not ${JSON.stringify(dir)}`)
    return n
  })
}

/** Validates a configuration object (as parsed from YAML, strings only) over the defaults. */
export function resolveConfig(raw: unknown, file = CONFIG_FILE, base: Config = DEFAULT_CONFIG): Config {
  const c: Config = structuredClone(base)
  if (raw === undefined || raw === null) return c
  if (!isObj(raw)) fail(file, '(root)', 'must be a map')
  known(file, '', raw, ['variables', 'legacy', 'target', 'namespaces', 'gateways', 'secretStore', 'dependsOn', 'charts', 'appTemplate', 'check'])
  if (raw.variables !== undefined) {
    if (!isObj(raw.variables)) fail(file, 'variables', 'must be a map of NAME: value')
    for (const [k, v] of Object.entries(raw.variables)) {
      if (!VAR_NAME.test(k)) fail(file, `variables.${k}`, 'is not a valid variable name')
      if (typeof v !== 'string') fail(file, `variables.${k}`, 'must be a string (quote numbers and booleans)')
      c.variables[k] = v
    }
  }
  if (raw.legacy !== undefined) {
    if (!isObj(raw.legacy)) fail(file, 'legacy', 'must be a map')
    known(file, 'legacy.', raw.legacy, ['appsDir', 'fluxDir', 'repositories'])
    if (raw.legacy.appsDir !== undefined) c.legacy.appsDir = str(file, 'legacy.appsDir', raw.legacy.appsDir).replace(/\/+$/, '')
    if (raw.legacy.fluxDir !== undefined) c.legacy.fluxDir = str(file, 'legacy.fluxDir', raw.legacy.fluxDir).replace(/\/+$/, '')
    if (raw.legacy.repositories !== undefined) c.legacy.repositories = folders(file, 'legacy.repositories', raw.legacy.repositories)
  }
  if (raw.target !== undefined) {
    if (!isObj(raw.target)) fail(file, 'target', 'must be a map')
    known(file, 'target.', raw.target, ['appsDir', 'componentsDir', 'sourceRef', 'interval', 'retryInterval', 'timeout'])
    for (const k of ['appsDir', 'componentsDir', 'interval', 'retryInterval', 'timeout'] as const) {
      if (raw.target[k] !== undefined) c.target[k] = str(file, `target.${k}`, raw.target[k]).replace(/\/+$/, '')
    }
    for (const k of ['interval', 'retryInterval', 'timeout'] as const) {
      if (!/^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/.test(c.target[k])) fail(file, `target.${k}`, `must be a Go duration such as 1h or 2m, not ${JSON.stringify(c.target[k])}`)
    }
    if (raw.target.sourceRef !== undefined) {
      const s = raw.target.sourceRef
      if (!isObj(s)) fail(file, 'target.sourceRef', 'must be a map with kind, name and namespace')
      known(file, 'target.sourceRef.', s, ['kind', 'name', 'namespace'])
      for (const k of ['kind', 'name', 'namespace'] as const) if (s[k] !== undefined) c.target.sourceRef[k] = str(file, `target.sourceRef.${k}`, s[k])
    }
  }
  if (raw.namespaces !== undefined) {
    if (!isObj(raw.namespaces)) fail(file, 'namespaces', 'must be a map of legacy namespace: chongus namespace')
    for (const [k, v] of Object.entries(raw.namespaces)) c.namespaces[k] = str(file, `namespaces.${k}`, v)
  }
  if (raw.gateways !== undefined) {
    if (!isObj(raw.gateways)) fail(file, 'gateways', 'must be a map with internal and external')
    known(file, 'gateways.', raw.gateways, ['internal', 'external'])
    if (raw.gateways.internal !== undefined) c.gateways.internal = gateway(file, 'gateways.internal', raw.gateways.internal, c.gateways.internal)
    if (raw.gateways.external !== undefined) c.gateways.external = gateway(file, 'gateways.external', raw.gateways.external, c.gateways.external)
  }
  if (raw.secretStore !== undefined) {
    const s = raw.secretStore
    if (!isObj(s)) fail(file, 'secretStore', 'must be a map with kind and name')
    known(file, 'secretStore.', s, ['kind', 'name'])
    if (s.kind !== undefined) {
      const kind = str(file, 'secretStore.kind', s.kind)
      if (kind !== 'ClusterSecretStore' && kind !== 'SecretStore') fail(file, 'secretStore.kind', 'must be ClusterSecretStore or SecretStore')
      c.secretStore.kind = kind
    }
    if (s.name !== undefined) c.secretStore.name = str(file, 'secretStore.name', s.name)
  }
  if (raw.dependsOn !== undefined) {
    if (!isObj(raw.dependsOn)) fail(file, 'dependsOn', 'must be a map of legacy name: {name, namespace} or null')
    for (const [k, v] of Object.entries(raw.dependsOn)) {
      if (isNullText(v)) c.dependsOn[k] = null
      else {
        if (!isObj(v)) fail(file, `dependsOn.${k}`, 'must be {name, namespace} or null (drop the dependency)')
        known(file, `dependsOn.${k}.`, v, ['name', 'namespace'])
        c.dependsOn[k] = { name: str(file, `dependsOn.${k}.name`, v.name ?? k), namespace: str(file, `dependsOn.${k}.namespace`, v.namespace) }
      }
    }
  }
  if (raw.charts !== undefined) {
    const { charts, errors } = parseChartsConfig(raw.charts)
    if (errors.length > 0) throw new MigrationError('CONFIG', `${file}: ${errors.map((e) => e.message).join('; ')}`)
    c.charts = charts
  }
  if (raw.appTemplate !== undefined) {
    if (!isObj(raw.appTemplate)) fail(file, 'appTemplate', 'must be a map')
    known(file, 'appTemplate.', raw.appTemplate, ['version', 'convert'])
    if (raw.appTemplate.version !== undefined) c.appTemplate.version = str(file, 'appTemplate.version', raw.appTemplate.version)
    if (raw.appTemplate.convert !== undefined) c.appTemplate.convert = bool(file, 'appTemplate.convert', raw.appTemplate.convert)
  }
  if (raw.check !== undefined) {
    if (!isObj(raw.check)) fail(file, 'check', 'must be a map with disable and external')
    known(file, 'check.', raw.check, ['disable', 'external'])
    for (const k of ['disable', 'external'] as const) {
      const v = raw.check[k]
      if (v === undefined) continue
      if (!Array.isArray(v)) fail(file, `check.${k}`, 'must be a list')
      c.check[k] = v.map((x, i) => str(file, `check.${k}[${i}]`, x))
    }
    for (const [i, id] of c.check.disable.entries()) {
      if (!/^([a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*:)?(check\/)?[a-z][a-z0-9-]*$/.test(id))
        fail(file, `check.disable[${i}]`, `must be a rule id such as check/image-digest, optionally <namespace>/<app>:<rule>, not ${JSON.stringify(id)}`)
    }
  }
  return c
}

/** Parses configuration text; YAML errors are configuration errors with their line. */
export function parseConfig(text: string, file = CONFIG_FILE): Config {
  const y = new YamlFile(text)
  const err = y.problems.find((p) => p.severity === 'error')
  if (err) {
    const pos = y.position(err.span[0])
    throw new MigrationError('CONFIG', `${file}:${pos.line}:${pos.col}: ${err.message}`)
  }
  if (y.docs.length > 1) throw new MigrationError('CONFIG', `${file}: must hold one YAML document`)
  return resolveConfig(y.docs[0]?.get([]) ?? (y.docs[0] ? toPlain(y.docs[0]) : undefined), file)
}

function toPlain(doc: YamlFile['docs'][number]): unknown {
  return doc.doc.toJS({ maxAliasCount: 100 })
}

/** Applies `--var KEY=VALUE` overrides. */
export function withVars(c: Config, vars: readonly string[]): Config {
  const out = structuredClone(c)
  for (const v of vars) {
    const i = v.indexOf('=')
    if (i <= 0) throw new MigrationError('USAGE', `--var ${v}: expected KEY=VALUE`)
    const k = v.slice(0, i)
    if (!VAR_NAME.test(k)) throw new MigrationError('USAGE', `--var ${v}: ${k} is not a valid variable name`)
    out.variables[k] = v.slice(i + 1)
  }
  return out
}
