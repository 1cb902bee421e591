import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrateAll, type AppOutcome } from '../src/batch.ts'
import { DEFAULT_CONFIG } from '../src/config.ts'
import { loadConfig } from '../src/migrate.ts'
import { commitMessage, isBotCommit, prBody, prTitle } from '../src/pr-body.ts'
import { reviewFacts } from '../src/pr-facts.ts'
import { MemoryVfs } from '../src/vfs.ts'
import { readTree } from './helpers.ts'

const fleet = readTree(path.resolve(__dirname, 'fixtures/fleet'))
const config = loadConfig(new MemoryVfs(fleet))
const exists = (p: string) => p in fleet
const outcome = async (app: string) => (await migrateAll({ repo: fleet, apps: [`cluster-cd/apps/bitty/${app}`] })).apps[0]

describe('pull request description', { timeout: 30_000 }, () => {
  it('describes a realistic app for review (expected text in test/fixtures/pr-body/notes.md)', async () => {
    const file = path.resolve(__dirname, 'fixtures/pr-body/notes.md')
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, prBody({ apps: [await outcome('default/notes')], config, exists }))
    const expected = fs.readFileSync(file, 'utf8')
    expect(prBody({ apps: [await outcome('default/notes')], config, exists })).toBe(expected)
  })

  it('has one section per app and a shared test plan for several apps', async () => {
    const batch = await migrateAll({ repo: fleet, apps: ['cluster-cd/apps/bitty/default/notes', 'cluster-cd/apps/bitty/media/player'] })
    const body = prBody({ apps: batch.apps, config, exists })
    expect(prTitle(batch.apps)).toBe('feat: migrate 2 apps from bitty to chongus')
    expect(body.match(/^## .+$/gm)).toEqual(['## notes', '## player', '## How to test'])
    expect(body).toContain('### Reviewer checklist')
    expect(body).toContain('bitty2chongus check cluster-apps/chongus/default/notes cluster-apps/chongus/media/player')
    expect(body).toContain('- [ ] set a memory limit for container `player/player`')
    expect(body).toContain('- [ ] pin `ghcr.io/example/player:0.9.0` to a digest')
  })

  it('stays under GitHub\'s limit: notes go first, then the text is cut with a pointer to plan', async () => {
    const a = await outcome('default/notes')
    const noisy: AppOutcome = { ...a, diagnostics: [...a.diagnostics, ...Array.from({ length: 2000 }, (_, i) => ({ severity: 'info' as const, ruleId: 'x/note', message: `note ${i} `.padEnd(40, '.') }))] }
    const trimmed = prBody({ apps: [noisy], config, exists })
    expect(trimmed.length).toBeLessThan(65_000)
    expect(trimmed).not.toContain('<details>')
    expect(trimmed).toContain('## What moved where')
    expect(trimmed).toContain('## Reviewer checklist')
    const many = prBody({ apps: [noisy, { ...noisy, name: 'notes-two' }], config, exists })
    expect(many).toMatch(/^Migrates 2 apps from the legacy Bitty layout/)
    expect(many).not.toContain('<details>')
    const loud: AppOutcome = { ...a, diagnostics: Array.from({ length: 2000 }, (_, i) => ({ severity: 'warning' as const, ruleId: 'x/warn', message: `warning ${i} `.padEnd(40, '.') })) }
    const cut = prBody({ apps: [loud], config, exists })
    expect(cut.length).toBeLessThan(65_000)
    expect(cut).toContain('… (cut to fit GitHub; `bitty2chongus plan` lists everything)')
    expect(cut).not.toContain('What moved where')
    expect(cut).toMatch(/## How to test\n/)
  })

  it('writes a conventional commit with the transforms applied, and knows its own commits', async () => {
    const msg = commitMessage(await outcome('media/player'))
    expect(msg.split('\n').slice(0, 3)).toEqual(['feat(player): migrate player from bitty to chongus', '', 'Moves cluster-cd/apps/bitty/media/player to cluster-apps/chongus/media/player.'])
    expect(msg).toContain('Transforms applied:\n- ks-layout: ')
    expect(isBotCommit(msg)).toBe(true)
    expect(isBotCommit('fix: raise the memory limit')).toBe(false)
    expect(isBotCommit('feat(x): migrate x from bitty to chongus, and more')).toBe(false)
  })
})

describe('review facts', async () => {
  const change = (text: string) => [{ path: 'a/app.yaml', status: 'added' as const, after: text }]

  it('lists Doppler key and property names only, never a value, and only for the configured store', async () => {
    const facts = reviewFacts(
      change(`---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: a}
spec:
  secretStoreRef: {kind: ClusterSecretStore, name: doppler}
  target:
    template:
      data:
        URL: "https://{{ .user }}:{{ .token }}@example.net"
        LITERAL: hunter2-not-a-reference
  dataFrom:
    - extract: {key: APP_ONE}
    - extract: {key: APP_TWO}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: b}
spec:
  secretStoreRef: {kind: ClusterSecretStore, name: vault}
  dataFrom:
    - extract: {key: ELSEWHERE}
`),
      DEFAULT_CONFIG,
    )
    expect(facts.doppler).toEqual([
      { key: 'APP_ONE', properties: ['token', 'user'] },
      { key: 'APP_TWO', properties: ['token', 'user'] },
    ])
    expect(JSON.stringify(facts)).not.toContain('hunter2')
  })

  it('finds unpinned images and containers without a memory limit in raw manifests and chart values', async () => {
    const facts = reviewFacts(
      change(`---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  template:
    spec:
      initContainers:
        - {name: init, image: "busybox:1.36@sha256:${'a'.repeat(64)}", resources: {limits: {memory: 16Mi}}}
      containers:
        - {name: db, image: "postgres:16"}
        - {name: sidecar, image: "\${SIDECAR_IMAGE}", resources: {limits: {memory: 1Gi}}}
`),
      DEFAULT_CONFIG,
    )
    expect(facts.unpinned).toEqual([{ image: 'postgres:16', file: 'a/app.yaml' }])
    expect(facts.noMemoryLimit).toEqual([{ container: 'db/db', file: 'a/app.yaml' }])
  })
})
