/**
 * Raw workloads → one bjw-s app-template release, as pure functions over plain data (no YAML, no I/O):
 * `toAppTemplate` converts, `renderAppTemplate` models what the chart renders, `compareWorkloads` checks the two
 * against the original manifests.
 */
export { toAppTemplate } from './convert.ts'
export { renderAppTemplate, type Rendered, type RenderedApp } from './render.ts'
export { compareWorkloads, unexplained, type Difference } from './compare.ts'
export { applyImages, parseImage, toImageValues } from './images.ts'
export { chartMajor, resourceName, selectorLabels } from './naming.ts'
export { serviceMentions, type Mention } from './refs.ts'
export { fmtPath } from './util.ts'
export * from './types.ts'
