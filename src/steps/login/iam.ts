// The login's first phase: IAM (the key's tokens, a trusted profile's assume grant, what to do when IAM
// cannot be reached: docs/icr.md, "IAM out of reach") and finding the clients, side by side.
import { discoverClients } from '../../clients/discover.ts';
import type { ClientTool } from '../../clients/run.ts';
import { assumeProfile } from '../../iam/assume.ts';
import type { IamTokens } from '../../iam/answer.ts';
import { tokenSecrets } from '../../iam/credential.ts';
import { exchangeApiKey, IamUnreachable, type ExchangeOptions } from '../../iam/exchange.ts';
import type { Settings } from '../../inputs/settings.ts';
import { REQUEST_MS } from '../../lib/limits.ts';
import { secondsToMs } from '../../lib/time.ts';
import type { Runtime } from '../runtime.ts';

export interface IamAndClients {
  /** Undefined when IAM was out of reach and auth-type is apikey: the key goes to ICR as it is. */
  readonly tokens: IamTokens | undefined;
  readonly tools: readonly ClientTool[];
}

/**
 * Discovery and the token exchange overlap; each token is masked the moment it arrives. A client that
 * is missing fails the step at once, without waiting out IAM's retries.
 */
export async function askIamAndFindClients(rt: Runtime, settings: Settings): Promise<IamAndClients> {
  // One bound for every network operation: the exchange, retries included, and each request within it.
  const totalMs = secondsToMs(settings.timeoutSeconds);
  const cancel = new AbortController();
  const options = {
    totalMs,
    requestMs: Math.min(REQUEST_MS, totalMs / 2),
    signal: cancel.signal,
    debug: (m: string) => rt.debug(m),
    env: rt.env,
  };
  // No ICR host (only the entitled registry, whose key is no IAM credential): IAM is never asked.
  const exchange = settings.hosts.length === 0 ? Promise.resolve(undefined) : iamTokens(rt, settings, options);
  // Handled here so a refusal that comes while discovery runs is not an unhandled rejection; the
  // await below still throws it.
  exchange.catch(() => {});
  let tools: ClientTool[];
  try {
    tools = discoverClients(settings.clients, rt.env);
  } catch (error) {
    cancel.abort();
    throw error;
  }
  return { tokens: await exchange, tools };
}

/**
 * The tokens the step goes on with: the profile's when trusted-profile is set. Undefined when IAM was
 * out of reach and the API key goes to ICR as it is (ICR exchanges it itself); every other failure throws.
 */
export async function iamTokens(rt: Runtime, settings: Settings, options: ExchangeOptions): Promise<IamTokens | undefined> {
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
