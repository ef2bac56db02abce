// The main step: validate the inputs, then the login's phases (phases.ts, loaded only once the inputs
// call for a login, so a refusal or a skip starts fast); every fact post needs is saved before the
// action it must be able to undo.
import { randomUUID } from '../../lib/random-id.ts';
import { ProcessGroups } from '../../clients/groups.ts';
import { readSettings } from '../../inputs/read.ts';
import { OUTPUT, type Settings } from '../../inputs/settings.ts';
import { describeAll, UserError } from '../../lib/errors.ts';
import { renderFailure } from '../caution.ts';
import type { Runtime } from '../runtime.ts';
import { stateWriter, type StateWriter } from '../state/writer.ts';
import type { Report } from '../summary.ts';

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
export interface StepRun {
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
  let summary: ((r: Report) => string) | undefined;
  try {
    state.settings(settings.logout, settings.timeoutSeconds);
    if (settings.identity.kind === 'api-key' && settings.apiKey === '' && !settings.entitled) {
      rt.warning(`Input api-key is empty and input missing-key is skip, so no client was logged in${rt.words.skipped}.`, 'api-key');
      rt.setOutput(OUTPUT.loggedIn, 'false');
      return 'skipped';
    }
    const phases = await import('./phases.ts');
    summary = phases.renderSummary;
    report = await phases.logIn(rt, state, step, settings, (r) => (report = r));
    await rt.writeSummary(summary(report));
    return 'ok';
  } catch (error) {
    await failStep(rt, error, report && summary ? (lines) => summary!({ ...report!, errors: lines }) : undefined);
    return 'failed';
  }
}

/**
 * One annotation per mistake (CONTRIBUTING.md, "One line per mistake"), every one in the summary: the
 * login's own summary when it got that far (`summary`), else the errors alone.
 */
async function failStep(rt: Runtime, error: unknown, summary: ((lines: readonly string[]) => string) | undefined): Promise<void> {
  const lines = describeAll(error);
  if (!(error instanceof UserError) && error instanceof Error && error.stack) rt.debug(error.stack);
  rt.setOutput(OUTPUT.loggedIn, 'false');
  // Every annotation is titled: what the error names, or the action itself for the unexpected.
  for (const line of lines) rt.fail(line, (error instanceof UserError && error.title) || 'icr-login');
  await rt.writeSummary(summary ? summary(lines) : renderFailure(lines));
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
