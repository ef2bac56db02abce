// The login's second phase: what the clients are given, masked in every form they store it in.
import { credentialFor, credentialForms, type Credential } from '../../iam/credential.ts';
import type { IamTokens } from '../../iam/answer.ts';
import type { Settings } from '../../inputs/settings.ts';
import type { Runtime } from '../runtime.ts';

export function clientCredential(rt: Runtime, settings: Settings, tokens: IamTokens | undefined): Credential {
  const credential = credentialFor(settings.authType, settings.apiKey, tokens, settings.trustedProfile);
  for (const form of credentialForms(credential)) rt.mask(form);
  return credential;
}
