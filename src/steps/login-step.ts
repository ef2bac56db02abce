// The main step: validate, one IAM exchange, every client into every host, state as each succeeds.
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import type { ClientTool } from '../clients/run.ts';
import { inWriteOrder } from '../clients/commands.ts';
import { credentialsFile } from '../credential-files/paths.ts';
import { platformOf } from '../credential-files/platform.ts';
import { credentialFor, credentialForms, tokenSecrets } from '../iam/credential.ts';
import { discoverClients } from '../clients/discover.ts';
import { earlierSecrets, readEarlier, saveEarlier } from '../credential-files/earlier.ts';
import { clientEnv } from '../clients/env.ts';
import { describe, UserError } from '../lib/errors.ts';
import { exchangeApiKey } from '../iam/exchange.ts';
import type { IamTokens } from '../iam/answer.ts';
import { readSettings } from '../inputs/read.ts';
import { createIsolation, isolationEnv } from '../credential-files/isolation.ts';
import { runLogins, type LoginHooks } from '../clients/run-logins.ts';
import { exitOnSignals, onGroupStart } from '../clients/groups.ts';
import { withFileLock } from '../credential-files/lock.ts';
import { createRunFolder } from '../credential-files/run-folder.ts';
import { pairHash } from '../credential-files/ours.ts';
import { ourLogins } from './our-logins.ts';
import type { Runtime } from './runtime.ts';
import { plan, type Outcome, type Target } from '../clients/plan.ts';
import { stateWriter, type StateWriter } from './state.ts';
import { OUTPUT, type Settings } from '../inputs/settings.ts';
import { renderFailure, renderSummary, type Report } from './summary.ts';
import { startAccessCheck, finishAccessCheck } from './access-step.ts';

/** How the step ended: `invalid` when the inputs were refused before anything ran. */
export type StepResult = 'ok' | 'skipped' | 'invalid' | 'failed';

export async function loginStep(rt: Runtime): Promise<StepResult> {
  // The run id comes first: everything else main saves carries it, so post acts on nothing else.
  const state = stateWriter(rt);
  const run = randomUUID();
  state.begin(run);
  onGroupStart((pgid) => state.group(pgid));
  exitOnSignals((signal) => {
    state.stopped();
    rt.fail(`The step was stopped (${signal}) and stopped its clients; the post step logs out whatever they logged in.`, 'cancelled');
  });
  try {
    return await steps(rt, state, run);
  } finally {
    // Every client has ended by now: run() ends each one's process group.
    state.stopped();
  }
}

async function steps(rt: Runtime, state: StateWriter, run: string): Promise<StepResult> {
  let settings: Settings;
  try {
    settings = readSettings(
      (name) => rt.getInput(name),
      (secret) => rt.mask(secret),
      rt.missingKeyMessage,
    );
  } catch (error) {
    await failStep(rt, error, undefined);
    return 'invalid';
  }
  let report: Report | undefined;
  try {
    state.settings(settings.logout, settings.timeoutSeconds);
    if (settings.apiKey === '') {
      rt.warning(
        'Input api-key is empty and missing-key is skip, so no client was logged in (expected in pull requests from forks).',
        'api-key',
      );
      rt.setOutput(OUTPUT.loggedIn, 'false');
      return 'skipped';
    }
    report = await logIn(rt, state, run, settings, (r) => (report = r));
    await rt.writeSummary(renderSummary(report));
    return 'ok';
  } catch (error) {
    await failStep(rt, error, report);
    return 'failed';
  }
}

async function failStep(rt: Runtime, error: unknown, report: Report | undefined): Promise<void> {
  const message = describe(error);
  if (!(error instanceof UserError) && error instanceof Error && error.stack) rt.debug(error.stack);
  rt.setOutput(OUTPUT.loggedIn, 'false');
  rt.fail(message, error instanceof UserError ? error.title : undefined);
  await rt.writeSummary(report ? renderSummary({ ...report, error: message }) : renderFailure(message));
}

/**
 * Discovery and the token exchange overlap; each token is masked the moment it arrives. A client that
 * is missing fails the step at once, without waiting out IAM's retries.
 */
async function exchangeAndDiscover(rt: Runtime, settings: Settings): Promise<{ tokens: IamTokens; tools: ClientTool[] }> {
  // One bound for every network operation: the exchange, retries included, and each request within it.
  const totalMs = settings.timeoutSeconds * 1000;
  const cancel = new AbortController();
  const options = { totalMs, requestMs: Math.min(30_000, totalMs / 2), signal: cancel.signal, debug: (m: string) => rt.debug(m) };
  const exchange = exchangeApiKey(settings.iamEndpoint, settings.apiKey, options).then((tokens) => {
    for (const s of tokenSecrets(tokens)) rt.mask(s);
    return tokens;
  });
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

/** Runs a file-system step under RUNNER_TEMP, turning its failure into one sentence. */
async function inRunnerTemp<T>(dir: string, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    throw new UserError(
      `Could not ${what} under ${dir} (${code}); check that the runner's temp folder (RUNNER_TEMP) exists and is writable.`,
      'RUNNER_TEMP',
    );
  }
}

