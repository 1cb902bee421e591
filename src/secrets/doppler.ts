/**
 * The Doppler side of the ExternalSecret pattern: one secret per app whose value is a JSON object. The skeleton
 * lists the secrets and properties to create, with empty values for a person to fill in.
 */
import { finding, type Finding } from '../vars/finding.ts'

/** One Doppler secret and the JSON properties it must hold. */
export interface DopplerEntry {
  key: string
  properties: readonly string[]
  /** Where the properties come from (a Secret's name), for messages. */
  source?: string
}

/** `{ KEY: { prop: "" } }` for every entry; entries sharing a key are merged. */
export function dopplerTemplate(entries: readonly DopplerEntry[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {}
  for (const e of entries) {
    const props = (out[e.key] ??= {})
    for (const p of e.properties) props[p] = ''
  }
  return out
}

/**
 * Properties that two entries put under the same Doppler key: two Secrets of one app holding the same key
 * name would have to share one value.
 */
export function dopplerConflicts(entries: readonly DopplerEntry[]): Finding[] {
  const seen = new Map<string, string>()
  const out: Finding[] = []
  entries.forEach((e, i) => {
    const from = e.source ?? `entry ${i}`
    for (const p of new Set(e.properties)) {
      const id = `${e.key}\u0000${p}`
      const first = seen.get(id)
      if (first === undefined) seen.set(id, from)
      else {
        out.push(
          finding('warning', 'doppler-property-shared', `\`${e.key}.${p}\` is needed by both ${first} and ${from}; they will read the same value`, {
            hint: 'rename the key in one Secret, or give that Secret its own Doppler key',
          }),
        )
      }
    }
  })
  return out
}
