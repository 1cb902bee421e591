/**
 * `isSopsDoc` tells the transforms which documents are SOPS-encrypted (never to be edited). Its cheap tests must
 * never hide one: an unedited document is tested on its source, an edited one on its strings, never on a print.
 */
import { describe, expect, it } from 'vitest'
import { YamlFile } from '../../src/document.ts'
import { isSopsDoc } from '../../transforms/lib/scalars.ts'

const b64 = (n: number) => 'A'.repeat(n)
const ENC = `ENC[AES256_GCM,data:${b64(8)},iv:${b64(43)}=,tag:${b64(22)}==,type:str]`
const META = 'sops:\n  mac: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\n  version: 3.8.1\n'

describe('isSopsDoc', () => {
  it.each([
    ['a SOPS Secret', `kind: Secret\nstringData:\n  k: ${ENC}\n${META}`, true],
    ['a value without the metadata block', `kind: Secret\nstringData:\n  k: ${ENC}\n`, true],
    ['the metadata block alone', `kind: Secret\n${META}`, true],
    ['a double-quoted value', `kind: Secret\nstringData:\n  k: "${ENC}"\n`, true],
    ['a plain Secret', 'kind: Secret\nstringData:\n  k: v\n', false],
    ['the marker in a comment only', `kind: ConfigMap # ENC[AES256_GCM\ndata:\n  k: v\n`, false],
    ['a malformed value', 'kind: Secret\nstringData:\n  k: ENC[AES256_GCM,data:x]\n', false],
  ])('%s, unedited and edited', (_, text, want) => {
    const f = new YamlFile(text)
    expect(isSopsDoc(f.docs[0])).toBe(want)
    f.docs[0].set(['metadata', 'name'], 'edited')
    expect(f.docs[0].edited).toBe(true)
    expect(isSopsDoc(f.docs[0])).toBe(want)
    expect(isSopsDoc(f.docs[0], f.docs[0].strings())).toBe(want)
  })

  it('reads each document of a file alone', () => {
    const f = new YamlFile(`kind: ConfigMap\ndata:\n  k: v\n---\nkind: Secret\nstringData:\n  k: ${ENC}\n`)
    expect(f.docs.map((d) => isSopsDoc(d))).toEqual([false, true])
  })

  it('sees an encrypted value an edit wrote, and no longer one an edit removed', () => {
    const f = new YamlFile('kind: Secret\nstringData:\n  k: v\n')
    f.docs[0].set(['stringData', 'k'], ENC)
    expect(isSopsDoc(f.docs[0])).toBe(true)
    const g = new YamlFile(`kind: Secret\nstringData:\n  k: ${ENC}\n`)
    g.docs[0].set(['stringData', 'k'], 'plain')
    expect(isSopsDoc(g.docs[0])).toBe(false)
  })
})
