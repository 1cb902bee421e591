/**
 * The corpus with its own configuration: no migrated app keeps a `${VAR}` of the four configured cluster
 * variables in anything Flux renders, and an app that does not migrate is stopped only by a variable or secret
 * finding that names what to do.
 */
import { describe, expect, it } from 'vitest'
import { listLegacyApps } from '../src/app.ts'
import { YamlFile } from '../src/document.ts'
import { NodeVfs } from '../src/fs.ts'
import { loadConfig, migrate } from '../src/migrate.ts'
import type { Vfs } from '../src/vfs.ts'
import { Workspace } from '../src/workspace.ts'
import { CORPUS, hasCorpus } from './helpers.ts'

const CONFIGURED = /\$\{(SECRET_DOMAIN|NFS_SERVER|LOCAL_TZ|CLUSTER_NAME)[}:=-]/
// What may stop an app: a variable without a usable value, a shared file needing one, a SOPS object no
// ExternalSecret can render.
// Errors that block a corpus app for a stated reason: a value the user must supply, a chart without an OCI location,
// an Ingress host that cannot be routed, or (unfixed corpus) a shared component using a variable nothing defines.
const BLOCKING = /^(variables\/(missing-value|undefined-in-shared|credential-refused|not-rendered|function-not-inlined)|sops-external-secret\/sops-not-a-secret|helm-oci\/(oci-location-unverified|no-oci-location|chart-replaced)|ingress-route\/(host-unresolved|host-not-converted|backend-port-unresolved)|check\/undefined-variable)$/

/** What Flux reads of a file: YAML values (comments are not rendered), or the whole text of other files. */
function rendered(path: string, text: string): string {
  if (!/\.ya?ml$/.test(path)) return text
  return JSON.stringify(new YamlFile(text).docs.map((d) => d.get([])))
}

describe('corpus variables', async () => {
  it('leaves no configured cluster variable in a migrated app, and blocks others only for a stated reason', async () => {
    if (!hasCorpus) {
      console.warn('corpus not found: its variables were not checked')
      return
    }
    const vfs = new NodeVfs(CORPUS)
    const config = loadConfig(vfs)
    expect(Object.keys(config.variables).sort()).toEqual(['CLUSTER_NAME', 'LOCAL_TZ', 'NFS_SERVER', 'SECRET_DOMAIN'])
    const apps = listLegacyApps(new Workspace(vfs), config)
    // As a user fixes REFERENCE slip 7: the shared Chongus components get the cluster's values written in.
    const fixed: Vfs = {
      read: (p) => {
        const t = vfs.read(p)
        return t !== undefined && p.startsWith(`${config.target.componentsDir}/`) ? t.replace(/\$\{(\w+)\}/g, (m, n: string) => config.variables[n] ?? m) : t
      },
      isDir: (p) => vfs.isDir(p),
      list: (p) => vfs.list(p),
    }
    const left: string[] = []
    const other: string[] = []
    let migrated = 0
    for (const app of apps) for (const repo of [vfs, fixed]) {
      const r = await migrate({ repo, apps: [app.path] })
      for (const d of r.diagnostics) if (d.severity === 'error' && !BLOCKING.test(d.ruleId)) other.push(`${app.path}: ${d.ruleId}`)
      if (!r.ok) continue
      migrated++
      for (const c of r.changes) {
        if (c.after !== undefined && c.path.startsWith(`${config.target.appsDir}/`) && CONFIGURED.test(rendered(c.path, c.after))) left.push(c.path)
      }
    }
    expect(left).toEqual([])
    expect(other).toEqual([])
    expect(migrated).toBeGreaterThan(apps.length / 2)
  })
})
