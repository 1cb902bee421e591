/** Namespace kustomizations: the Chongus one lists the app; the legacy one disables (or drops) it. */
import { paths, type TransformContext, type WFile, type YamlDoc } from '../../src/transform-api.ts'

const SCHEMA = ' yaml-language-server: $schema=https://json.schemastore.org/kustomization'

/** Whether any pod of the app needs a privileged namespace (or the legacy namespace was privileged). */
export function needsPrivileged(ctx: TransformContext): { privileged: boolean; why?: string } {
  if (ctx.app.legacyPrivileged) return { privileged: true, why: `legacy namespace ${ctx.app.legacyNamespace} enforces the privileged Pod Security level` }
  for (const r of ctx.resources()) {
    // The keys below are spelled in the text (an escape in a quoted key would show a backslash).
    if (!PRIVILEGED_WORDS.test(r.doc.render())) continue
    const why = privilegedReason(r.doc.get([]))
    if (why) return { privileged: true, why: `${r.ref.kind} ${r.ref.name}: ${why}` }
  }
  return { privileged: false }
}

const PRIVILEGED_WORDS = /privileged|hostNetwork|hostPID|hostIPC|hostPath|capabilities|\\/

/** Walks any manifest or HelmRelease values for settings the baseline Pod Security level forbids. */
function privilegedReason(v: unknown, depth = 0): string | undefined {
  if (depth > 40 || v === null || typeof v !== 'object') return undefined
  if (Array.isArray(v)) {
    for (const x of v) {
      const r = privilegedReason(x, depth + 1)
      if (r) return r
    }
    return undefined
  }
  const o = v as Record<string, unknown>
  if (o.privileged === 'true') return 'privileged container'
  if (o.hostNetwork === 'true') return 'hostNetwork'
  if (o.hostPID === 'true' || o.hostIPC === 'true') return 'host namespaces'
  if (o.hostPath !== undefined && typeof o.hostPath === 'object') return 'hostPath volume'
  if (o.type === 'hostPath' && typeof o.hostPath === 'string') return 'hostPath volume'
  const caps = o.capabilities as Record<string, unknown> | undefined
  if (caps && Array.isArray(caps.add) && caps.add.length > 0) return `added capabilities ${caps.add.join(', ')}`
  for (const x of Object.values(o)) {
    const r = privilegedReason(x, depth + 1)
    if (r) return r
  }
  return undefined
}

/** Adds `./<app>/ks.yaml` to the Chongus namespace kustomization, creating the namespace folder if needed. */
export function addNamespaceEntry(ctx: TransformContext, priv: { privileged: boolean; why?: string }): void {
  const { app, config, ws } = ctx
  const nsDir = `${config.target.appsDir}/${app.namespace}`
  const file = `${nsDir}/kustomization.yaml`
  const entry = `./${app.name}/ks.yaml`
  const componentsRel = paths.relative(nsDir, config.target.componentsDir)
  const existing = ws.file(file)
  if (!existing) {
    const value: Record<string, unknown> = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' }
    if (app.namespace !== 'default') {
      const ns = priv.privileged ? 'privileged-namespace' : 'namespace'
      const comps = [ns, 'flux/alerts']
      for (const c of comps) {
        if (!ws.isDir(`${config.target.componentsDir}/${c}`))
          ctx.report({ rule: 'missing-component', severity: 'error', message: `component ${config.target.componentsDir}/${c} does not exist`, hint: 'create it or set target.componentsDir', at: { file: app.legacyDir } })
      }
      value.namespace = app.namespace
      value.resources = [entry]
      value.components = comps.map((c) => `${componentsRel}/${c}`)
      ctx.report({
        rule: 'namespace-created',
        severity: 'info',
        message: `new Chongus namespace ${app.namespace} with the ${ns} component${priv.why ? ` (${priv.why})` : ''}`,
        at: { file: app.legacyDir },
      })
    } else value.resources = [entry]
    const f = ws.write(file, '')
    f.yaml!.addDocument(value, { commentBefore: SCHEMA })
    return
  }
  const y = existing.yaml
  const doc = y?.docs.find((d) => d.getString(['kind']) === 'Kustomization')
  if (!doc) {
    ctx.report({ rule: 'namespace-kustomization', severity: 'error', message: `${file} holds no Kustomization to list the app in`, at: { file } })
    return
  }
  if (priv.privileged) {
    const comps = doc.items(['components'])
    const plain = comps.indexOf(`${componentsRel}/namespace`)
    // Created by an earlier app of this run: it gets what this app alone would have created.
    if (existing.before === undefined && plain >= 0) {
      doc.set(['components', plain], `${componentsRel}/privileged-namespace`)
      ctx.report({ rule: 'namespace-created', severity: 'info', message: `new Chongus namespace ${app.namespace} uses the privileged-namespace component (${priv.why})`, at: { file: app.legacyDir } })
    } else if (!comps.some((c) => typeof c === 'string' && c.endsWith('privileged-namespace')) && app.namespace !== 'default')
      ctx.report({
        rule: 'namespace-not-privileged',
        severity: 'warning',
        message: `namespace ${app.namespace} does not use the privileged-namespace component, but ${priv.why}`,
        hint: 'move the app to a privileged namespace (--to-namespace) or drop the privileges it needs',
        at: { file, span: doc.span(['components']) },
      })
  }
  const current = doc.get(['resources'])
  // Every entry commented out leaves an empty value: the list starts again, the comments stay.
  if (current === '') return doc.set(['resources'], [entry])
  if (current !== undefined && !Array.isArray(current)) {
    ctx.report({ rule: 'namespace-kustomization', severity: 'error', message: `resources of ${file} is not a list, so the app cannot be listed in it`, at: { file, span: doc.span(['resources']) } })
    return
  }
  const list = ((current as unknown[] | undefined) ?? []).map((e) => (typeof e === 'string' ? paths.normalize(e) : undefined))
  if (list.includes(paths.normalize(entry))) return
  reportListedUnderOtherName(ctx, file, doc, list)
  let at = list.length
  for (let i = 0; i < list.length; i++) {
    const e = list[i]
    if (e !== undefined && e.endsWith('/ks.yaml') && e.localeCompare(paths.normalize(entry)!) > 0) {
      at = i
      break
    }
  }
  doc.push(['resources'], entry, at)
}

