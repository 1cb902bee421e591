/** The built-in pipeline: `npm run lint:transforms` checks this registry, `npm run docs` lists it in README.md. */
import externalSecretV1 from './external-secret-v1.ts'
import helmOci from './helm-oci.ts'
import ingressRoute from './ingress-route.ts'
import ksLayout from './ks-layout.ts'
import rawToAppTemplate from './raw-to-app-template.ts'
import sopsExternalSecret from './sops-external-secret.ts'
import variables from './variables.ts'

/** The built-in transforms, in pipeline order: each comes after every transform it names in `after`. */
export const builtinTransforms = [
  ksLayout,
  helmOci,
  variables,
  sopsExternalSecret,
  externalSecretV1,
  rawToAppTemplate,
  ingressRoute,
] as const
