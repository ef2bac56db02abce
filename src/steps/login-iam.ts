// Phase 1 of the login step: IAM (the exchange, a trusted profile's assume grant) and finding the clients, side by side.
import type { ClientTool } from '../clients/run.ts';
import { discoverClients } from '../clients/discover.ts';
import type { IamTokens } from '../iam/answer.ts';
import type { Settings } from '../inputs/settings.ts';
import { secondsToMs } from '../lib/time.ts';
import { iamPhase } from './iam-phase.ts';
import type { Runtime } from './runtime.ts';

/**
 * Discovery and the token exchange overlap; each token is masked the moment it arrives. A client that
 * is missing fails the step at once, without waiting out IAM's retries. No tokens: IAM was out of
 * reach and auth-type is apikey (iam-phase.ts).
 */
export async function exchangeAndDiscover(
  rt: Runtime,
  settings: Settings,
): Promise<{ tokens: IamTokens | undefined; tools: ClientTool[] }> {
  // One bound for every network operation: the exchange, retries included, and each request within it.
  const totalMs = secondsToMs(settings.timeoutSeconds);
  const cancel = new AbortController();
  const options = { totalMs, requestMs: Math.min(30_000, totalMs / 2), signal: cancel.signal, debug: (m: string) => rt.debug(m) };
  const exchange = iamPhase(rt, settings, options);
  // Handled here so a refusal that comes while discovery runs is not an unhandled rejection; the
  // await below still throws it.
  exchange.catch(() => {});
  let tools: ClientTool[];
  try {
    tools = await discoverClients(settings.clients);
  } catch (error) {
    cancel.abort();
    throw error;
  }
  return { tokens: await exchange, tools };
}