/**
 * An entry of the Chongus namespace kustomization named like one of the app's HelmReleases or Flux Kustomizations
 * (but not like the app's folder) is most likely the app migrated before under another name (legacy `echo` with
 * HelmRelease `echo-server`, already in Chongus as `./echo-server`): the cluster would get it twice.
 */
function reportListedUnderOtherName(ctx: TransformContext, file: string, doc: YamlDoc, list: readonly (string | undefined)[]): void {
  const { app } = ctx
  const names = new Set([...app.kustomizations.map((k) => k.name), ...ctx.resources({ kind: 'HelmRelease' }).map((r) => r.ref.name)])
  names.delete(app.name)
  list.forEach((e, i) => {
    const folder = e && /^([^/]+)\/ks\.ya?ml$/.exec(e)?.[1]
    if (!folder || !names.has(folder)) return
    ctx.report({
      rule: 'listed-under-other-name',
      severity: 'warning',
      message: `${file} already lists ./${folder}, named like this app's ${app.kustomizations.some((k) => k.name === folder) ? 'Flux Kustomization' : 'HelmRelease'} ${folder}: if it is this app migrated before, the cluster would run it twice`,
      hint: `compare ${paths.join(paths.dirname(file), folder)} with this migration, and keep one of them`,
      at: { file, span: doc.span(['resources', i]) },
    })
  })
}

/** Comments out the app's entry in the legacy namespace kustomization (or removes it with --remove-source). */
export function disableLegacyEntry(ctx: TransformContext): void {
  const { app, ws } = ctx
  if (!app.legacyNamespaceFile) return
  const file = ws.file(app.legacyNamespaceFile)
  const docs = file?.yaml?.docs ?? []
  const docIndex = docs.findIndex((d) => d.has(['resources']))
  if (!file || docIndex < 0) return
  const doc = docs[docIndex]
  for (let i = 0; i < doc.length(['resources']); i++) {
    const e = doc.getString(['resources', i])
    if (e === undefined || paths.normalize(e) !== `${app.name}/ks.yaml`) continue
    const span = doc.span(['resources', i])
    if (ctx.options.removeSource) doc.delete(['resources', i])
    else commentOutLine(file, docIndex, i)
    ctx.report({
      rule: 'legacy-disabled',
      severity: 'info',
      message: ctx.options.removeSource ? `${e} removed from ${app.legacyNamespaceFile} with the legacy folder` : `${e} commented out in ${app.legacyNamespaceFile}: Bitty stops deploying the app`,
      at: { file: app.legacyNamespaceFile, span },
    })
    return
  }
}

/**
 * Turns `  - ./app/ks.yaml` into `  # - ./app/ks.yaml`, as the owner disables an app. A line edit, not a
 * re-print: pending edits of the file are folded in first, and every other byte stays.
 */
function commentOutLine(file: WFile, docIndex: number, item: number): void {
  const current = file.after ?? ''
  // An unedited parse is of `current` already; an edited one is folded into text and parsed again.
  if (!file.isParsed || file.yaml?.edited) file.setText(current)
  const y = file.yaml!
  const span = y.docs[docIndex].span(['resources', item])
  const text = y.text
  const start = text.lastIndexOf('\n', span[0] - 1) + 1
  const nl = text.indexOf('\n', span[0])
  const end = nl < 0 ? text.length : nl
  const line = text.slice(start, end)
  const m = /^(\s*)- /.exec(line)
  if (!m) return
  let next = `${text.slice(0, start)}${m[1]}# ${line.slice(m[1].length)}${text.slice(end)}`
  if (current.includes('\r\n')) next = next.replace(/\n/g, '\r\n')
  if (current.startsWith('\uFEFF')) next = `\uFEFF${next}`
  file.setText(next)
}
