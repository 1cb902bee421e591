/**
 * Dev tool: measures variables and secrets over a legacy checkout. Prints names, counts and key paths, never a
 * value. Run after `npm run build`: `node dist/src/dev/secrets-corpus.js <legacy-repo-root>`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { YamlFile } from '../document.ts'
import { scanVariables } from '../vars/envsubst.ts'
import { injectedSubstitution, postBuildOf } from '../vars/injection.ts'
import { looksLikeCredential } from '../secrets/credential.ts'
import { sopsInfo } from '../secrets/sops.ts'
import { upgradeExternalSecret } from '../secrets/upgrade.ts'

/** What {@link measureCorpus} counts. */
export interface CorpusFigures {
  /** Per variable: uses in parsed scalar values, uses anywhere in the text (comments too), app dirs using it. */
  variables: Record<string, { values: number; text: number; apps: number }>
  escaped: Record<string, number>
  problems: { file: string; name: string; problem: string }[]
  sops: { file: string; kind?: string; name?: string; keys: number; encryptedPaths: number; rule?: string; findings: string[] }[]
  clusterSecretKeys: string[]
  kustomizations: { total: number; injected: number; notSelected: string[] }
  /** Variables used under the app tree that no source defines (neither the cluster secret nor any `substitute`). */
  undefinedVariables: string[]
  credentials: { file: string; path: string; reason: string }[]
  /** Files the YAML layer could not load, with its message. */
  unreadable: { file: string; error: string }[]
  externalSecrets: { documents: number; byVersion: Record<string, number>; changes: Record<string, number>; findings: Record<string, number> }
}

type Files = ReadonlyMap<string, string>

const bump = (o: Record<string, number>, k: string, n = 1): void => {
  o[k] = (o[k] ?? 0) + n
}

function strings(v: unknown, path: (string | number)[], visit: (s: string, path: (string | number)[]) => void): void {
  if (typeof v === 'string') visit(v, path)
  else if (Array.isArray(v)) v.forEach((x, i) => strings(x, [...path, i], visit))
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) strings(x, [...path, k], visit)
}

/** Figures over `files` (repo-relative posix path → text); `appsRoot` is the legacy app tree. */
export function measureCorpus(files: Files, appsRoot = 'cluster-cd/apps/bitty', rootKs = 'clusters/bitty/flux/apps.yaml'): CorpusFigures {
  const f: CorpusFigures = {
    variables: {},
    escaped: {},
    problems: [],
    sops: [],
    clusterSecretKeys: [],
    kustomizations: { total: 0, injected: 0, notSelected: [] },
    undefinedVariables: [],
    credentials: [],
    externalSecrets: { documents: 0, byVersion: {}, changes: {}, findings: {} },
    unreadable: [],
  }
  const appsOf: Record<string, Set<string>> = {}
  const defined = new Set<string>()
  const parse = (text: string): unknown => new YamlFile(text).docs[0]?.get([])
  // A document whose aliases cannot be resolved is skipped like an unreadable file.
  const valueOf = (doc: YamlFile['docs'][number]): unknown => {
    try {
      return doc.get([])
    } catch {
      return undefined
    }
  }
  const root = files.has(rootKs) ? parse(files.get(rootKs)!) : undefined

  for (const [file, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (!/\.ya?ml$/.test(file)) continue
    const inApps = file.startsWith(`${appsRoot}/`)
    let yf: YamlFile
    try {
      yf = new YamlFile(text)
    } catch (e) {
      f.unreadable.push({ file, error: (e as Error).message })
      continue
    }
    if (inApps) {
      for (const u of scanVariables(text)) if (!u.escaped && u.name) (f.variables[u.name] ??= { values: 0, text: 0, apps: 0 }).text++
    }
    for (const doc of yf.docs) {
      const value = valueOf(doc) as Record<string, unknown> | undefined
      if (!value || typeof value !== 'object') continue
      const info = sopsInfo(value)
      if (info) {
        f.sops.push({ file, kind: info.kind, name: info.name, keys: info.keys.length, encryptedPaths: info.encryptedPaths.length, rule: info.encryptedRegex ?? info.unencryptedRegex, findings: info.findings.map((x) => x.rule) })
        if (info.name === 'cluster-secrets') f.clusterSecretKeys = info.keys
        continue
      }
      if (value.kind === 'Kustomization' && String(value.apiVersion).startsWith('kustomize.toolkit.fluxcd.io/')) {
        for (const k of Object.keys(postBuildOf(value).substitute)) defined.add(k)
        if (inApps && root) {
          f.kustomizations.total++
          const inj = injectedSubstitution(root, value, { parse })
          if (inj.injected) f.kustomizations.injected++
          else f.kustomizations.notSelected.push(`${file}#${String((value.metadata as Record<string, unknown>)?.name)}`)
        }
      }
      if (value.kind === 'ExternalSecret') {
        f.externalSecrets.documents++
        bump(f.externalSecrets.byVersion, String(value.apiVersion))
        const up = upgradeExternalSecret(value)
        for (const c of up.changes) bump(f.externalSecrets.changes, `${c.action} ${c.path.join('.')}`)
        for (const x of up.findings) bump(f.externalSecrets.findings, x.rule)
      }
      strings(value, [], (s, path) => {
        if (inApps) {
          const app = file.slice(appsRoot.length + 1).split('/').slice(0, 2).join('/')
          for (const u of scanVariables(s)) {
            if (u.escaped) {
              bump(f.escaped, u.name)
              continue
            }
            if (u.problem) f.problems.push({ file, name: u.name, problem: u.problem })
            if (!u.name) continue
            ;(f.variables[u.name] ??= { values: 0, text: 0, apps: 0 }).values++
            ;(appsOf[u.name] ??= new Set()).add(app)
          }
        }
        const c = looksLikeCredential(s)
        if (c) f.credentials.push({ file, path: path.join('.'), reason: c.reason })
      })
    }
  }
  for (const [name, apps] of Object.entries(appsOf)) f.variables[name].apps = apps.size
  for (const k of f.clusterSecretKeys) defined.add(k)
  f.undefinedVariables = Object.keys(f.variables).filter((v) => !defined.has(v)).sort()
  return f
}

function readTree(root: string): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === '.git' || name === 'node_modules') continue
      const p = join(dir, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (/\.ya?ml$/.test(name)) out.set(relative(root, p).split(sep).join('/'), readFileSync(p, 'utf8'))
    }
  }
  walk(root)
  return out
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2]
  if (!dir) {
    process.stderr.write('usage: secrets-corpus <legacy-repo-root>\n')
    process.exit(2)
  }
  process.stdout.write(`${JSON.stringify(measureCorpus(readTree(dir)), null, 2)}\n`)
}
