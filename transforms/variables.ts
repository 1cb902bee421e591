/**
 * Inlines the cluster variables Chongus no longer substitutes. Bitty's Flux root injected `substituteFrom: [Secret
 * cluster-secrets]` (SOPS) and `decryption` into every app; Chongus has neither, and from Flux 2.9 an undefined
 * `${VAR}` fails the reconcile. Every use in what the app renders (manifests, kustomization generator values,
 * configMapGenerator files, ks.yaml itself; never comments, `$${…}` escapes or objects marked
 * `kustomize.toolkit.fluxcd.io/substitute: disabled`) gets the value from `variables:`/`--var`, or, for per-app
 * variables of dropped templates (`GATUS_SUBDOMAIN`), from the legacy ks.yaml. What the Chongus ks.yaml still
 * substitutes (`APP`, `VOLSYNC_*`) stays. Where no substitution remains, defaults are applied and `$${…}`
 * escapes unwrapped so the rendered output is unchanged. Scalars are edited in place.
 *
 * Reports: each variable without a value (error, with every `file:line` using it), configured values that look
 * like credentials (error: they belong in an ExternalSecret), variables a shared file or component needs but the
 * Kustomization does not define (error), removed sources and decryption (info), inlined variables (info).
 */
import { PlainValue, defineTransform, looksLikeCredential, needsQuotes, paths, type KeyPath, type TransformContext, type WFile, type YamlDoc } from '../src/transform-api.ts'
import { inlineText, type Resolution } from './lib/inline.ts'
import { legacyVars } from './lib/legacy-vars.ts'
import { cleanPostBuild, describeSource, type VarScope } from './lib/postbuild.ts'
import { renderedKustomizations, substitutionDisabled, type Role } from './lib/rendered.ts'
import { isSopsDoc, offsetIn } from './lib/scalars.ts'
import { VarTally } from './lib/var-report.ts'

// Kustomization fields holding file paths: kustomize reads them before Flux substitutes anything.
const PATH_FIELDS = /^(resources|components|bases|crds|configurations|generators|transformers|validators|patchesStrategicMerge)$/
const isPathField = (p: readonly (string | number)[]): boolean =>
  (p.length === 2 && typeof p[0] === 'string' && PATH_FIELDS.test(p[0])) ||
  (p.length >= 3 && /Generator$/.test(String(p[0])) && ['files', 'envs', 'env'].includes(String(p[2]))) ||
  (p[0] === 'patches' && p[2] === 'path')

export default defineTransform({
  id: 'variables',
  description: 'Inlines the cluster variables Chongus no longer substitutes and drops the SOPS substitution sources.',
  after: ['ks-layout'],
  apply(ctx) {
    const { app, ws } = ctx
    if (app.root === app.legacyDir) {
      ctx.report({ rule: 'not-moved', severity: 'info', message: 'variables are inlined in the Chongus copy of the app only; the legacy app was left as it is (run ks-layout first)', at: { file: `${app.legacyDir}/ks.yaml` } })
      return
    }
    const ks = ws.file(`${app.root}/ks.yaml`)
    if (!ks?.yaml || ks.yaml.hasErrors) return
    const legacy = legacyVars(ctx)
    if (!legacy.root) {
      ctx.report({ rule: 'no-legacy-root', severity: 'info', message: `no Flux Kustomization under ${legacy.fluxDir} applies ${app.legacyDir}: its variables are taken as substituted on Bitty, with values from \`variables:\``, hint: 'set legacy.fluxDir in .bitty2chongus.yaml if the legacy root is elsewhere', at: { file: `${app.legacyDir}/ks.yaml` } })
    }
    const tally = new VarTally(ctx)
    const scopes = new Map<string, VarScope[]>()
    for (const r of renderedKustomizations(ctx, ks)) {
      const scope = cleanPostBuild(ctx, ks, r, legacy)
      if (!scope.legacyActive) {
        // Bitty rendered its `${…}` literally, and so will Chongus: nothing to inline, nothing to check.
        ctx.report({ rule: 'not-substituted', severity: 'info', message: `${r.name} had no post-build substitution on Bitty (not selected by the root's patch): its files are left as written`, at: { file: ks, span: r.doc.span(['metadata', 'name']) } })
        continue
      }
      for (const f of r.files) if (!f.disabled) scopes.set(`${f.role}\u0000${f.path}`, [...(scopes.get(`${f.role}\u0000${f.path}`) ?? []), scope])
    }
    for (const [key, list] of scopes) {
      const [role, path] = key.split('\u0000') as [Role, string]
      const file = ws.file(path)
      if (file) inlineFile(ctx, tally, file, role, merge(list), paths.isWithin(path, app.root))
    }
    // Bitty's root rendered ks.yaml itself with its own sources; the Chongus root renders nothing.
    const rootScope: VarScope = { kept: new Set(), keptFrom: [], active: false, legacyActive: true, dropped: {}, legacySource: (n) => describeSource(n, legacy.rootFrom, legacy) }
    inlineFile(ctx, tally, ks, 'manifest', rootScope, true)
    tally.flush()
  },
})

function merge(list: VarScope[]): VarScope {
  if (list.length === 1) return list[0]
  const kept = new Set([...list[0].kept].filter((k) => list.every((s) => s.kept.has(k))))
  return { ...list[0], kept, active: list.every((s) => s.active), dropped: Object.assign({}, ...list.map((s) => s.dropped)) }
}

