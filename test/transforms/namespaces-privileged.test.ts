/** needsPrivileged reads every resource for what the baseline Pod Security level forbids, however it is spelled. */
import { describe, expect, it } from 'vitest'
import { YamlFile } from '../../src/document.ts'
import type { TransformContext } from '../../src/transform-api.ts'
import { refOf } from '../../src/workspace.ts'
import { needsPrivileged } from '../../transforms/lib/namespaces.ts'

function ctxOf(text: string): TransformContext {
  const docs = new YamlFile(text).docs
  return { app: { legacyPrivileged: false, legacyNamespace: 'default' }, resources: () => docs.map((doc) => ({ doc, ref: refOf(doc)! })) } as unknown as TransformContext
}

const deployment = (pod: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: radio\nspec:\n  template:\n    spec:\n${pod}`

describe('needsPrivileged', () => {
  it.each([
    ['hostNetwork', '      hostNetwork: true\n', 'Deployment radio: hostNetwork'],
    ['a privileged container', '      containers:\n        - name: a\n          securityContext:\n            privileged: true\n', 'Deployment radio: privileged container'],
    ['a key spelled with an escape', '      containers:\n        - name: a\n          securityContext:\n            "priv\\x69leged": true\n', 'Deployment radio: privileged container'],
    ['a hostPath volume behind an alias', '      volumes:\n        - name: v\n          hostPath: &h {path: /srv}\n      x: *h\n', 'Deployment radio: hostPath volume'],
  ])('finds %s', (_name, pod, why) => {
    expect(needsPrivileged(ctxOf(deployment(pod)))).toEqual({ privileged: true, why })
  })

  it('finds nothing in a plain pod', () => {
    expect(needsPrivileged(ctxOf(deployment('      containers:\n        - name: a\n          image: x\n')))).toEqual({ privileged: false })
  })
})
