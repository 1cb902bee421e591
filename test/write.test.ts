import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeAtomically, type FileWrite, type WriteFs } from '../src/fs.ts'
import { readTree, writeTree } from './helpers.ts'

const START = { 'a/keep.yaml': 'keep\n', 'a/change.yaml': 'old\n', 'b/gone.yaml': 'gone\n' }
const WRITES: FileWrite[] = [
  { path: 'a/change.yaml', content: 'new\n' },
  { path: 'b/gone.yaml', content: undefined },
  { path: 'c/d/created.yaml', content: 'created\n' },
]

/** A real file system that throws on the Nth mutating call. */
function failingAt(n: number): WriteFs {
  let calls = 0
  const tick = () => {
    if (++calls === n) throw new Error(`injected failure at call ${n}`)
  }
  return {
    writeFileSync: (p, d) => (tick(), fs.writeFileSync(p, d)),
    renameSync: (a, b) => (tick(), fs.renameSync(a, b)),
    unlinkSync: (p) => (tick(), fs.unlinkSync(p)),
    mkdirSync: (p, o) => (tick(), fs.mkdirSync(p, o)),
    existsSync: (p) => fs.existsSync(p),
    readFileSync: (p) => fs.readFileSync(p),
    rmdirSync: (p) => fs.rmdirSync(p),
  }
}

describe('writeAtomically', () => {
  it('applies every write', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-w-'))
    writeTree(dir, START)
    writeAtomically(dir, WRITES)
    expect(readTree(dir)).toEqual({ 'a/keep.yaml': 'keep\n', 'a/change.yaml': 'new\n', 'c/d/created.yaml': 'created\n' })
  })

  it('leaves the tree byte-identical when the Nth file-system call fails, for every N', () => {
    let n = 1
    for (; n < 50; n++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-w-'))
      writeTree(dir, START)
      try {
        writeAtomically(dir, WRITES, failingAt(n))
      } catch (e) {
        expect((e as Error).message).toMatch(/^writing (a\/change|b\/gone|c\/d\/created)\.yaml failed, nothing was changed: injected failure/)
        expect(readTree(dir)).toEqual(START)
        expect(fs.existsSync(path.join(dir, 'c'))).toBe(false)
        continue
      }
      break
    }
    // Some N let the write complete: every earlier N failed cleanly.
    expect(n).toBeGreaterThan(5)
  })

  it('refuses paths outside the root', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-w-'))
    expect(() => writeAtomically(dir, [{ path: '../escape.yaml', content: 'x' }])).toThrow(/outside the repository/)
    expect(fs.existsSync(path.join(dir, '..', 'escape.yaml'))).toBe(false)
  })

  it('refuses to write through a symlink that leaves the root', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-w-'))
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-out-'))
    fs.symlinkSync(outside, path.join(dir, 'link'))
    expect(() => writeAtomically(dir, [{ path: 'link/x.yaml', content: 'x' }])).toThrow(/link that leaves the repository/)
    expect(fs.readdirSync(outside)).toEqual([])
  })
})
