import { describe, expect, it } from 'vitest'
import { measureCorpus } from '../../src/dev/secrets-corpus.ts'

const ENC = 'ENC[AES256_GCM,data:ZmFrZQ==,iv:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]'
const ROOT = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: cluster-apps, namespace: flux-system}
spec:
  patches:
    - patch: |-
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: x}
        spec:
          postBuild:
            substituteFrom: [{kind: Secret, name: cluster-secrets}]
      target: {kind: Kustomization, labelSelector: off notin (true)}
`
const VARS = `apiVersion: v1
kind: Secret
metadata: {name: cluster-secrets}
stringData: {SECRET_DOMAIN: "${ENC}"}
sops: {mac: "${ENC}", version: 3.9.1, encrypted_regex: ^(data|stringData)$}
`
const KS = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: demo, namespace: flux-system}
spec:
  path: ./cluster-cd/apps/\${CLUSTER_NAME}/default/demo/app
  postBuild: {substitute: {APP: demo}}
`
const HR = `# host: old.\${SECRET_DOMAIN}
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: demo}
spec:
  values:
    host: &h demo.\${SECRET_DOMAIN}
    again: *h
    claim: \${APP}
    script: echo $\${HOME} \${UNSET_ONE}
`
const ES = `apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {name: demo, namespace: security}
spec: {secretStoreRef: {kind: ClusterSecretStore, name: doppler}}
`

describe('measureCorpus', () => {
  it('counts uses in values and in text, SOPS files, injections and upgrades, without values', () => {
    const f = measureCorpus(
      new Map([
        ['clusters/bitty/flux/apps.yaml', ROOT],
        ['clusters/bitty/flux/vars/cluster-secrets.bty.yaml', VARS],
        ['cluster-cd/apps/bitty/default/demo/ks.yaml', KS],
        ['cluster-cd/apps/bitty/default/demo/app/helmrelease.yaml', HR],
        ['cluster-cd/apps/bitty/default/demo/app/externalsecret.yaml', ES],
      ]),
    )
    expect(f.variables).toEqual({
      CLUSTER_NAME: { values: 1, text: 1, apps: 1 },
      // The alias repeats the value; the comment is text only (Flux never sees comments).
      SECRET_DOMAIN: { values: 2, text: 2, apps: 1 },
      APP: { values: 1, text: 1, apps: 1 },
      UNSET_ONE: { values: 1, text: 1, apps: 1 },
    })
    expect(f.escaped).toEqual({ HOME: 1 })
    expect(f.clusterSecretKeys).toEqual(['SECRET_DOMAIN'])
    expect(f.undefinedVariables).toEqual(['CLUSTER_NAME', 'UNSET_ONE'])
    expect(f.sops).toEqual([{ file: 'clusters/bitty/flux/vars/cluster-secrets.bty.yaml', kind: 'Secret', name: 'cluster-secrets', keys: 1, encryptedPaths: 1, rule: '^(data|stringData)$', findings: [] }])
    expect(f.kustomizations).toEqual({ total: 1, injected: 1, notSelected: [] })
    expect(f.externalSecrets.changes).toEqual({ 'set apiVersion': 1, 'delete metadata.namespace': 1, 'add spec.target.creationPolicy': 1 })
    expect(JSON.stringify(f)).not.toContain('ZmFrZQ')
  })
})
