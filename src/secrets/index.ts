/** Secrets: SOPS anatomy, credential detection, and the move to ExternalSecrets backed by Doppler. */
export { isSopsValue, sopsInfo, type SopsInfo, type SopsKeyType, type SopsRecipient } from './sops.ts'
export { looksLikeCredential, shannonEntropy, type CredentialMatch } from './credential.ts'
export {
  DOPPLER_STORE,
  dopplerKeyFor,
  secretToExternalSecret,
  templateRef,
  type ExternalSecretObject,
  type ExternalSecretOptions,
  type ExternalSecretResult,
  type StoreRef,
} from './external-secret.ts'
export { applyChanges, upgradeExternalSecret, type Change, type Upgrade } from './upgrade.ts'
export { dopplerConflicts, dopplerTemplate, type DopplerEntry } from './doppler.ts'
