import { describe, expect, it } from 'vitest'
import { gatewayTargets, makeResolver } from '../../src/ingress/index.ts'

describe('makeResolver', () => {
  const resolve = makeResolver({ variables: { SECRET_DOMAIN: 'rtrox.io', EMPTY: '' }, release: { name: 'thelounge', namespace: 'default' } })

  it('reads a text as Flux and then Helm rendered it', () => {
    expect(resolve('${GATUS:-irc}.${SECRET_DOMAIN}')).toEqual({ value: 'irc.rtrox.io' })
    expect(resolve('{{ .Release.Name }}.${SECRET_DOMAIN}')).toEqual({ value: 'thelounge.rtrox.io' })
    expect(resolve('{{- .Release.Namespace -}}')).toEqual({ value: 'default' })
    expect(resolve('${EMPTY:-fallback}')).toEqual({ value: 'fallback' })
  })

  it('names what it cannot resolve instead of guessing', () => {
    expect(resolve('${BLUESKY_HOSTNAME}')).toEqual({ unresolved: ['BLUESKY_HOSTNAME'] })
    expect(resolve('{{ .Values.host }}')).toEqual({ unresolved: ['.Values.host'] })
    expect(makeResolver({ variables: {} })('{{ .Release.Name }}.x')).toEqual({ unresolved: ['.Release.Name'] })
  })

  it('prints an escaped $${X} as ${X}, as Flux does (the caller then sees a placeholder)', () => {
    expect(resolve('$${SECRET_DOMAIN}')).toEqual({ value: '${SECRET_DOMAIN}' })
  })
})

describe('gatewayTargets', () => {
  it('keeps what is known of a Chongus gateway only while the configuration still names it', () => {
    const same = gatewayTargets({ internal: { name: 'envoy-internal', namespace: 'network', sectionName: 'https' } })
    expect(same.internal.listenerHostname).toBe('*.rtrox.io')
    const other = gatewayTargets({ internal: { name: 'private', namespace: 'gw', sectionName: 'websecure' } })
    expect(other.internal).toEqual({ name: 'private', namespace: 'gw', sectionName: 'websecure' })
    expect(other.external.name).toBe('envoy-external')
  })
})
