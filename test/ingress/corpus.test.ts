/**
 * The legacy corpus (../shared/corpus/legacy): every Ingress, raw or in app-template values, is converted or
 * reported with an error at its own location; every route written validates; thelounge gets the owner's route.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parse, parseAllDocuments } from 'yaml'
import { beforeAll, describe, expect, it } from 'vitest'
import { listLegacyApps } from '../../src/app.ts'
import { NodeVfs } from '../../src/fs.ts'
import type { Vfs } from '../../src/vfs.ts'
import { loadConfig, migrate, type MigrateResult } from '../../src/migrate.ts'
import { Workspace } from '../../src/workspace.ts'
import type { HTTPRoute } from '../../src/ingress/types.ts'
import { CORPUS, hasCorpus, readTree } from '../helpers.ts'
import { expectValidRoute } from './helpers.ts'

type Obj = Record<string, any>
/** Documents as JS values; one whose aliases do not resolve (a file no Kustomization renders) is left out. */
const docsOf = (text: string): Obj[] =>
  (parseAllDocuments(text) as unknown as { toJS(): unknown }[]).flatMap((d) => {
    try {
      return [d.toJS() as Obj].filter(Boolean)
    } catch {
      return []
    }
  })

describe('ingress-route on the legacy corpus', () => {
  const tree = hasCorpus ? readTree(CORPUS) : {}
  const vfs = new NodeVfs(CORPUS)
  const config = hasCorpus ? loadConfig(vfs) : undefined
  const apps = config ? listLegacyApps(new Workspace(vfs), config) : []
  // As a user fixes REFERENCE slip 7 (see corpus-variables.test.ts): the shared Chongus components get the cluster's
  // values written in. Otherwise `${CLUSTER_NAME}` in the volsync component blocks every app that uses it
  // (variables/undefined-in-shared), and those apps' routes would never be checked here.
  const fixed: Vfs = {
    read: (p) => {
      const t = vfs.read(p)
      return t !== undefined && config && p.startsWith(`${config.target.componentsDir}/`) ? t.replace(/\$\{(\w+)\}/g, (m, n: string) => config.variables[n] ?? m) : t
    },
    isDir: (p) => vfs.isDir(p),
    list: (p) => vfs.list(p),
  }
  const results = new Map<string, MigrateResult>()
  beforeAll(async () => {
    for (const a of apps) results.set(a.path, await migrate({ repo: fixed, apps: [a.path] }))
  }, 300_000)

  /** Each Ingress of the legacy apps: its file, and the key path the migration reports it at. */
  const ingresses = apps.flatMap((a) =>
    Object.keys(tree)
      .filter((p) => p.startsWith(`${a.path}/`) && /\.ya?ml$/.test(p))
      .flatMap((file) =>
        docsOf(tree[file]).flatMap((doc) => {
          if (doc.kind === 'Ingress') return [{ app: a.path, file, name: String(doc.metadata?.name), path: [] as string[], values: false }]
          if (doc.kind !== 'HelmRelease') return []
          return Object.keys(doc.spec?.values?.ingress ?? {}).map((id) => ({ app: a.path, file, name: String(doc.metadata?.name), path: ['spec', 'values', 'ingress', id], values: true }))
        }),
      ),
  )

  it('finds the Ingresses the reference counts: 12 apps with values ingress, 13 with raw Ingresses', () => {
    if (!hasCorpus) return
    expect(new Set(ingresses.filter((i) => i.values).map((i) => i.app)).size).toBe(12)
    expect(new Set(ingresses.filter((i) => !i.values).map((i) => i.app)).size).toBe(13)
  })

  it('converts every Ingress, or reports an error at it', () => {
    if (!hasCorpus) return
    const unreported = ingresses.filter((i) => {
      const ds = results.get(i.app)!.diagnostics.filter((d) => d.file === i.file && d.resource?.name === i.name && JSON.stringify(d.path ?? []) === JSON.stringify(i.path))
      const replaced = ds.some((d) => d.ruleId === 'ingress-route/ingress-replaced')
      const refused = ds.some((d) => d.ruleId === 'ingress-route/ingress-kept') && results.get(i.app)!.diagnostics.some((d) => d.severity === 'error' && d.file === i.file)
      return !replaced && !refused
    })
    expect(unreported).toEqual([])
  })

  it('writes only routes that validate, and leaves no Ingress where it converted', () => {
    if (!hasCorpus) return
    let count = 0
    for (const r of results.values()) {
      if (!r.ok) continue
      for (const c of r.changes) {
        if (c.after === undefined || !/\.ya?ml$/.test(c.path)) continue
        for (const doc of docsOf(c.after)) {
          if (doc.kind === 'Ingress') throw new Error(`${c.path} still holds Ingress ${doc.metadata?.name}`)
          if (doc.kind === 'HTTPRoute') expectValidRoute(doc as HTTPRoute), count++
          if (doc.kind === 'HelmRelease') expect(doc.spec?.values?.ingress, c.path).toBeUndefined()
        }
      }
    }
    expect(count).toBeGreaterThanOrEqual(15)
  })

  it('gives thelounge the hostnames and parentRefs of the owner’s route (rules, since the chart stays 3.7.3)', () => {
    if (!hasCorpus) return
    const after = path.resolve(CORPUS, '../examples/thelounge/after/app/helmrelease.yaml')
    if (!fs.existsSync(after)) return
    const owner = parse(fs.readFileSync(after, 'utf8')).spec.values.route.main
    const r = results.get('cluster-cd/apps/bitty/default/thelounge')!
    const ours = parse(r.changes.find((c) => c.path === 'cluster-apps/chongus/default/thelounge/app/helmrelease.yaml')!.after!).spec.values.route.app
    expect({ hostnames: ours.hostnames, parentRefs: ours.parentRefs }).toEqual(owner)
    expect(ours.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'app', port: 9000 }] }])
  })
})
