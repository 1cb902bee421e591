import { describe, expect, it } from 'vitest'
import { MemoryVfs } from '../src/vfs.ts'
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
