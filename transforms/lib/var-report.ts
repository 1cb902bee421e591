/**
 * Collects what the variables transform did and could not do over a whole app, and reports it once per variable:
 * a blocked variable lists every `file:line` that uses it. Messages name variables, never their values.
 */
import type { Span, TransformContext, VarFinding, WFile } from '../../src/transform-api.ts'
import type { Blocked, Resolution } from './inline.ts'
import { lineOf } from './scalars.ts'

interface Place {
  file: WFile
  offset: number
}

export class VarTally {
  private readonly blocked = new Map<string, { why: Blocked['why']; resolution: Resolution; places: Place[] }>()
  private readonly inlined = new Map<string, { n: number; from: string; at: Place }>()
  private readonly defaults = new Map<string, { n: number; at: Place }>()

  constructor(private readonly ctx: TransformContext) {}

  block(b: Blocked, at: Place): void {
    const key = `${b.why}\u0000${b.name}`
    const e = this.blocked.get(key) ?? { why: b.why, resolution: b.resolution, places: [] }
    e.places.push(at)
    this.blocked.set(key, e)
  }

  inline(name: string, n: number, from: string, at: Place): void {
    const e = this.inlined.get(name)
    if (e) e.n += n
    else this.inlined.set(name, { n, from, at })
  }

  useDefault(name: string, n: number, at: Place): void {
    const e = this.defaults.get(name)
    if (e) e.n += n
    else this.defaults.set(name, { n, at })
  }

  get hasErrors(): boolean {
    return this.blocked.size > 0
  }

  /** Reports everything collected. */
  flush(): void {
    const { ctx } = this
    const where = (p: Place) => ({ file: p.file, span: [p.offset, p.offset] as Span })
    const cite = (p: Place) => `${p.file.origin}:${lineOf(ctx.ws.vfs.read(p.file.origin) ?? p.file.after ?? '', p.offset)}`
    for (const [key, b] of this.blocked) {
      const name = key.split('\u0000')[1]
      const list = [...new Set(b.places.map(cite))].join(', ')
      const uses = `used at ${list}`
      const r = b.resolution
      const source = r.kind === 'missing' && r.source ? `it came from ${r.source}, which Chongus does not substitute` : 'no legacy source defines it, so Bitty rendered it empty'
      const add = `add \`${name}: <value>\` under \`variables:\` in .bitty2chongus.yaml, or pass --var ${name}=<value>`
      switch (b.why) {
        case 'missing':
          ctx.report({ rule: 'missing-value', severity: 'error', message: `\`\${${name}}\` has no value: ${source}; ${uses}`, hint: r.kind === 'missing' && r.source ? add : `${add} (an empty value keeps Bitty's rendering); to keep the text literal, mark the object \`kustomize.toolkit.fluxcd.io/substitute: disabled\``, at: where(b.places[0]) })
          break
        case 'refused':
          ctx.report({ rule: 'credential-refused', severity: 'error', message: `the configured value of \`${name}\` looks like a credential (${r.kind === 'refused' ? r.reason : 'credential'}); it is not inlined into git; ${uses}`, hint: `remove it from variables/--var, store it in Doppler under the app's key and read it through the app's ExternalSecret`, at: where(b.places[0]) })
          break
        case 'function':
          ctx.report({ rule: 'function-not-inlined', severity: 'error', message: `\`\${${name}…}\` applies a string function to a variable Chongus no longer substitutes; ${uses}`, hint: 'write the resulting text by hand', at: where(b.places[0]) })
          break
        case 'leftover':
          ctx.report({ rule: 'not-rendered', severity: 'error', message: `\`\${${name}}\` would stay unrendered: the Chongus Kustomization does not substitute this text; ${uses}`, hint: 'write the value by hand, or escape it as `$${…}` if it is meant literally', at: where(b.places[0]) })
          break
        case 'shared': {
          const component = b.places[0].file.path.startsWith(`${ctx.config.target.componentsDir}/`)
          ctx.report({
            rule: 'undefined-in-shared',
            severity: 'error',
            message: `\`\${${name}}\` is not defined by the Chongus Kustomization that renders this ${component ? 'component' : 'shared legacy file'} (Flux 2.9 fails on it); ${uses}`,
            hint: component
              ? `the component is shared by every app that lists it, so the migration does not edit it: write the value into it, or give it a default (\`\${${name}:-…}\`)`
              : `the migration does not edit files other apps share: copy the file into the app (the migration then inlines ${name}), or write the value into it`,
            at: where(b.places[0]),
          })
          break
        }
      }
    }
    for (const [name, e] of this.inlined) {
      ctx.report({ rule: 'inlined', severity: 'info', message: `\`\${${name}}\` inlined in ${e.n} place${e.n > 1 ? 's' : ''} (value from ${e.from})`, at: where(e.at) })
    }
    for (const [name, e] of this.defaults) {
      ctx.report({ rule: 'default-inlined', severity: 'info', message: `\`\${${name}:-…}\` replaced by its default in ${e.n} place${e.n > 1 ? 's' : ''}: nothing defined it on Bitty and Chongus does not substitute this text`, at: where(e.at) })
    }
  }

  /** Reports the findings of a text at a place (rejected expressions, notices of the substitution). */
  findings(list: readonly VarFinding[], at: Place, severity?: VarFinding['severity']): void {
    for (const f of list) this.ctx.report({ rule: f.rule, severity: severity ?? f.severity, message: f.message.replace(/ at offset \d+/, ''), hint: f.hint, at: { file: at.file, span: [at.offset, at.offset] } })
  }
}
