// The main step: validate, one IAM exchange, every client into every host, state as each succeeds.
import { clientLogin, type ClientTool } from './client-run.ts';
import { credentialsFile } from './clients.ts';
import { credentialFor, credentialForms, tokenSecrets } from './credentials.ts';
import { discoverClients } from './discover.ts';
import { clientEnv, platformOf } from './env.ts';
import { describe, UserError } from './errors.ts';
import { exchangeApiKey } from './iam.ts';
import type { IamTokens } from './iam-response.ts';
import { readSettings } from './inputs.ts';
import type { Runtime } from './runtime.ts';
import { encodeLogins, groupBy, plan, runGrouped, type Login, type Outcome } from './session.ts';
import { OUTPUT, STATE, type Settings } from './settings.ts';
import { renderSummary, type Report } from './summary.ts';

export async function loginStep(rt: Runtime): Promise<void> {
  let report: Report | undefined;
  try {
    const settings = readSettings((name) => rt.getInput(name), (secret) => rt.mask(secret));
    rt.saveState(STATE.logout, String(settings.logout));
    if (settings.apiKey === '') {
      rt.warning('Input api-key is empty and missing-key is skip, so no client was logged in (expected in pull requests from forks).', 'api-key');
      rt.setOutput(OUTPUT.loggedIn, 'false');
      return;
    }
    report = await logIn(rt, settings, (r) => (report = r));
  } catch (error) {
    const title = error instanceof UserError ? error.title : undefined;
    const message = describe(error);
    if (!(error instanceof UserError) && error instanceof Error && error.stack) rt.debug(error.stack);
    rt.fail(message, title);
    report = report ? { ...report, error: message } : undefined;
  } finally {
    if (report) await rt.writeSummary(renderSummary(report));
  }
}

async function logIn(rt: Runtime, settings: Settings, progress: (r: Report) => void): Promise<Report> {
  // Discovery and the token exchange overlap; each secret is masked the moment it exists.
  const exchange = exchangeApiKey(settings.iamEndpoint, settings.apiKey, { debug: (m) => rt.debug(m) }).then((tokens) => {
    for (const s of tokenSecrets(tokens)) rt.mask(s);
    return tokens;
  });
  const [iam, found] = await Promise.allSettled([exchange, discoverClients(settings.clients)]);
  if (iam.status === 'rejected') throw iam.reason;
  if (found.status === 'rejected') throw found.reason;
  const tokens: IamTokens = iam.value;
  const tools: ClientTool[] = found.value;
  rt.info(`IAM accepted the API key${tokens.accountId ? ` for account ${tokens.accountId}` : ''}.`);

  const credential = credentialFor(settings.authType, settings.apiKey, tokens, settings.trustedProfile);
  for (const form of credentialForms(credential)) rt.mask(form);

  const env = clientEnv(rt.env, [settings.apiKey, credential.secret]);
  const platform = platformOf(env);
  const done: Login[] = [];
  const outcomes: Outcome[] = [];
  const report = (): Report => ({
    hosts: settings.hosts,
    clients: tools.map((t) => t.name),
    outcomes: [...outcomes],
    authType: settings.authType,
    username: credential.username,
    accountId: tokens.accountId,
    expiresAt: credential.expiresAt,
    error: undefined,
  });
  rt.saveState(STATE.logins, encodeLogins(done));

  const byName = new Map(tools.map((t) => [t.name, t]));
  const groups = groupBy(plan(settings.hosts, [...byName.keys()]), (l) => credentialsFile(l.client, platform));
  const ctx = { env, timeoutMs: settings.timeoutSeconds * 1000, debug: (m: string) => rt.debug(m) };
  await runGrouped(groups, async (login) => {
    const outcome = await clientLogin(byName.get(login.client)!, login.host, credential, ctx);
    outcomes.push(outcome);
    if (outcome.ok) {
      done.push(login);
      rt.saveState(STATE.logins, encodeLogins(done));
      rt.info(`${login.client} logged in to ${login.host} as ${credential.username}.`);
    } else {
      rt.info(outcome.detail);
    }
    progress(report());
  });

  const hosts = settings.hosts.filter((h) => done.some((l) => l.host === h));
  const clients = tools.map((t) => t.name).filter((c) => done.some((l) => l.client === c));
  rt.setOutput(OUTPUT.registry, hosts[0] ?? '');
  rt.setOutput(OUTPUT.registries, hosts.join(','));
  rt.setOutput(OUTPUT.clients, clients.join(','));
  rt.setOutput(OUTPUT.accountId, tokens.accountId ?? '');
  rt.setOutput(OUTPUT.expiresAt, credential.expiresAt ?? '');
  rt.setOutput(OUTPUT.loggedIn, String(outcomes.every((o) => o.ok)));

  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length > 0) {
    const rest = done.length > 0 ? ' The logins that succeeded are logged out by the post step.' : '';
    throw new UserError(`${failed.map((o) => o.detail.replace(/\.$/, '')).join('; ')}.${rest}`, `${failed[0]!.client} login`);
  }
  return report();
}
