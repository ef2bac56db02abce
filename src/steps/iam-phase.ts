// What the step asks IAM before any client runs: the key's tokens, the trusted profile's assume grant,
// and what to do when IAM cannot be reached at all (docs/icr.md, "IAM out of reach").
import { assumeProfile } from '../iam/assume.ts';
import { tokenSecrets } from '../iam/credential.ts';
import { exchangeApiKey, IamUnreachable, type ExchangeOptions } from '../iam/exchange.ts';
import type { IamTokens } from '../iam/answer.ts';
import type { Settings } from '../inputs/settings.ts';
import type { Runtime } from './runtime.ts';

/**
 * The tokens the step goes on with: the profile's when trusted-profile is set. Undefined when IAM was
 * out of reach and the API key goes to ICR as it is (ICR exchanges it itself); every other failure throws.
 */
export async function iamPhase(rt: Runtime, settings: Settings, options: ExchangeOptions): Promise<IamTokens | undefined> {
  const masked = (tokens: IamTokens): IamTokens => {
    for (const s of tokenSecrets(tokens)) rt.mask(s);
    return tokens;
  };
  try {
    const tokens = masked(await exchangeApiKey(settings.iamEndpoint, settings.apiKey, options));
    const profile = settings.trustedProfile;
    if (!profile) {
      rt.info(`IAM accepted the API key${tokens.accountId ? ` for account ${tokens.accountId}` : ''}.`);
      return tokens;
    }
    const assumed = masked(await assumeProfile(settings.iamEndpoint, tokens.accessToken, profile, options));
    rt.info(`IAM accepted the API key as trusted profile ${profile}${assumed.accountId ? ` of account ${assumed.accountId}` : ''}.`);
    return assumed;
  } catch (error) {
    // bearer and refresh hand the clients IAM's tokens: without IAM there is nothing to hand them.
    if (!(error instanceof IamUnreachable) || settings.authType !== 'apikey') throw error;
    rt.debug(error.message);
    rt.warning(
      `IAM at ${settings.iamEndpoint} could not be reached, so the API key goes to the registry unchecked (ICR exchanges it itself) and account-id stays empty; allow the runner to reach IAM to check the key first.`,
      'IAM',
    );
    return undefined;
  }
}
