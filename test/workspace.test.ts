import { describe, expect, it } from 'vitest'
import { MemoryVfs, SnapshotVfs } from '../src/vfs.ts'
import { Workspace } from '../src/workspace.ts'

describe('workspace', () => {
  it('lists folders that exist only in the draft, so later transforms see files copied into a new app folder', () => {
    const ws = new Workspace(new MemoryVfs({ 'old/app/hr.yaml': 'kind: HelmRelease\n', 'old/ks.yaml': 'a: 1\n' }))
    ws.copy('old/ks.yaml', 'new/ks.yaml')
    ws.copy('old/app/hr.yaml', 'new/app/hr.yaml')
    expect(ws.list('new')).toEqual(['app', 'ks.yaml'])
    expect(ws.filesUnder('new').map((f) => f.path)).toEqual(['new/app/hr.yaml', 'new/ks.yaml'])
  })
})

describe('settling finished apps', () => {
  it('keeps the text of settled files, drops their parse, and lists only files read since', () => {
    const ws = new Workspace(new MemoryVfs({ 'one/a.yaml': 'a: 1\n', 'two/b.yaml': 'b: 1\n', 'ns.yaml': 'resources: []\n' }))
    ws.file('one/a.yaml')!.yaml!.docs[0].set(['a'], 2)
    ws.file('ns.yaml')!.yaml!.docs[0].set(['resources'], ['./one'])
    ws.settle((p) => !p.startsWith('one/'))
    expect(ws.file('one/a.yaml')!.isParsed).toBe(false)
    expect(ws.file('one/a.yaml')!.after).toBe('a: 2\n')
    expect(ws.file('ns.yaml')!.isParsed).toBe(true)
    ws.file('two/b.yaml')
    expect(ws.recent().map((f) => f.path).sort()).toEqual(['ns.yaml', 'two/b.yaml'])
    // A settled file is still part of the result.
    expect(ws.loaded().filter((f) => f.status !== 'unchanged').map((f) => f.path).sort()).toEqual(['ns.yaml', 'one/a.yaml'])
  })

  it('with keepUnchanged, keeps the parse of a written file no edit touched (a later check shares it), not of an edited one', () => {
    const ws = new Workspace(new MemoryVfs({ 'one/a.yaml': 'a: 1\n' }))
    ws.write('one/new.yaml', 'n: 1\n').yaml
    ws.write('one/edited.yaml', 'e: 1\n').yaml!.docs[0].set(['e'], 2)
    ws.file('one/a.yaml')!.yaml
    ws.settle(() => false, { keepUnchanged: true })
    expect(ws.file('one/new.yaml')!.isParsed).toBe(true)
    expect(ws.file('one/new.yaml')!.after).toBe('n: 1\n')
    expect(ws.file('one/a.yaml')!.isParsed).toBe(true)
    expect(ws.file('one/edited.yaml')!.isParsed).toBe(false)
    expect(ws.file('one/edited.yaml')!.after).toBe('e: 2\n')
    // Without it, only the text stays.
    const other = new Workspace(new MemoryVfs({}))
    other.write('one/new.yaml', 'n: 1\n').yaml
    other.settle(() => false)
    expect(other.file('one/new.yaml')!.isParsed).toBe(false)
  })

  it('with keepUnchanged, an edited file keeps the parse that verified its merge: a parse of exactly its new text', () => {
    // The source is not spelled as yaml prints it (flow padding, comment), so the edit is merged onto it.
    const ws = new Workspace(new MemoryVfs({ 'one/a.yaml': 'a: {b: 1}   # keep\nc: 1\n', 'one/two.yaml': 'a: {b: 1}\n---\nc: 1\n' }))
    ws.file('one/a.yaml')!.yaml!.docs[0].set(['c'], 2)
    ws.file('one/two.yaml')!.yaml!.docs[1].set(['c'], 2)
    ws.settle(() => false, { keepUnchanged: true })
    const a = ws.file('one/a.yaml')!
    expect(a.after).toBe('a: {b: 1}   # keep\nc: 2\n')
    expect(a.isParsed).toBe(true)
    expect(a.yaml!.edited).toBe(false)
    expect(a.yaml!.text).toBe(a.after)
    expect(a.yaml!.docs[0].get([])).toEqual({ a: { b: '1' }, c: '2' })
    // A file of several documents was verified document by document: no parse of the whole new text exists.
    expect(ws.file('one/two.yaml')!.isParsed).toBe(false)
    expect(ws.file('one/two.yaml')!.after).toBe('a: {b: 1}\n---\nc: 2\n')
  })

  it('a reading workspace can forget a folder and read it again', () => {
    const vfs = new MemoryVfs({ 'one/a.yaml': 'a: 1\n' })
    const ws = new Workspace(vfs)
    const first = ws.file('one/a.yaml')!
    ws.forget('one')
    expect(ws.peek('one/a.yaml')).toBeUndefined()
    expect(ws.file('one/a.yaml')).not.toBe(first)
    expect(ws.file('one/a.yaml')!.after).toBe('a: 1\n')
  })
})

