// The login's end: the outputs, from what did log in, and the logins' verdict.
import type { Failure, Outcome } from '../../clients/plan.ts';
import type { IamTokens } from '../../iam/answer.ts';
import type { Credential, HostCredentials } from '../../iam/credential.ts';
import { OUTPUT, type ClientName } from '../../inputs/settings.ts';
import { UserError } from '../../lib/errors.ts';
import type { Runtime } from '../runtime.ts';

/**
 * `registries` and `clients` list only what logged in: a host once at least one client did, ICR's hosts
 * and then the entitled registry. `expires-at` is ICR's credential's (an entitlement key has no expiry we know).
 */
export function setOutputs(
  rt: Runtime,
  credentials: HostCredentials,
  icr: Credential | undefined,
  clients: readonly ClientName[],
  outcomes: readonly Outcome[],
  tokens: IamTokens | undefined,
): void {
  const ok = outcomes.filter((o) => o.ok);
  const hosts = [...credentials.keys()].filter((h) => ok.some((o) => o.host === h));
  rt.setOutput(OUTPUT.registry, hosts[0] ?? '');
  rt.setOutput(OUTPUT.registries, hosts.join(','));
  rt.setOutput(OUTPUT.clients, clients.filter((c) => ok.some((o) => o.client === c)).join(','));
  rt.setOutput(OUTPUT.accountId, tokens?.accountId ?? '');
  rt.setOutput(OUTPUT.expiresAt, icr?.expiresAt ?? '');
}

/** Throws a line for every failed login (one line per mistake). */
export function verdict(rt: Runtime, outcomes: readonly Outcome[]): void {
  const failures = outcomes.filter((o): o is Outcome & Failure => !o.ok);
  if (failures.length === 0) return;
  const rest = outcomes.some((o) => o.ok) ? ` The logins that succeeded are logged out by ${rt.words.undo}.` : '';
  const lines = failures.map((o, i) => `${o.why}.${i === failures.length - 1 ? rest : ''}`);
  throw new UserError(lines, `${failures[0]!.client} login`);
}
