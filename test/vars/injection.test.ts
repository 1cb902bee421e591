import { describe, expect, it } from 'vitest'
import { YamlFile } from '../../src/document.ts'
import { injectedSubstitution, postBuildOf } from '../../src/vars/injection.ts'
import { strategicMerge } from '../../src/vars/kustomize-patch.ts'

const parse = (text: string): unknown => new YamlFile(text).docs[0].get([])

// Shaped like a legacy root: it substitutes from a SOPS secret and patches the same into every child.
const ROOT_YAML = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/lab
  sourceRef: { kind: GitRepository, name: repo }
  decryption:
    provider: sops
    secretRef: { name: sops-age }
  postBuild:
    substituteFrom:
      - kind: Secret
        name: lab-vars
  patches:
    - patch: |-
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: ignored
          namespace: ignored
        spec:
          decryption:
            provider: sops
            secretRef:
              name: sops-age
          postBuild:
            substituteFrom:
              - kind: Secret
                name: lab-vars
      target:
        group: kustomize.toolkit.fluxcd.io
        kind: Kustomization
        labelSelector: substitution.flux.home.arpa/disabled notin (true)
`
const ROOT = parse(ROOT_YAML)

function child(extra: { labels?: Record<string, string>; postBuild?: unknown; apiVersion?: string; kind?: string } = {}): unknown {
  return {
    apiVersion: extra.apiVersion ?? 'kustomize.toolkit.fluxcd.io/v1',
    kind: extra.kind ?? 'Kustomization',
    metadata: { name: 'demo', namespace: 'flux-system', ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { path: './apps/${CLUSTER_NAME}/default/demo/app', targetNamespace: 'default', ...(extra.postBuild ? { postBuild: extra.postBuild } : {}) },
  }
}

const INJECTED = {
  decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
  substituteFrom: [{ kind: 'Secret', name: 'lab-vars' }],
}

describe('injectedSubstitution', () => {
  it('injects decryption and the secret into an unlabelled child', () => {
    const r = injectedSubstitution(ROOT, child(), { parse })
    expect(r).toEqual({ ...INJECTED, substitute: {}, patches: [0], injected: true, findings: [] })
  })

  it('keeps the child’s own substitute map next to the injected source', () => {
    const r = injectedSubstitution(ROOT, child({ postBuild: { substitute: { APP: 'demo', VOLSYNC_CAPACITY: '5Gi' } } }), { parse })
    expect(r.substitute).toEqual({ APP: 'demo', VOLSYNC_CAPACITY: '5Gi' })
    expect(r.substituteFrom).toEqual(INJECTED.substituteFrom)
  })

  it('skips a child labelled out, and one labelled "false" is still selected', () => {
    const out = injectedSubstitution(ROOT, child({ labels: { 'substitution.flux.home.arpa/disabled': 'true' } }), { parse })
    expect(out).toMatchObject({ patches: [], injected: false, substituteFrom: [] })
    expect(out.decryption).toBeUndefined()
    expect(injectedSubstitution(ROOT, child({ labels: { 'substitution.flux.home.arpa/disabled': 'false' } }), { parse }).injected).toBe(true)
  })

  it('does not select other kinds or groups', () => {
    expect(injectedSubstitution(ROOT, child({ kind: 'HelmRelease', apiVersion: 'helm.toolkit.fluxcd.io/v2' }), { parse }).patches).toEqual([])
    expect(injectedSubstitution(ROOT, child({ apiVersion: 'kustomize.config.k8s.io/v1beta1' }), { parse }).patches).toEqual([])
  })

  it('merges substituteFrom entries by name, as kustomize does without a schema', () => {
    const r = injectedSubstitution(ROOT, child({ postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'own' }, { kind: 'Secret', name: 'lab-vars', optional: 'true' }] } }), { parse })
    expect(r.substituteFrom).toEqual([
      { kind: 'ConfigMap', name: 'own' },
      { kind: 'Secret', name: 'lab-vars', optional: true },
    ])
  })

  it('accepts a patch the caller already parsed', () => {
    const root = structuredClone(ROOT) as { spec: { patches: { patch: unknown }[] } }
    root.spec.patches[0].patch = parse((ROOT as { spec: { patches: { patch: string }[] } }).spec.patches[0].patch)
    expect(injectedSubstitution(root, child()).injected).toBe(true)
  })

  it('reports a textual patch it cannot parse', () => {
    const r = injectedSubstitution(ROOT, child())
    expect(r.injected).toBe(false)
    expect(r.findings.map((f) => [f.severity, f.rule, f.path])).toEqual([['error', 'patch-not-parsed', ['spec', 'patches', 0, 'patch']]])
  })

  it('matches name and namespace as anchored regular expressions', () => {
    const root = (target: Record<string, string>) => ({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      spec: { patches: [{ target, patch: { spec: { postBuild: { substitute: { X: 'y' } } } } }] },
    })
    expect(injectedSubstitution(root({ name: 'de.*' }), child()).injected).toBe(true)
    expect(injectedSubstitution(root({ name: 'de' }), child()).injected).toBe(false)
    expect(injectedSubstitution(root({ namespace: 'flux-system|other' }), child()).injected).toBe(true)
    expect(injectedSubstitution(root({ namespace: 'default' }), child()).injected).toBe(false)
    const bad = injectedSubstitution(root({ name: '(' }), child())
    expect(bad.findings.map((f) => f.rule)).toEqual(['invalid-target'])
  })

  it('reports an invalid label selector as an error and selects nothing', () => {
    const root = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', spec: { patches: [{ target: { labelSelector: 'a in' }, patch: { spec: {} } }] } }
    const r = injectedSubstitution(root, child())
    expect(r.patches).toEqual([])
    expect(r.findings[0]).toMatchObject({ severity: 'error', rule: 'invalid-selector', path: ['spec', 'patches', 0, 'target', 'labelSelector'] })
  })

  it('selects by the patch’s own identity when there is no target', () => {
    const patch = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'demo', namespace: 'flux-system' }, spec: { postBuild: { substitute: { A: 'b' } } } }
    const root = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', spec: { patches: [{ patch }] } }
    expect(injectedSubstitution(root, child()).substitute).toEqual({ A: 'b' })
    const other = { ...patch, metadata: { name: 'other' } }
    expect(injectedSubstitution({ ...root, spec: { patches: [{ patch: other }] } }, child()).injected).toBe(false)
  })

  it('applies JSON 6902 operations and reports the ones it does not evaluate', () => {
    const ops = [
      { op: 'add', path: '/spec/postBuild', value: { substituteFrom: [{ kind: 'ConfigMap', name: 'vars' }] } },
      { op: 'add', path: '/spec/postBuild/substituteFrom/-', value: { kind: 'Secret', name: 's' } },
      { op: 'move', from: '/spec/a', path: '/spec/b' },
    ]
    const root = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', spec: { patches: [{ target: { kind: 'Kustomization' }, patch: ops }] } }
    const r = injectedSubstitution(root, child())
    expect(r.substituteFrom).toEqual([
      { kind: 'ConfigMap', name: 'vars' },
      { kind: 'Secret', name: 's' },
    ])
    expect(r.findings.map((f) => f.rule)).toEqual(['patch-op-not-evaluated'])
  })

  it('refuses a root that is not a Flux Kustomization', () => {
    const r = injectedSubstitution({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' }, child())
    expect(r.findings[0]).toMatchObject({ severity: 'error', rule: 'not-a-flux-kustomization' })
  })
})

describe('postBuildOf', () => {
  it('reads the root’s own substitution, which applies to its children’s manifests', () => {
    expect(postBuildOf(ROOT)).toEqual({ ...INJECTED, substitute: {}, findings: [] })
  })

  it('reports a non-string substitute value (Flux rejects numbers and booleans)', () => {
    const r = postBuildOf({ spec: { postBuild: { substitute: { N: 3, S: 's' } } } })
    expect(r.substitute).toEqual({ S: 's' })
    expect(r.findings[0]).toMatchObject({ rule: 'substitute-not-string', path: ['spec', 'postBuild', 'substitute', 'N'] })
  })
})

describe('strategicMerge', () => {
  it('merges maps, replaces scalar lists and deletes with null or $patch', () => {
    const { result, findings } = strategicMerge(
      { a: { b: 1, c: 2 }, l: [1, 2], gone: 1, m: { x: 1 } },
      { a: { c: 3, d: 4 }, l: [3], gone: null, m: { $patch: 'replace', y: 2 }, n: { $retainKeys: ['q'], q: 1 } },
    )
    expect(result).toEqual({ a: { b: 1, c: 3, d: 4 }, l: [3], m: { y: 2 }, n: { q: 1 } })
    expect(findings.map((f) => f.rule)).toEqual(['patch-directive-ignored'])
  })

  it('deletes a named list element with $patch: delete', () => {
    const { result } = strategicMerge({ l: [{ name: 'a' }, { name: 'b' }] }, { l: [{ name: 'a', $patch: 'delete' }] })
    expect(result).toEqual({ l: [{ name: 'b' }] })
  })
})