describe('SnapshotVfs', () => {
  it('reads each file and folder of its base once, and hands out listings the caller may change', () => {
    const calls: string[] = []
    const base = new MemoryVfs({ 'a/b.yaml': 'x: 1\n' })
    const counted = {
      read: (p: string) => (calls.push(`read ${p}`), base.read(p)),
      isDir: (p: string) => (calls.push(`isDir ${p}`), base.isDir(p)),
      list: (p: string) => (calls.push(`list ${p}`), base.list(p)),
    }
    const snap = new SnapshotVfs(counted)
    for (let i = 0; i < 3; i++) {
      expect(snap.read('a/b.yaml')).toBe('x: 1\n')
      expect(snap.read('a/none.yaml')).toBeUndefined()
      expect(snap.isDir('a')).toBe(true)
      snap.list('a')!.push('changed')
    }
    expect(snap.list('a')).toEqual(['b.yaml'])
    expect(calls).toEqual(['read a/b.yaml', 'read a/none.yaml', 'isDir a', 'list a'])
  })

  it('answers what a listing or a non-folder rules out without asking its base, and the rest as the base does', () => {
    const base = new MemoryVfs({ 'a/b.yaml': 'x: 1\n', 'a/c/d.yaml': 'y: 2\n', 'a/.git/config': 'g', 'e.yaml': 'z\n' })
    const asked: string[] = []
    const counted = {
      read: (p: string) => (asked.push(p), base.read(p)),
      isDir: (p: string) => (asked.push(p), base.isDir(p)),
      list: (p: string) => (asked.push(p), base.list(p)),
    }
    const snap = new SnapshotVfs(counted)
    snap.list('a')
    snap.isDir('e.yaml')
    snap.list('')
    asked.length = 0
    const paths = ['a/none.yaml', 'a/none/deeper.yaml', 'e.yaml/x', 'e.yaml/x/y', 'f/g.yaml', 'a/b.yaml', 'a/c', 'a/c/d.yaml', 'a/c/none.yaml', 'a/.git/config', 'a//b.yaml', 'a/./b.yaml', 'a/c/../b.yaml']
    for (const p of paths) {
      expect([snap.read(p), snap.isDir(p), snap.list(p)], p).toEqual([base.read(p), base.isDir(p), base.list(p)])
    }
    // Not asked: names the listings of a, a/c and the root lack, and what lies below a file.
    const ruledOut = ['a/none.yaml', 'a/none/deeper.yaml', 'e.yaml/x', 'e.yaml/x/y', 'f/g.yaml', 'a/c/none.yaml']
    expect(asked.filter((p) => ruledOut.includes(p))).toEqual([])
    expect(new Set(asked)).toEqual(new Set(paths.filter((p) => !ruledOut.includes(p))))
  })
})

describe('copying a parsed file', () => {
  it('gives the copy its own documents: editing one leaves the other, and both keep their bytes', () => {
    const text = '# keep\nkey: &a 0775\nother: *a\n'
    const ws = new Workspace(new MemoryVfs({ 'old/a.yaml': text }))
    const src = ws.file('old/a.yaml')!
    expect(src.yaml!.docs[0].get(['key'])).toBe('0775')
    const copy = ws.copy('old/a.yaml', 'new/a.yaml')!
    expect(copy.isParsed).toBe(true)
    copy.yaml!.docs[0].set(['added'], 'x')
    expect(copy.after).toBe(`${text}added: x\n`)
    expect(src.after).toBe(text)
    src.yaml!.docs[0].set(['key'], 'y')
    expect(copy.after).toBe(`${text}added: x\n`)
    expect(copy.origin).toBe('old/a.yaml')
  })
})

