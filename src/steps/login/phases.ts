// The login's phases, in the order they run: each a file of this folder. Loaded by step.ts only once the
// inputs call for a login.
import type { Outcome } from '../../clients/plan.ts';
import { OUTPUT, type Settings } from '../../inputs/settings.ts';
import { secondsToMs } from '../../lib/time.ts';
import type { Runtime } from '../runtime.ts';
import type { StateWriter } from '../state/writer.ts';
import type { Report } from '../summary.ts';
import { finishAccessCheck, startAccessCheck } from './access.ts';
import { logInClients } from './clients.ts';
import { clientCredentials, icrCredential } from './credential.ts';
import { keepEarlier } from './earlier.ts';
import { prepareEnvironment } from './environment.ts';
import { askIamAndFindClients } from './iam.ts';
import { setOutputs, verdict } from './outputs.ts';
import { planLogins } from './plan.ts';
import type { StepRun } from './step.ts';

export { renderSummary } from '../summary.ts';

/** The login's phases, in order. `progress` hears of the report as it grows, so a failure's summary shows what was done. */
export async function logIn(
  rt: Runtime,
  state: StateWriter,
  step: StepRun,
  settings: Settings,
  progress: (r: Report) => void,
): Promise<Report> {
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
