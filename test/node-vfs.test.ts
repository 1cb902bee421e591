/** The on-disk repository: symlinks are resolved once per folder, and a folder that leaves the root is absent. */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { NodeVfs } from '../src/fs.ts'

const made: string[] = []
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function tree(): { root: string; outside: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-vfs-'))
  made.push(base)
  const root = path.join(base, 'repo')
  const outside = path.join(base, 'outside')
  fs.mkdirSync(path.join(root, 'apps/a'), { recursive: true })
  fs.mkdirSync(outside)
  fs.writeFileSync(path.join(outside, 'secret.yaml'), 'secret: 1\n')
  fs.writeFileSync(path.join(root, 'apps/a/app.yaml'), 'a: 1\n')
  return { root, outside }
}

describe('NodeVfs', () => {
  it('reads through a folder symlink that stays inside, not one that leaves', () => {
    const { root, outside } = tree()
    fs.symlinkSync('../outside', path.join(root, 'out'))
    fs.symlinkSync('apps/a', path.join(root, 'alias'))
    const vfs = new NodeVfs(root)
    expect(vfs.read('alias/app.yaml')).toBe('a: 1\n')
    expect(vfs.read('out/secret.yaml')).toBeUndefined()
    expect(vfs.isDir('out')).toBe(false)
    expect(vfs.list('out')).toBeUndefined()
    expect(vfs.read(path.join(outside, 'secret.yaml'))).toBeUndefined()
    expect(vfs.read('../outside/secret.yaml')).toBeUndefined()
  })

  it('reads a file symlink inside the root, not one that leaves', () => {
    const { root, outside } = tree()
    fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'apps/a/leak.yaml'))
    fs.symlinkSync('app.yaml', path.join(root, 'apps/a/same.yaml'))
    const vfs = new NodeVfs(root)
    expect(vfs.read('apps/a/leak.yaml')).toBeUndefined()
    expect(vfs.read('apps/a/same.yaml')).toBe('a: 1\n')
  })

  it('does not remember a folder that was missing: one created later is read', () => {
    const { root } = tree()
    const vfs = new NodeVfs(root)
    expect(vfs.read('apps/b/new.yaml')).toBeUndefined()
    fs.mkdirSync(path.join(root, 'apps/b'))
    fs.writeFileSync(path.join(root, 'apps/b/new.yaml'), 'b: 2\n')
    expect(vfs.read('apps/b/new.yaml')).toBe('b: 2\n')
    expect(vfs.list('apps')).toEqual(['a', 'b'])
  })

  it('answers each kind of path by what it is: files, folders, links, dangling links and paths through a file', () => {
    const { root } = tree()
    fs.symlinkSync('nowhere.yaml', path.join(root, 'apps/a/dangling.yaml'))
    fs.symlinkSync('missing', path.join(root, 'apps/gone'))
    fs.symlinkSync('a', path.join(root, 'apps/b'))
    const vfs = new NodeVfs(root)
    expect([vfs.read('apps/a/app.yaml'), vfs.isDir('apps/a/app.yaml'), vfs.list('apps/a/app.yaml')]).toEqual(['a: 1\n', false, undefined])
    expect([vfs.read('apps/a'), vfs.isDir('apps/a'), vfs.list('apps/a')]).toEqual([undefined, true, ['app.yaml', 'dangling.yaml']])
    expect([vfs.read('apps/b/app.yaml'), vfs.isDir('apps/b'), vfs.list('apps/b')]).toEqual(['a: 1\n', true, ['app.yaml', 'dangling.yaml']])
    for (const p of ['apps/a/dangling.yaml', 'apps/gone', 'apps/gone/x.yaml', 'apps/a/app.yaml/x.yaml', 'nothing/here.yaml']) {
      expect([vfs.read(p), vfs.isDir(p), vfs.list(p), vfs.unreadable(p)]).toEqual([undefined, false, undefined, undefined])
    }
    expect([vfs.isDir(''), vfs.list('')]).toEqual([true, ['apps']])
    const big = path.join(root, 'apps/a/big.yaml')
    fs.writeFileSync(big, 'x'.repeat(8 * 1024 * 1024 + 1))
    expect([vfs.read('apps/a/big.yaml'), vfs.unreadable('apps/a/big.yaml')]).toEqual([undefined, 'is larger than 8 MiB, which bitty2chongus does not read'])
  })
})