describe('the input side of a file', () => {
  it('is a copy of the draft parse while that is unedited: editing either leaves the other as it was', () => {
    const ws = new Workspace(new MemoryVfs({ 'a.yaml': 'a: 1 # one\nb: [x]\n' }))
    const f = ws.file('a.yaml')!
    const draft = f.yaml!
    const before = f.beforeYaml!
    expect(before).not.toBe(draft)
    expect(before.docs[0].doc).not.toBe(draft.docs[0].doc)
    draft.docs[0].set(['a'], 2)
    expect(before.docs[0].get([])).toEqual({ a: '1', b: ['x'] })
    expect(before.render()).toBe('a: 1 # one\nb: [x]\n')
    expect(f.after).toBe('a: 2 # one\nb: [x]\n')
  })

  it('is parsed from the input once the draft is edited, and the draft is copied from it while the text is unchanged', () => {
    const ws = new Workspace(new MemoryVfs({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' }))
    const a = ws.file('a.yaml')!
    a.yaml!.docs[0].set(['a'], 2)
    expect(a.beforeYaml!.docs[0].get(['a'])).toBe('1')
    const b = ws.file('b.yaml')!
    const before = b.beforeYaml!
    const draft = b.yaml!
    expect(draft).not.toBe(before)
    draft.docs[0].set(['b'], 3)
    expect(before.docs[0].get(['b'])).toBe('1')
    expect(b.after).toBe('b: 3\n')
  })
})

describe('journals of a file already edited', () => {
  const text = '# head\nkind: HelmRelease\nspec:\n  interval: 1h # keep\n  values: &v\n    a: 0775\n  copy: *v\n---\nkind: Other\n'

  it('undo to the content before the transform, not the input: a copy of the edited documents renders it', () => {
    const ws = new Workspace(new MemoryVfs({ 'app/hr.yaml': text }))
    ws.snapshot()
    const f = ws.file('app/hr.yaml')!
    f.yaml!.docs[0].set(['spec', 'interval'], '5m')
    ws.commit()
    const afterFirst = f.after!
    expect(afterFirst).toBe(text.replace('1h', '5m'))
    const undo = ws.snapshot()
    const y = f.yaml!
    y.docs[0].set(['spec', 'values', 'a'], '0644')
    y.docs[0].delete(['spec', 'copy'])
    y.removeDocument(y.docs[1])
    y.addDocument({ kind: 'Added' })
    expect(ws.journaled()).toEqual([{ path: 'app/hr.yaml', before: afterFirst, after: f.after }])
    expect(f.after).not.toBe(afterFirst)
    undo()
    expect(ws.file('app/hr.yaml')!.after).toBe(afterFirst)
  })

  it('list the content before the journal even when the file is edited further after a listing', () => {
    const ws = new Workspace(new MemoryVfs({ 'app/hr.yaml': text }))
    const f = ws.file('app/hr.yaml')!
    f.yaml!.docs[0].set(['spec', 'interval'], '5m')
    const edited = f.after
    ws.snapshot()
    f.yaml!.docs[0].set(['spec', 'interval'], '10m')
    f.yaml!.docs[0].set(['spec', 'interval'], '15m')
    expect(ws.journaled().map((c) => c.before)).toEqual([edited])
    f.yaml!.docs[0].set(['spec', 'values', 'b'], 'x')
    expect(ws.journaled().map((c) => [c.before, c.after])).toEqual([[edited, f.after]])
    ws.commit()
  })

  it('a copy of an edited file renders what it renders, and each is edited alone', () => {
    const ws = new Workspace(new MemoryVfs({ 'app/hr.yaml': text }))
    const y = ws.file('app/hr.yaml')!.yaml!
    y.docs[0].set(['spec', 'interval'], '5m')
    y.addDocument({ kind: 'Added' })
    const copy = y.copy()
    expect(copy.render()).toBe(y.render())
    const was = y.render()
    copy.docs[0].set(['spec', 'values', 'a'], 'one')
    expect(y.render()).toBe(was)
    y.docs[0].set(['spec', 'values', 'a'], '2')
    expect(copy.render()).toBe(was.replace('a: 0775', 'a: one'))
  })
})
