// The main step: validate, one IAM exchange, every client into every host, state before each starts.
// Each phase is a file of its own (login-*.ts); this one runs them in order and reports.
import { randomUUID } from 'node:crypto';
import { inWriteOrder } from '../clients/commands.ts';
import { exitOnSignals, onGroupStart } from '../clients/groups.ts';
import { plan, type Outcome, type Target } from '../clients/plan.ts';
import { credentialsFile } from '../credential-files/paths.ts';
import { platformOf } from '../credential-files/platform.ts';
import { credentialFor, credentialForms } from '../iam/credential.ts';
import { readSettings } from '../inputs/read.ts';
import { OUTPUT, type Settings } from '../inputs/settings.ts';
import { describe, UserError } from '../lib/errors.ts';
import { secondsToMs } from '../lib/time.ts';
import { logInClients } from './login-clients.ts';
import { keepEarlier } from './login-earlier.ts';
import { prepareEnvironment } from './login-environment.ts';
import { exchangeAndDiscover } from './login-iam.ts';
import { finishAccessCheck, startAccessCheck } from './access-step.ts';
import { setOutputs, verdict } from './login-verdict.ts';
import type { Runtime } from './runtime.ts';
import { stateWriter, type StateWriter } from './state.ts';
import { renderFailure, renderSummary, type Report } from './summary.ts';

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
    rt.fail(
      `${capitalized(rt.words.run)} was stopped (${signal}) and stopped its clients; ${rt.words.undo} logs out whatever they logged in.`,
      'cancelled',
    );
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
      rt.warning(`Input api-key is empty and missing-key is skip, so no client was logged in${rt.words.skipped}.`, 'api-key');
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
  // Every annotation is titled: what the error names, or the action itself for the unexpected.
  rt.fail(message, (error instanceof UserError && error.title) || 'icr-login');
  await rt.writeSummary(report ? renderSummary({ ...report, error: message }) : renderFailure(message));
}

/**
 * The phases, in order: exchange and discovery, the credential, the environment (and isolation), the
 * plan, earlier credentials, the logins (and beside them the access check), the outputs, the verdict. `progress` hears of the report as
 * it grows, so a failure's summary shows what was done.
 */
async function logIn(rt: Runtime, state: StateWriter, run: string, settings: Settings, progress: (r: Report) => void): Promise<Report> {
  const { tokens, tools } = await exchangeAndDiscover(rt, settings);
  const credential = credentialFor(settings.authType, settings.apiKey, tokens, settings.trustedProfile);
  for (const form of credentialForms(credential)) rt.mask(form);
  const { env, folder } = await prepareEnvironment(rt, state, run, settings, credential);
  // The access check (input images) runs beside the logins, with the credential the clients get.
  const accessCheck = startAccessCheck(rt, settings, credential, tokens);

  const timeoutMs = secondsToMs(settings.timeoutSeconds);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const platform = platformOf(env);
  const targets: Target[] = plan(settings.hosts, inWriteOrder([...byName.keys()])).map((l) => ({
    ...l,
    file: credentialsFile(l.client, platform),
  }));
  await keepEarlier(rt, state, { targets, env, timeoutMs, run, folder, credential });

  const outcomes: Outcome[] = [];
  let access: Report['access'] = undefined;
  const report = (): Report => ({
    access,
    hosts: settings.hosts,
    clients: tools.map((t) => t.name),
    outcomes: [...outcomes],
    authType: settings.authType,
    username: credential.username,
    accountId: tokens?.accountId,
    expiresAt: credential.expiresAt,
    error: undefined,
  });
  progress(report());
  await logInClients(rt, state, { targets, tools: byName, credential, env, timeoutMs }, (outcome) => {
    outcomes.push(outcome);
    progress(report());
  });

  setOutputs(
    rt,
    settings,
    tools.map((t) => t.name),
    outcomes,
    tokens,
    credential,
  );
  access = await accessCheck;
  progress(report());
  verdict(rt, outcomes);
  finishAccessCheck(rt, settings, access);
  rt.setOutput(OUTPUT.loggedIn, 'true');
  return report();
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
