/**
 * No secret value ever leaves the tool: over every golden case (through the CLI, text and JSON) and every app of
 * the corpus, the outputs hold no SOPS ciphertext outside the patch lines that delete a file, and none of the
 * plaintext values the fixtures hide (what their fake ciphertext decodes to, plain Secret values, credentials
 * given as variables).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { listLegacyApps } from '../src/app.ts'
import { main, type CliIo } from '../src/cli.ts'
import { formatDiagnostics } from '../src/diagnostics.ts'
import { YamlFile } from '../src/document.ts'
import { NodeVfs } from '../src/fs.ts'
import { loadConfig, migrate } from '../src/migrate.ts'
import { looksLikeCredential } from '../src/secrets/index.ts'
import { Workspace } from '../src/workspace.ts'
import { CORPUS, hasCorpus, readTree } from './helpers.ts'

const GOLDEN = path.resolve(__dirname, '../golden')
const CIPHERTEXT = 'ENC[AES256_GCM'
const ENC_DATA = /ENC\[AES256_GCM,data:([A-Za-z0-9+/]*={0,2}),/g

/** Values a fixture hides: decoded fake ciphertext, plain Secret values, credential-looking variable values. */
function hiddenValues(tree: Record<string, string>, vars: readonly string[]): string[] {
  const out = new Set<string>()
  for (const [p, text] of Object.entries(tree)) {
    for (const m of text.matchAll(ENC_DATA)) out.add(Buffer.from(m[1], 'base64').toString('utf8'))
    if (!/\.ya?ml$/.test(p)) continue
    const y = new YamlFile(text)
    for (const d of y.docs) {
      if (d.getString(['kind']) !== 'Secret') continue
      for (const field of ['stringData', 'data']) {
        for (const k of d.keys([field])) {
          const v = d.getString([field, k]) ?? ''
          out.add(v)
          if (field === 'data') out.add(Buffer.from(v, 'base64').toString('utf8'))
        }
      }
    }
    if (p === '.bitty2chongus.yaml') for (const v of Object.values((y.docs[0]?.get(['variables']) ?? {}) as Record<string, string>)) if (looksLikeCredential(v)) out.add(v)
  }
  for (const v of vars) {
    const value = v.slice(v.indexOf('=') + 1)
    if (looksLikeCredential(value)) out.add(value)
  }
  // Short values ("notes", "true") occur in any output; the fixtures' secrets are long and distinctive.
  return [...out].filter((v) => v.length >= 12 && !v.startsWith('ENC['))
}

/** Output lines that may not carry a secret: all of it, except the lines of a patch that delete a line. */
function exposed(patch: string, ...rest: string[]): string[] {
  const lines = patch.split('\n').filter((l) => !(l.startsWith('-') && !l.startsWith('--- ')))
  return [...lines, ...rest.flatMap((r) => r.split('\n'))]
}

function leaks(lines: readonly string[], hidden: readonly string[]): string[] {
  return lines.filter((l) => l.includes(CIPHERTEXT) || hidden.some((h) => l.includes(h)))
}

function cliIo(): { io: CliIo; out: string[] } {
  const out: string[] = []
  const io: CliIo = { stdout: (s) => out.push(s), stderr: (s) => out.push(s), cwd: process.cwd(), readFile: (p) => fs.readFileSync(p, 'utf8'), resolve: (...p) => path.resolve(...p) }
  return { io, out }
}

const cases = fs.readdirSync(GOLDEN).filter((d) => !d.startsWith('_') && fs.existsSync(path.join(GOLDEN, d, 'case.yaml'))).sort()

describe('secret safety', async () => {
  it.each(cases)('golden %s: no ciphertext outside deletions, no hidden value, in patch, report or JSON', async (name) => {
    const dir = path.join(GOLDEN, name)
    const c = new YamlFile(fs.readFileSync(path.join(dir, 'case.yaml'), 'utf8')).docs[0].get([]) as { apps: string[]; options?: { vars?: string[]; removeSource?: string } }
    const input = path.join(dir, 'input')
    const vars = c.options?.vars ?? []
    const hidden = hiddenValues(readTree(input), vars)
    const args = ['migrate', ...c.apps, '--repo', input, ...vars.flatMap((v) => ['--var', v]), ...(String(c.options?.removeSource) === 'true' ? ['--remove-source'] : [])]
    const text = cliIo()
    await main(args, text.io)
    const json = cliIo()
    await main([...args, '--format', 'json'], json.io)
    const patch = (JSON.parse(json.out.join('')) as { patch: string }).patch
    expect(leaks([...exposed(text.out.join('')), ...exposed(patch, JSON.stringify({ ...JSON.parse(json.out.join('')), patch: '' }))], hidden)).toEqual([])
  })

  it('corpus: no ciphertext outside deletions in any app\'s patch, report or doppler list', async () => {
    if (!hasCorpus) {
      console.warn('corpus not found: its secret safety was not checked')
      return
    }
    const vfs = new NodeVfs(CORPUS)
    const apps = listLegacyApps(new Workspace(vfs), loadConfig(vfs))
    const found: string[] = []
    for (const app of apps) {
      for (const removeSource of [false, true]) {
        const r = await migrate({ repo: vfs, apps: [app.path], removeSource })
        found.push(...leaks(exposed(r.patch, formatDiagnostics(r.diagnostics), JSON.stringify({ diagnostics: r.diagnostics, doppler: r.doppler })), []).map((l) => `${app.path}: ${l.slice(0, 80)}`))
      }
    }
    expect(found).toEqual([])
  })
})
