// The logins themselves: every planned login, each saved for post before its client starts, each
// writer of a file holding the file's lock, each outcome reported and saved the moment it is known.
import type { ProcessGroups } from '../../clients/groups.ts';
import { describeOutcome, failed, type Outcome, type Target } from '../../clients/plan.ts';
import { runLogins, type LoginHooks } from '../../clients/run-logins.ts';
import type { ClientTool } from '../../clients/run.ts';
import type { ClientName } from '../../inputs/settings.ts';
import { withFileLock } from '../../credential-files/lock/lock.ts';
import type { HostCredentials } from '../../iam/credential.ts';
import { describe } from '../../lib/errors.ts';
import type { Runtime } from '../runtime.ts';
import type { StateWriter } from '../state/writer.ts';

export interface LoginContext {
  readonly targets: readonly Target[];
  readonly tools: ReadonlyMap<ClientName, ClientTool>;
  readonly credentials: HostCredentials;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly groups: ProcessGroups;
}

/** Runs the logins; `heard` is told of each outcome as it comes. */
export async function logInClients(rt: Runtime, state: StateWriter, c: LoginContext, heard: (outcome: Outcome) => void): Promise<void> {
  const hooks: LoginHooks = {
    // Saved before the client starts, so post undoes it whatever happens next (even a killed main).
    intend: async (target) => state.login(target),
    exclusive: (target, write) => withFileLock(target.file, c.timeoutMs, write).catch((error: unknown) => failed(target, describe(error))),
    record: (target, outcome) => {
      // How it ended, saved the moment it is known: post logs out with a client whose login succeeded.
      state.ended(target, outcome.ok ? 'logged-in' : 'failed');
      const what = outcome.kind === 'logged-in' ? 'logged in to' : `${describeOutcome(outcome)} of`;
      if (outcome.ok) rt.info(`${outcome.client} ${what} ${outcome.host} as ${c.credentials.get(outcome.host)?.username}.`);
      else rt.info(describeOutcome(outcome));
      heard(outcome);
    },
  };
  await runLogins(
    c.targets,
    c.tools,
    c.credentials,
    { env: c.env, timeoutMs: c.timeoutMs, groups: c.groups, debug: (m) => rt.debug(m) },
    hooks,
  );
}
