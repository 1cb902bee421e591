import { substitute } from '../vars/index.ts'
import type { Resolver } from './types.ts'

/** What a legacy cluster substituted into a manifest before it was applied. */
export interface ResolverInput {
  /** Flux post-build variables: the cluster's, overridden by the Kustomization's own `postBuild.substitute`. */
  variables: Readonly<Record<string, string>>
  /** Helm's `.Release.Name` and `.Release.Namespace`, for HelmRelease values (Helm renders after Flux substitutes). */
  release?: { name: string; namespace?: string }
}

const HELM = /\{\{-?\s*(.*?)\s*-?\}\}/g

/**
 * A resolver that reads a text as the legacy cluster did: Flux substitution first (defaults applied to unset
 * variables, `$${X}` printed as `${X}`), then Helm's `{{ .Release.Name }}`/`{{ .Release.Namespace }}`. Any
 * other variable or template is reported unresolved, never guessed.
 */
export function makeResolver(input: ResolverInput): Resolver {
  return (text) => {
    const flux = substitute(text, input.variables, { applyDefaults: true })
    if (flux.unresolved.length > 0) return { unresolved: flux.unresolved }
    const missing: string[] = []
    const value = flux.text.replace(/\$\$/g, '$').replace(HELM, (whole, expr: string) => {
      const known = expr === '.Release.Name' ? input.release?.name : expr === '.Release.Namespace' ? input.release?.namespace : undefined
      if (known !== undefined) return known
      if (!missing.includes(expr)) missing.push(expr)
      return whole
    })
    return missing.length > 0 ? { unresolved: missing } : { value }
  }
}
