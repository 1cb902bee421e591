/**
 * Writes the OCIRepositories of the HelmReleases of one folder into `<folder>/ocirepository.yaml` (one document
 * per HelmRelease, in the order they are listed) and lists that file where the HelmRelease file is listed.
 */
import { paths, printNewFile, type ChartPlan, type OciRepositoryManifest, type Resource, type TransformContext, type YamlDoc } from '../../src/transform-api.ts'
import { isInGeneratedRoot, listingOf, type Listing, type Tree } from './app-tree.ts'

/** A HelmRelease with its `migrate` plan. */
export interface Planned {
  hr: Resource
  plan: ChartPlan
}

/** The file each folder's OCIRepositories go to. */
export const OCI_FILE = 'ocirepository.yaml'

/** The manifest as the failsafe reader sees it (numbers and booleans are strings), for comparisons. */
function asRead(m: OciRepositoryManifest): unknown {
  return JSON.parse(JSON.stringify(m, (_k, v: unknown) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v)))
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]))
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b
  const ka = Object.keys(a).sort()
  const kb = Object.keys(b).sort()
  return ka.join('\n') === kb.join('\n') && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

const summary = (m: OciRepositoryManifest) => `${m.spec.url} ${JSON.stringify(m.spec.ref)}`

/**
 * Places the OCIRepositories of `planned` (HelmReleases of folder `dir`) and returns those whose HelmRelease may
 * now point at one. An OCIRepository of the same name elsewhere in the app blocks its HelmRelease (error); one in
 * the folder's `ocirepository.yaml` that differs is replaced (warning), one that is equal is kept.
 */
export function placeOciRepositories(ctx: TransformContext, trees: readonly Tree[], dir: string, planned: readonly Planned[], appOci: readonly Resource[]): Planned[] {
  const path = `${dir}/${OCI_FILE}`
  const existing = ctx.ws.file(path)
  if (existing && (!existing.yaml || existing.yaml.hasErrors)) {
    for (const p of planned) {
      ctx.report({ rule: 'ocirepository-file-unreadable', severity: 'error', message: `${path} exists but cannot be read as YAML; the HelmRelease keeps spec.chart`, at: { resource: p.hr, path: ['spec', 'chart'] } })
    }
    return []
  }
  const ok: Planned[] = []
  const fresh: Planned[] = []
  // Documents in the order the kustomization lists their HelmReleases (a stable sort keeps a file's own order).
  const rank = (p: Planned) => listingOf(ctx, trees, p.hr.file.path)?.index ?? Number.MAX_SAFE_INTEGER
  for (const p of [...planned].sort((a, b) => rank(a) - rank(b))) {
    const m = p.plan.ociRepository!
    const same = (r: Resource) => r.ref.name === m.metadata.name && (r.ref.namespace ?? '') === (m.metadata.namespace ?? '')
    const elsewhere = appOci.find((r) => same(r) && r.file.path !== path)
    if (elsewhere) {
      ctx.report({
        rule: 'ocirepository-name-taken',
        severity: 'error',
        message: `an OCIRepository named ${m.metadata.name} already exists in ${elsewhere.file.origin}; the HelmRelease keeps spec.chart`,
        hint: `point spec.chartRef at it by hand (it should hold ${summary(m)}), or rename or remove it`,
        at: { resource: p.hr, path: ['metadata', 'name'] },
      })
      continue
    }
    ok.push(p)
    const doc = existing?.yaml?.docs.find((d) => d.getString(['kind']) === 'OCIRepository' && d.getString(['metadata', 'name']) === m.metadata.name)
    if (!doc) fresh.push(p)
    else if (!sameValue(doc.get([]), asRead(m))) replace(ctx, p, existing!.yaml!.docs.indexOf(doc), doc, path)
  }
  if (fresh.length > 0) {
    const docs = fresh.map((p) => ({ value: p.plan.ociRepository, commentBefore: p.plan.schemaComment }))
    if (existing?.yaml) for (const d of docs) existing.yaml.addDocument(d.value, { commentBefore: d.commentBefore })
    else ctx.ws.write(path, printNewFile(docs))
  }
  listFile(ctx, trees, [...new Set(ok.map((p) => p.hr.file.path))], path)
  return ok
}

function replace(ctx: TransformContext, p: Planned, index: number, doc: YamlDoc, path: string): void {
  const y = ctx.ws.file(path)!.yaml!
  const m = p.plan.ociRepository!
  ctx.report({
    rule: 'ocirepository-replaced',
    severity: 'warning',
    message: `${path} already holds an OCIRepository ${m.metadata.name} that differs (${String(doc.get(['spec', 'url']))} ${JSON.stringify(doc.get(['spec', 'ref']))}); replaced by ${summary(m)}`,
    hint: 'review the change: the migration derives it from the HelmRelease spec.chart',
    loss: true,
    at: { resource: p.hr, path: ['spec', 'chart'] },
  })
  y.removeDocument(doc)
  y.addDocument(m, { commentBefore: p.plan.schemaComment, index })
}

/** Lists `ociPath` right after the last entry that lists one of `hrPaths`, in its style (`./x` or `x`). */
function listFile(ctx: TransformContext, trees: readonly Tree[], hrPaths: readonly string[], ociPath: string): void {
  const listings: Listing[] = []
  for (const hrPath of hrPaths) {
    const listing = listingOf(ctx, trees, hrPath)
    if (listing) listings.push(listing)
    else if (!isInGeneratedRoot(ctx, trees, hrPath)) {
      ctx.report({
        rule: 'ocirepository-not-listed',
        severity: 'warning',
        message: `no kustomization of the app lists ${hrPath}, so ${ociPath} is not listed either`,
        hint: `add ${OCI_FILE} to the resources of the kustomization that renders the HelmRelease`,
        at: { file: ctx.ws.file(hrPath)!.origin },
      })
    }
  }
  for (const doc of new Set(listings.map((l) => l.doc))) {
    const last = listings.filter((l) => l.doc === doc).sort((a, b) => b.index - a.index)[0]
    const dir = paths.dirname(last.file.path)
    let listed = false
    for (let i = 0; i < doc.length(['resources']); i++) {
      const e = doc.getString(['resources', i])
      if (e !== undefined && paths.join(dir, e) === ociPath) listed = true
    }
    if (listed) continue
    const rel = paths.dotRelative(dir, ociPath)
    doc.push(['resources'], last.entry.startsWith('./') || rel.startsWith('../') ? rel : rel.slice(2), last.index + 1)
  }
}
