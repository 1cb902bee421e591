import { describe, expect, it } from 'vitest'
import { inlineText, type Resolution } from '../../transforms/lib/inline.ts'

const vars: Record<string, Resolution> = {
  SECRET_DOMAIN: { kind: 'value', value: 'example.net' },
  EMPTY: { kind: 'value', value: '' },
  PRICE: { kind: 'value', value: 'a$$b${x}' },
  APP: { kind: 'keep' },
  SECRET_EMAIL: { kind: 'missing', source: 'Secret cluster-secrets (SOPS)' },
  TOKEN: { kind: 'refused', reason: 'github-token' },
}
const resolve = (n: string): Resolution => vars[n] ?? { kind: 'missing' }

describe('inlineText', () => {
  it('inlines known values and keeps what the Kustomization still substitutes, escapes and unknown defaults', () => {
    const r = inlineText('${APP}.${SECRET_DOMAIN} $${HOME} ${LEVEL:=info} ${RELAY:-smtp.${SECRET_DOMAIN}}', resolve, true)
    expect(r.text).toBe('${APP}.example.net $${HOME} ${LEVEL:=info} ${RELAY:-smtp.example.net}')
    expect(r.blocked).toEqual([])
    expect(Object.fromEntries(r.inlined)).toEqual({ SECRET_DOMAIN: 2 })
  })

  it('renders everything where no substitution remains: defaults applied, escapes unwrapped', () => {
    const r = inlineText('${SECRET_DOMAIN} $${HOME} ${LEVEL:=info} ${EMPTY:-fallback} cost $$5', resolve, false)
    expect(r.text).toBe('example.net ${HOME} info fallback cost $5')
    expect(r.unescaped).toBe(2)
    expect(Object.fromEntries(r.defaults)).toEqual({ LEVEL: 1 })
  })

  it('keeps a value with dollars exactly as Flux rendered it, in both modes', () => {
    expect(inlineText('p=${PRICE}', resolve, true).text).toBe('p=a$$$$b$${x}')
    expect(inlineText('p=${PRICE}', resolve, false).text).toBe('p=a$$b${x}')
  })

  it('blocks a variable without value, a refused credential and a string function, and changes nothing then', () => {
    const r = inlineText('${SECRET_DOMAIN} ${SECRET_EMAIL} ${SECRET_EMAIL:-x} ${TOKEN} ${SECRET_DOMAIN^^} ${NOWHERE}', resolve, true)
    expect(r.text).toBe('${SECRET_DOMAIN} ${SECRET_EMAIL} ${SECRET_EMAIL:-x} ${TOKEN} ${SECRET_DOMAIN^^} ${NOWHERE}')
    expect(r.blocked.map((b) => `${b.name}:${b.why}`)).toEqual(['SECRET_EMAIL:missing', 'SECRET_EMAIL:missing', 'TOKEN:refused', 'SECRET_DOMAIN:function', 'NOWHERE:missing'])
  })

  it('does not ask for a default that is never used', () => {
    expect(inlineText('${SECRET_DOMAIN:-${SECRET_EMAIL}}', resolve, false)).toMatchObject({ text: 'example.net', blocked: [] })
    expect(inlineText('${EMPTY:-${SECRET_EMAIL}}', resolve, false).blocked.map((b) => b.name)).toEqual(['SECRET_EMAIL'])
  })

  it('reports expressions Flux rejects only where it still substitutes', () => {
    expect(inlineText('${A:+b}', resolve, true).problems.map((p) => p.finding.rule)).toEqual(['unsupported-operator'])
    expect(inlineText('${A:+b}', resolve, false)).toMatchObject({ problems: [], blocked: [], text: '${A:+b}' })
  })
})