function resolver(ctx: TransformContext, scope: VarScope, editable: boolean): (name: string) => Resolution {
  const vars = ctx.config.variables
  const fromConfig = (name: string): Resolution => {
    if (!Object.hasOwn(vars, name)) return { kind: 'missing', source: scope.legacySource(name) }
    const cred = looksLikeCredential(vars[name])
    return cred ? { kind: 'refused', reason: cred.reason } : { kind: 'value', value: vars[name] }
  }
  const base = (name: string): Resolution => {
    if (scope.kept.has(name)) return { kind: 'keep' }
    if (Object.hasOwn(scope.dropped, name)) {
      // Bitty's root rendered the legacy ks.yaml, so a per-app value may itself use cluster variables.
      const r = inlineText(scope.dropped[name], fromConfig, false)
      return r.blocked.length > 0 ? { kind: 'missing', source: 'the legacy ks.yaml postBuild.substitute' } : { kind: 'value', value: r.text }
    }
    const r = fromConfig(name)
    return r.kind === 'missing' && scope.keptFrom.length > 0 ? { kind: 'keep' } : r
  }
  return editable ? base : (name) => (base(name).kind === 'keep' ? { kind: 'keep' } : { kind: 'shared' })
}

function inlineFile(ctx: TransformContext, tally: VarTally, file: WFile, role: Role, scope: VarScope, editable: boolean): void {
  const resolve = resolver(ctx, scope, editable)
  const from = (name: string) => (Object.hasOwn(scope.dropped, name) ? 'the legacy ks.yaml' : 'variables')
  const apply = (text: string, at: (start: number, end: number) => number): string | undefined => {
    const r = inlineText(text, resolve, scope.active)
    for (const b of r.blocked) tally.block(b, { file, offset: at(b.start, b.end) })
    for (const p of r.problems) tally.findings([p.finding], { file, offset: at(p.start, p.start) })
    const first = (name: string) => {
      const i = text.indexOf(`\${${name}`)
      return at(Math.max(i, 0), Math.max(i, 0) + name.length + 2)
    }
    for (const [name, n] of r.inlined) tally.inline(name, n, from(name), { file, offset: first(name) })
    for (const [name, n] of r.defaults) tally.useDefault(name, n, { file, offset: first(name) })
    tally.findings(r.warnings, { file, offset: at(0, 0) })
    if (r.text === text) return undefined
    if (!editable) {
      ctx.report({ rule: 'shared-not-rendered', severity: 'error', message: `${file.path} is shared, so the migration does not edit it, but Chongus would render it differently (defaults or \`$$\` escapes that no substitution reads any more)`, hint: 'copy the file into the app, or add a postBuild variable to the Kustomization so Flux keeps substituting it', at: { file, span: [at(0, 0), at(0, 0)] } })
      return undefined
    }
    if (r.unescaped > 0) {
      ctx.report({ rule: 'escape-unwrapped', severity: 'info', message: `${r.unescaped} \`$$\` escape${r.unescaped > 1 ? 's' : ''} unwrapped: Chongus does not substitute this text, so \`$\${…}\` would stay as written`, hint: 'escape again if you add postBuild variables to this Kustomization', at: { file, span: [at(0, 0), at(0, 0)] } })
    }
    return r.text
  }
  if (role === 'generator') {
    const text = file.after ?? ''
    const out = apply(text, (s) => s)
    if (out !== undefined) file.setText(out)
    return
  }
  for (const doc of file.yaml?.hasErrors ? [] : (file.yaml?.docs ?? [])) {
    if (role === 'manifest' && substitutionDisabled(doc)) continue
    const strings = doc.strings()
    if (isSopsDoc(doc, strings)) {
      if (strings.some((s) => s.value.includes('${'))) ctx.report({ rule: 'sops-not-edited', severity: 'warning', message: 'variables in a SOPS-encrypted document are not inlined: editing it would break its MAC', at: { file, span: doc.span([]) } })
      continue
    }
    for (const s of strings) {
      if (!s.value.includes('$') || (role === 'kustomization' && isPathField(s.path))) continue
      const out = apply(s.value, (start, end) => offsetIn(file, doc.span(s.path), s.value.slice(start, end), occurrence(s.value, start, end)))
      if (out === undefined) continue
      if (s.key) doc.renameKey(s.path, out)
      else doc.set(s.path, typed(ctx, file, doc, s.path, s.value, out))
    }
  }
}

/**
 * Flux re-parses the YAML after substituting, so on Bitty `port: ${PORT}` rendered a number. A plain scalar that
 * was one variable and now reads as a number or boolean is written plain to keep that; any other value that YAML
 * would re-type is quoted (the string the file says) and reported, since Bitty rendered the other type.
 */
function typed(ctx: TransformContext, file: WFile, doc: YamlDoc, path: KeyPath, before: string, after: string): string | PlainValue {
  if (!/^\$\{[_A-Za-z][_A-Za-z0-9]*\}$/.test(before) || !needsQuotes(after)) return after
  const span = doc.span(path)
  const quoted = /^["']/.test((file.yaml?.text ?? '').slice(span[0], span[0] + 1))
  if (!quoted && /^(-?(0|[1-9][0-9]{0,17})(\.[0-9]+)?|true|false)$/.test(after)) return new PlainValue(after)
  ctx.report({
    rule: 'retyped',
    severity: 'warning',
    message: `\`${before}\` is inlined as a quoted string; on Bitty, Flux re-read the substituted value as YAML, which gives it another type (number, boolean or null)`,
    hint: 'write it plain if the field takes a number, boolean or null',
    at: { file, span },
  })
  return after
}

/** How many times the text of `[start, end)` occurs before `start` (to find the same occurrence in the source). */
function occurrence(value: string, start: number, end: number): number {
  const needle = value.slice(start, end)
  let n = 0
  for (let i = value.indexOf(needle); i >= 0 && i < start; i = value.indexOf(needle, i + 1)) n++
  return n
}
