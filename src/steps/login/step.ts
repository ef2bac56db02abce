// The main step: validate the inputs, then the login's phases in the order logIn() gives them, each a
// file of this folder; every fact post needs is saved before the action it must be able to undo.
import { randomUUID } from 'node:crypto';
import { ProcessGroups } from '../../clients/groups.ts';
import type { Outcome } from '../../clients/plan.ts';
import { readSettings } from '../../inputs/read.ts';
import { OUTPUT, type Settings } from '../../inputs/settings.ts';
import { describeAll, UserError } from '../../lib/errors.ts';
import { secondsToMs } from '../../lib/time.ts';
import type { Runtime } from '../runtime.ts';
import { stateWriter, type StateWriter } from '../state/writer.ts';
import { renderFailure, renderSummary, type Report } from '../summary.ts';
import { finishAccessCheck, startAccessCheck } from './access.ts';
import { logInClients } from './clients.ts';
import { clientCredentials, icrCredential } from './credential.ts';
import { keepEarlier } from './earlier.ts';
import { prepareEnvironment } from './environment.ts';
import { askIamAndFindClients } from './iam.ts';
import { setOutputs, verdict } from './outputs.ts';
import { planLogins } from './plan.ts';

/** How the step ended: `invalid` when the inputs were refused before anything ran. */
export type StepResult = 'ok' | 'skipped' | 'invalid' | 'failed';

export async function loginStep(rt: Runtime): Promise<StepResult> {
  // The run id comes first: everything else main saves carries it, so post acts on nothing else.
  const state = stateWriter(rt);
  const run = randomUUID();
  state.begin(run);
  const groups = new ProcessGroups((pgid) => state.group(pgid));
  const stopListening = groups.exitOnSignals((signal) => {
    state.stopped();
    rt.fail(
      `${capitalized(rt.words.run)} was stopped (${signal}) and stopped its clients; ${rt.words.undo} logs out whatever they logged in.`,
      'cancelled',
    );
  });
  try {
    return await steps(rt, state, { run, groups });
  } finally {
    // Every client has ended by now: run() ends each one's process group.
    state.stopped();
    stopListening();
  }
}

/** What this run of the step is: its id, and the process groups of the clients it starts. */
interface StepRun {
  readonly run: string;
  readonly groups: ProcessGroups;
}

async function steps(rt: Runtime, state: StateWriter, step: StepRun): Promise<StepResult> {
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
    if (settings.identity.kind === 'api-key' && settings.apiKey === '' && !settings.entitled) {
      rt.warning(`Input api-key is empty and missing-key is skip, so no client was logged in${rt.words.skipped}.`, 'api-key');
      rt.setOutput(OUTPUT.loggedIn, 'false');
      return 'skipped';
    }
    report = await logIn(rt, state, step, settings, (r) => (report = r));
    await rt.writeSummary(renderSummary(report));
    return 'ok';
  } catch (error) {
    await failStep(rt, error, report);
    return 'failed';
  }
}

/** One annotation per mistake (CONTRIBUTING.md, "One line per mistake"), every one in the summary. */
async function failStep(rt: Runtime, error: unknown, report: Report | undefined): Promise<void> {
  const lines = describeAll(error);
  if (!(error instanceof UserError) && error instanceof Error && error.stack) rt.debug(error.stack);
  rt.setOutput(OUTPUT.loggedIn, 'false');
  // Every annotation is titled: what the error names, or the action itself for the unexpected.
  for (const line of lines) rt.fail(line, (error instanceof UserError && error.title) || 'icr-login');
  await rt.writeSummary(report ? renderSummary({ ...report, errors: lines }) : renderFailure(lines));
}

/** The login's phases, in order. `progress` hears of the report as it grows, so a failure's summary shows what was done. */
async function logIn(rt: Runtime, state: StateWriter, step: StepRun, settings: Settings, progress: (r: Report) => void): Promise<Report> {
  const timeoutMs = secondsToMs(settings.timeoutSeconds);
  // 1. IAM's tokens and the clients on PATH, side by side.
  const { tokens, tools } = await askIamAndFindClients(rt, settings);
  // 2. What the clients are given at each host (ICR's and the entitled registry's).
  const credentials = clientCredentials(rt, settings, tokens);
  const icr = icrCredential(settings, credentials);
  const hosts = [...credentials.keys()];
  // 3. Main's own folder, the clients' environment, isolation.
  const clients = tools.map((t) => t.name);
  const { env, folder } = await prepareEnvironment(rt, state, step.run, settings, credentials, clients);
  // 4. The access check of input images, beside the logins, with the credentials the clients get.
  const accessCheck = startAccessCheck(rt, settings, credentials, tokens);
  // 5. Every client into every host, with the file each writes.
  const targets = planLogins(hosts, tools, env);
  // 6. What those entries hold now, kept aside for post.
  await keepEarlier(rt, state, { targets, env, timeoutMs, run: step.run, folder, credentials });

  const outcomes: Outcome[] = [];
  let access: Report['access'] = undefined;
  const report = (): Report => ({
    access,
    hosts,
    clients,
    outcomes: [...outcomes],
    authType: settings.authType,
    identity: settings.identity.kind,
    username: icr?.username,
    accountId: tokens?.accountId,
    expiresAt: icr?.expiresAt,
    entitled: settings.entitled?.host,
    errors: [],
  });
  progress(report());
  // 7. The logins, each outcome reported as it comes.
  const tool = new Map(tools.map((t) => [t.name, t]));
  await logInClients(rt, state, { targets, tools: tool, credentials, env, timeoutMs, groups: step.groups }, (outcome) => {
    outcomes.push(outcome);
    progress(report());
  });
  // 8. The outputs, the access check's answer, the verdict.
  setOutputs(rt, credentials, icr, clients, outcomes, tokens);
  access = await accessCheck;
  progress(report());
  verdict(rt, outcomes);
  finishAccessCheck(rt, settings, access);
  rt.setOutput(OUTPUT.loggedIn, 'true');
  return report();
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
