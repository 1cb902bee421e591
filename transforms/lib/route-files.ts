/** Route manifest files: where they go, how they are printed, and how the folder's kustomization lists them. */
import { paths, printNewFile, type HTTPRoute, type TransformContext, type WFile, type YamlDoc } from '../../src/transform-api.ts'

const SCHEMA = ' yaml-language-server: $schema=https://kubernetes-schemas.pages.dev/gateway.networking.k8s.io/httproute_v1.json'
const KUSTOMIZATION = /(^|\/)kustomization\.ya?ml$|(^|\/)Kustomization$/

/** Prints routes as a new multi-document file, with the schema modeline the Chongus manifests carry. */
export function printRoutes(routes: readonly HTTPRoute[]): string {
  return printNewFile(routes.map((value, i) => (i === 0 ? { value, commentBefore: SCHEMA } : { value })))
}

/**
 * The file the routes of `source` go to: its name with `ingress` read as `httproute` (`ingress.yaml` →
 * `httproute.yaml`, `code-ingress.yaml` → `code-httproute.yaml`), else `httproute.yaml`; a name already taken by
 * other content gets `-2`, `-3`... so nothing existing is overwritten (the same content is a rerun's own file).
 */
export function routeFilePath(ctx: TransformContext, source: string, content: string): string {
  const dir = paths.dirname(source)
  const base = paths.basename(source)
  const ext = /\.ya?ml$/i.exec(base)?.[0] ?? '.yaml'
  const stem = base.slice(0, base.length - ext.length)
  const i = stem.lastIndexOf('ingress')
  const wanted = i >= 0 ? `${stem.slice(0, i)}httproute${stem.slice(i + 'ingress'.length)}` : 'httproute'
  const at = (name: string) => (dir === '' ? name : `${dir}/${name}`)
  let candidate = at(`${wanted}${ext}`)
  for (let n = 2; ctx.ws.exists(candidate) && ctx.ws.file(candidate)?.after !== content; n++) candidate = at(`${wanted}-${n}${ext}`)
  return candidate
}

interface Listing {
  file: WFile
  doc: YamlDoc
  index: number
  entry: string
}

/** Every `resources` entry of the app's kustomizations that names `target`. */
function listings(ctx: TransformContext, target: string): Listing[] {
  const out: Listing[] = []
  for (const file of ctx.files()) {
    if (!KUSTOMIZATION.test(file.path) || !file.yaml || file.yaml.hasErrors) continue
    const dir = paths.dirname(file.path)
    for (const doc of file.yaml.docs) {
      for (let index = 0; index < doc.length(['resources']); index++) {
        const entry = doc.getString(['resources', index])
        if (entry !== undefined && paths.join(dir, entry) === target) out.push({ file, doc, index, entry })
      }
    }
  }
  return out
}

/** `target` written the way `entry` was (`./x.yaml` or `x.yaml`), relative to the kustomization's folder. */
function entryFor(l: Listing, target: string): string {
  const rel = paths.relative(paths.dirname(l.file.path), target)
  return l.entry.startsWith('./') && !rel.startsWith('..') ? `./${rel}` : rel
}

/**
 * Lists `added` in every kustomization that lists `source`: in place of it when `replace` (the source is gone),
 * else right after it; with no `added`, the gone source's entries are removed. A folder without a kustomization
 * needs nothing: Flux renders every manifest in it.
 */
export function listRouteFile(ctx: TransformContext, source: string, added: string | undefined, replace: boolean): void {
  // From the last entry backwards, so that inserting or removing keeps the earlier indexes valid.
  for (const l of listings(ctx, source).reverse()) {
    if (added === undefined) l.doc.delete(['resources', l.index])
    else if (replace) l.doc.set(['resources', l.index], entryFor(l, added))
    else l.doc.push(['resources'], entryFor(l, added), l.index + 1)
  }
}
