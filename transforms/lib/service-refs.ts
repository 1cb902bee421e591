/** Services the conversion renames, as other apps of the repository reach them: reported, never edited. */
import { appTemplate, paths, type TransformContext } from '../../src/transform-api.ts'

/**
 * Reports each place outside the app (in the legacy and the Chongus apps folders, but not the shared files the
 * app's kustomizations build) that reaches a renamed Service by its in-cluster address:
 * `<name>.<namespace>[.svc[.cluster.local]]`, and in URLs of apps of the same namespace the bare name. Positions are
 * those of the repository's files; files the migration wrote are skipped.
 */
export function reportOutsideReferences(ctx: TransformContext, renames: Readonly<Record<string, string>>): void {
  const map = new Map(Object.entries(renames))
  if (map.size === 0) return
  const { app, config } = ctx
  const namespaces = [...new Set([app.legacyNamespace, app.namespace])]
  const own = [app.legacyDir, app.targetDir, app.root]
  // Shared folders the app's kustomizations build are the app's own files, not another app's.
  const built = new Set(app.kustomizations.flatMap((k) => [...(k.tree?.resources ?? []), ...(k.tree?.inputs ?? [])]))
  const sameNamespace = (p: string) => [`${config.legacy.appsDir}/${app.cluster}/${app.legacyNamespace}`, `${config.target.appsDir}/${app.namespace}`].some((d) => paths.isWithin(p, d))
  for (const dir of [...new Set([config.legacy.appsDir, config.target.appsDir])]) {
    for (const f of ctx.ws.filesUnder(dir)) {
      const text = f.before
      if (text === undefined || built.has(f.path) || own.some((d) => paths.isWithin(f.path, d)) || text.includes('\0')) continue
      for (const m of appTemplate.serviceMentions(text, map, namespaces, sameNamespace(f.path))) {
        ctx.report({
          rule: 'service-reference-outside',
          severity: 'warning',
          message: `another app reaches Service ${m.from} of ${app.name} as \`${m.text}\`, but app-template names it ${m.to}: this reference is not updated`,
          hint: `write ${m.to} in its place when this app runs on Chongus`,
          at: { file: f.path, span: [m.offset, m.offset + m.text.length] },
        })
      }
    }
  }
}
