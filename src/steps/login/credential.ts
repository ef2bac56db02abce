// The login's second phase: what the clients are given at each host, masked in every form they store it in.
import {
  credentialFor,
  credentialForms,
  distinct,
  entitledCredential,
  type Credential,
  type HostCredentials,
} from '../../iam/credential.ts';
import type { IamTokens } from '../../iam/answer.ts';
import type { Settings } from '../../inputs/settings.ts';
import type { Runtime } from '../runtime.ts';

/** ICR's hosts get the api-key's credential, the entitled registry the entitlement key's. */
export function clientCredentials(rt: Runtime, settings: Settings, tokens: IamTokens | undefined): HostCredentials {
  const byHost = new Map<string, Credential>();
  if (settings.hosts.length > 0) {
    const icr = credentialFor(settings.authType, settings.apiKey, tokens, settings.trustedProfile);
    for (const host of settings.hosts) byHost.set(host, icr);
  }
  if (settings.entitled) byHost.set(settings.entitled.host, entitledCredential(settings.entitled.key));
  for (const credential of distinct(byHost)) for (const form of credentialForms(credential)) rt.mask(form);
  return byHost;
}

/** ICR's credential, when any ICR host is logged in. */
export const icrCredential = (settings: Settings, credentials: HostCredentials): Credential | undefined =>
  settings.hosts[0] === undefined ? undefined : credentials.get(settings.hosts[0]);
