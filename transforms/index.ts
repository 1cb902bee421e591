/** The built-in pipeline: `npm run lint:transforms` checks this registry, `npm run docs` lists it in README.md. */
import ksLayout from './ks-layout.ts'
import rawToAppTemplate from './raw-to-app-template.ts'
import ingressRoute from './ingress-route.ts'

/** The built-in transforms, in pipeline order: each comes after every transform it names in `after`. */
export const builtinTransforms = [
  ksLayout,
  rawToAppTemplate,
  ingressRoute,
] as const
