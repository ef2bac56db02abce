// IAM's assume grant: proves a trusted profile trusts the key's service ID, and yields the profile's
// token, whose account is the registry's (docs/icr.md, "Trusted profiles").
import { requestToken, type ExchangeOptions } from './exchange.ts';
import type { IamFailure, IamTokens } from './answer.ts';

export const ASSUME_GRANT = 'urn:ibm:params:oauth:grant-type:assume';

/** The profile's tokens for the service ID's access token; a profile that does not trust it is refused in one line. */
export function assumeProfile(endpoint: string, accessToken: string, profileId: string, options: ExchangeOptions): Promise<IamTokens> {
  const refused = (f: IamFailure): string =>
    `IAM refused the key's service ID as trusted profile ${profileId} (${f.code ? `${f.code}: ` : ''}${f.detail}); check that the profile trusts this service ID (IAM > Trusted profiles > Trust relationship) and that trusted-profile names the profile in the registry's account.`;
  return requestToken(endpoint, { grant_type: ASSUME_GRANT, access_token: accessToken, profile_id: profileId }, options, refused);
}
