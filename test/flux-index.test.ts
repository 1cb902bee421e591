/** dependsOn lookups find Kustomizations however their name is written, and see pending changes. */
import { describe, expect, it } from 'vitest'
import { fluxKustomizationsNamed } from '../src/check/flux-index.ts'
import { MemoryVfs, OverlayVfs } from '../src/vfs.ts'

const ks = (meta: string) => `---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n${meta}\nspec:\n  dependsOn:\n    - name: other\n`

describe('fluxKustomizationsNamed', () => {
  const vfs = new MemoryVfs({
    'a/ks.yaml': ks('metadata:\n  name: &app plain\n  namespace: one'),
    'b/ks.yaml': ks('metadata:\n  name: "quoted"'),
    'c/ks.yaml': ks('metadata: {namespace: three, name: flow}'),
    'd/ks.yaml': `${ks('metadata:\n  name: first')}${ks('metadata:\n  name: second')}`,
    'e/other.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n',
  })
  it('finds names written plainly, anchored, quoted, in a flow map, and in any document of a file', () => {
    expect(fluxKustomizationsNamed(vfs, 'plain')).toEqual([{ name: 'plain', namespace: 'one', file: 'a/ks.yaml' }])
    expect(fluxKustomizationsNamed(vfs, 'quoted').map((r) => r.file)).toEqual(['b/ks.yaml'])
    expect(fluxKustomizationsNamed(vfs, 'flow')).toEqual([{ name: 'flow', namespace: 'three', file: 'c/ks.yaml' }])
    expect(fluxKustomizationsNamed(vfs, 'second').map((r) => r.file)).toEqual(['d/ks.yaml'])
  })
  it('does not take a dependsOn entry for a Kustomization', () => {
    expect(fluxKustomizationsNamed(vfs, 'other')).toEqual([])
  })
  it('sees the changes of an overlay: added, renamed and deleted files', () => {
    const over = new OverlayVfs(vfs, new Map([['a/ks.yaml', ks('metadata:\n  name: renamed')], ['f/ks.yaml', ks('metadata:\n  name: plain')], ['b/ks.yaml', undefined]]))
    expect(fluxKustomizationsNamed(over, 'plain').map((r) => r.file)).toEqual(['f/ks.yaml'])
    expect(fluxKustomizationsNamed(over, 'renamed').map((r) => r.file)).toEqual(['a/ks.yaml'])
    expect(fluxKustomizationsNamed(over, 'quoted')).toEqual([])
  })
})
