// The login's first phase: IAM (the key's tokens, a trusted profile's assume grant, what to do when IAM
// cannot be reached: docs/icr.md, "IAM out of reach"; or, with no key, a compute resource's token:
// docs/icr.md#compute-resources) and finding the clients, side by side.
import { discoverClients } from '../../clients/discover.ts';
import type { ClientTool } from '../../clients/run.ts';
import { OWN_CLIENTS } from '../../credential-files/docker/config-client.ts';
import { assumeProfile } from '../../iam/assume.ts';
import type { IamTokens } from '../../iam/answer.ts';
import { tokenSecrets } from '../../iam/credential.ts';
import { exchangeApiKey, IamUnreachable, type ExchangeOptions } from '../../iam/exchange.ts';
import { profileWords } from '../../iam/metadata-answer.ts';
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
    tools = discoverClients(settings.clients, rt.env, OWN_CLIENTS);
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
  const account = (tokens: IamTokens): string => (tokens.accountId ? ` of account ${tokens.accountId}` : '');
  // The one choice of source: a VPC virtual server's metadata service, a pod's token file, or the key.
  const { identity } = settings;
  if (identity.kind === 'vpc') {
    const { vpcInstanceTokens } = await import('../../iam/vpc-instance.ts');
    const got = await vpcInstanceTokens(identity.metadataEndpoint, identity.profile, { ...options, mask: (s) => rt.mask(s) });
    const tokens = masked(got.tokens);
    rt.info(
      `The metadata service gave this virtual server an IAM token for ${profileWords(identity.profile)}${account(tokens)} (API ${got.version}).`,
    );
    return tokens;
  }
  if (identity.kind === 'container') {
    const { containerTokens } = await import('../../iam/container.ts');
    const got = await containerTokens(settings.iamEndpoint, identity.tokenFile, identity.profile, { ...options, mask: (s) => rt.mask(s) });
    const tokens = masked(got.tokens);
    rt.info(`IAM accepted the compute-resource token from ${got.path} as trusted profile ${identity.profile.value}${account(tokens)}.`);
    return tokens;
  }
  try {
    const tokens = masked(await exchangeApiKey(settings.iamEndpoint, settings.apiKey, options));
    const profile = settings.trustedProfile;
    if (!profile) {
      rt.info(`IAM accepted the API key${tokens.accountId ? ` for account ${tokens.accountId}` : ''}.`);
      return tokens;
    }
    const assumed = masked(await assumeProfile(settings.iamEndpoint, tokens.accessToken, profile, options));
    rt.info(`IAM accepted the API key as trusted profile ${profile}${account(assumed)}.`);
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