async function logIn(rt: Runtime, state: StateWriter, run: string, settings: Settings, progress: (r: Report) => void): Promise<Report> {
  const { tokens, tools } = await exchangeAndDiscover(rt, settings);
  rt.info(`IAM accepted the API key${tokens.accountId ? ` for account ${tokens.accountId}` : ''}.`);
  const credential = credentialFor(settings.authType, settings.apiKey, tokens, settings.trustedProfile);
  for (const form of credentialForms(credential)) rt.mask(form);

  const runnerTemp = rt.env['RUNNER_TEMP'] || tmpdir();
  const folder = await inRunnerTemp(runnerTemp, 'create a private folder', () => createRunFolder(runnerTemp, run));
  let env = clientEnv(rt.env, [settings.apiKey, credential.secret]);
  if (settings.isolate) {
    // docker's folder as the user has it, for its plugins and settings (not its credentials).
    const userDocker = dirname(credentialsFile('docker', platformOf(env)));
    const isolation = await inRunnerTemp(runnerTemp, 'create the isolated credentials folder', () => createIsolation(folder, userDocker));
    state.isolation(isolation);
    env = { ...env, ...isolationEnv(isolation) };
    rt.exportVariable('DOCKER_CONFIG', isolation.dockerConfig);
    rt.exportVariable('REGISTRY_AUTH_FILE', isolation.authFile);
    rt.setOutput(OUTPUT.dockerConfig, isolation.dockerConfig);
    rt.setOutput(OUTPUT.authFile, isolation.authFile);
  }
  const accessCheck = startAccessCheck(rt, settings, credential, tokens);
  const platform = platformOf(env);
  const timeoutMs = settings.timeoutSeconds * 1000;
  const byName = new Map(tools.map((t) => [t.name, t]));
  const targets: Target[] = plan(settings.hosts, inWriteOrder([...byName.keys()])).map((l) => ({
    ...l,
    file: credentialsFile(l.client, platform),
  }));

  const found = await readEarlier(targets, env, timeoutMs);
  for (const s of earlierSecrets(found)) rt.mask(s);
  const earlier = await ourLogins(rt, state, found, { run, folder, hash: pairHash(credential.username, credential.secret) });
  if (earlier.length > 0) {
    const hosts = earlier.map((e) => e.host);
    state.earlier(await inRunnerTemp(runnerTemp, 'keep earlier credentials aside', () => saveEarlier(folder, earlier)), hosts);
    rt.info(`Kept aside the credentials ${hosts.join(', ')} had before this step; post puts them back.`);
  }

  const done: Target[] = [];
  const outcomes: Outcome[] = [];
  let access: Report['access'] = undefined;
  const report = (): Report => ({
    access,
    hosts: settings.hosts,
    clients: tools.map((t) => t.name),
    outcomes: [...outcomes],
    authType: settings.authType,
    username: credential.username,
    accountId: tokens.accountId,
    expiresAt: credential.expiresAt,
    error: undefined,
  });
  progress(report());

  const hooks: LoginHooks = {
    // Saved before the client starts, so post undoes it whatever happens next (even a killed main).
    intend: async (target) => state.login(target),
    exclusive: (target, write) =>
      withFileLock(target.file, timeoutMs, write).catch((error: unknown) => ({ ...target, ok: false, detail: describe(error) })),
    record: (target, outcome) => {
      outcomes.push(outcome);
      if (outcome.ok) done.push(target);
      const what = outcome.detail === 'logged in' ? 'logged in to' : `${outcome.detail} of`;
      if (outcome.ok) rt.info(`${outcome.client} ${what} ${outcome.host} as ${credential.username}.`);
      else rt.info(outcome.detail);
      progress(report());
    },
  };
  await runLogins(targets, byName, credential, { env, timeoutMs, debug: (m) => rt.debug(m) }, hooks);

  const hosts = settings.hosts.filter((h) => done.some((l) => l.host === h));
  const clients = tools.map((t) => t.name).filter((c) => done.some((l) => l.client === c));
  rt.setOutput(OUTPUT.registry, hosts[0] ?? '');
  rt.setOutput(OUTPUT.registries, hosts.join(','));
  rt.setOutput(OUTPUT.clients, clients.join(','));
  rt.setOutput(OUTPUT.accountId, tokens.accountId ?? '');
  rt.setOutput(OUTPUT.expiresAt, credential.expiresAt ?? '');

  access = await accessCheck;
  progress(report());
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length > 0) {
    const rest = done.length > 0 ? ' The logins that succeeded are logged out by the post step.' : '';
    throw new UserError(`${failed.map((o) => o.detail.replace(/\.$/, '')).join('; ')}.${rest}`, `${failed[0]!.client} login`);
  }
  finishAccessCheck(rt, settings, access);
  rt.setOutput(OUTPUT.loggedIn, 'true');
  return report();
}
