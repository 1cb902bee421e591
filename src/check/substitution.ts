/**
 * `${VAR}` left for Flux to substitute: every variable the app renders, components and generated ConfigMaps
 * included, must be defined by `postBuild.substitute` or have a default (Flux 2.9 fails the reconcile otherwise).
 */
import type { KeyPath } from '../document.ts'
import { join } from '../paths.ts'
import type { Resource } from '../workspace.ts'
import type { RuleName } from './rules.ts'
import type { CheckContext } from './context.ts'
import { missingVariables } from './envsubst.ts'
import type { AppModel, KsModel } from './model.ts'
import { valueOf } from './value.ts'

/** The rules this family reports. */
export const SUBSTITUTION_RULES = ['undefined-variable'] as const satisfies readonly RuleName[]
type SubstitutionRule = (typeof SUBSTITUTION_RULES)[number]

const DISABLED = 'kustomize.toolkit.fluxcd.io/substitute'

/** Whether a resource opts out of substitution (label or annotation `substitute: disabled`). */
export function substitutionDisabled(r: Resource): boolean {
  return r.doc.getString(['metadata', 'labels', DISABLED]) === 'disabled' || r.doc.getString(['metadata', 'annotations', DISABLED]) === 'disabled'
}

/** Every string of a JSON-like value (map keys included) with its key path. */
export function strings(v: unknown, path: KeyPath = [], out: { path: KeyPath; text: string }[] = []): { path: KeyPath; text: string }[] {
  if (typeof v === 'string') out.push({ path, text: v })
  else if (Array.isArray(v)) v.forEach((x, i) => strings(x, [...path, i], out))
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      if (k.includes('${')) out.push({ path: [...path, k], text: k })
      strings(x, [...path, k], out)
    }
  return out
}

/** Reports every variable an app's Kustomizations render and do not define. */
export function substitutionRules(ctx: CheckContext<SubstitutionRule>, app: AppModel): void {
  for (const ks of app.kustomizations) {
    const defined = (n: string) => ks.defined.has(n)
    const from = ks.resource.doc.length(['spec', 'postBuild', 'substituteFrom']) > 0
    const report = (name: string, at: { resource: Resource; path: KeyPath } | { file: string; span: [number, number] }) => {
      const where = `${ks.resource.ref.namespace ?? ''}/${ks.name}`
      // A cluster variable of the legacy cluster is never substituted on Chongus: left literal, it breaks the value.
      const cluster = !app.legacy && name in ctx.config.variables
      ctx.report(app, {
        rule: 'undefined-variable',
        severity: (ks.postBuild && !from) || cluster ? 'error' : 'warning',
        message: cluster && !(ks.postBuild && from)
          ? `\${${name}} is a legacy cluster variable, which Chongus does not substitute${ks.postBuild ? '' : ' (and Kustomization ' + where + ' has no postBuild)'}: it must be inlined`
          : !ks.postBuild
            ? `\${${name}} stays literal: Kustomization ${where} has no postBuild, so Flux does not substitute it`
            : from
              ? `\${${name}} is not in Kustomization ${where} postBuild.substitute; only its substituteFrom source can define it`
              : `\${${name}} is defined neither by Kustomization ${where} postBuild.substitute nor by a default: Flux 2.9 fails the reconcile`,
        hint: cluster
          ? `write the value of ${name} from the variables of .bitty2chongus.yaml in its place`
          : `define ${name} in postBuild.substitute, give it a default (\${${name}:=value}), escape it ($\${${name}}) or label the resource ${DISABLED}: disabled`,
        at,
        subject: `${ks.name}:${name}`,
        appWide: true,
      })
    }
    for (const r of ks.resources) {
      if (substitutionDisabled(r) || !mayHoldVariable(r.doc.render())) continue
      for (const s of strings(valueOf(r))) {
        for (const use of unique(missingVariables(s.text, defined))) report(use.name, { resource: r, path: s.path })
      }
    }
    for (const file of generatedInputs(ctx, ks)) {
      const text = ctx.ws.file(file)?.after ?? ''
      for (const use of unique(missingVariables(text, defined))) report(use.name, { file, span: [use.offset, use.offset + use.name.length + 3] })
    }
  }
}

/**
 * Whether a document's text can hold `${` in a key or value: written so, or made so by a double-quoted scalar (an
 * escaped `$` or `{`, or a `$` before an escaped line break, which joins the next line without a space). Folding
 * joins lines with a space, so nothing else makes one; a `$schema` comment alone does not.
 */
export function mayHoldVariable(text: string): boolean {
  return text.includes('${') || /\\(?:x24|u0024|U00000024|x7b|u007b|U0000007b)/i.test(text) || /\$\\\r?\n/.test(text)
}

function unique<T extends { name: string }>(uses: T[]): T[] {
  const seen = new Set<string>()
  return uses.filter((u) => !seen.has(u.name) && seen.add(u.name))
}

/** Files read by configMap/secret generators and patches that substitution reaches (not opted out). */
function generatedInputs(ctx: CheckContext<SubstitutionRule>, ks: KsModel): string[] {
  const trees = [ks.tree, ...ks.components.map((c) => c.tree)].filter((t) => t !== undefined)
  const disabled = new Set<string>()
  for (const t of trees)
    for (const k of t.kustomizations) {
      const dir = k.slice(0, k.lastIndexOf('/'))
      for (const doc of ctx.ws.file(k)?.yaml?.docs ?? []) {
        const globalOff = optedOut(doc.get(['generatorOptions']))
        for (const gen of ['configMapGenerator', 'secretGenerator']) {
          const n = doc.length([gen])
          for (let i = 0; i < n; i++) {
            if (!globalOff && !optedOut(doc.get([gen, i, 'options']))) continue
            for (const sub of ['files', 'envs']) {
              for (const e of doc.items([gen, i, sub])) {
                if (typeof e !== 'string') continue
                const rel = e.includes('=') ? e.slice(e.indexOf('=') + 1) : e
                const p = join(dir, rel)
                if (p !== undefined) disabled.add(p)
              }
            }
          }
        }
      }
    }
  return trees.flatMap((t) => t.inputs).filter((p) => !disabled.has(p))
}

function optedOut(options: unknown): boolean {
  if (!options || typeof options !== 'object') return false
  const o = options as { labels?: Record<string, unknown>; annotations?: Record<string, unknown> }
  return o.labels?.[DISABLED] === 'disabled' || o.annotations?.[DISABLED] === 'disabled'
}
