// The post step: stop what main could not, log out exactly the logins main recorded, put back earlier
// credentials, remove our files. Never fails the job: every problem is a warning.
import { sep } from 'node:path';
import { clientEnv } from '../../clients/env.ts';
import { killOurGroups, RUN_MARK } from '../../clients/groups.ts';
import type { Recorded } from '../../clients/plan.ts';
import { removeRecord } from '../../credential-files/ours.ts';
import { removeQuietly } from '../../credential-files/private-files.ts';
import { readPostSecrets } from '../../inputs/read.ts';
import { describe } from '../../lib/errors.ts';
import type { Runtime } from '../runtime.ts';
import { logOut } from './logouts.ts';
import { trustedState } from './trust.ts';

export interface LogoutResult {
  /** Everything was logged out (or left in place by logout: false). */
  readonly ok: boolean;
  /** Logins still in place that a later try could remove: failed, and not overwritten by earlier credentials. */
  readonly outstanding: readonly Recorded[];
}

/** The phases of post, in order: trust, stop, log out (with put-back), clean up. */
export async function logoutStep(rt: Runtime): Promise<LogoutResult> {
  // 1. What of main's state post may act on.
  const state = await trustedState(rt);
  const { isolation, logins, folder } = state;
  // 2. A client main could not stop (main was killed) must not write after the logout; a group that
  // is not provably main's any more (its id taken by another process) is left alone.
  const { killed, spared } = await killOurGroups(state.groups, state.run);
  if (killed.length > 0) rt.debug(`Stopped the process groups ${killed.join(', ')} of clients the login left running.`);
  if (spared.length > 0)
    rt.debug(`Left alone the process groups ${spared.join(', ')}: no process in them carries the login's ${RUN_MARK}.`);
  let outstandingLogins = 0;
  try {
    if (!state.logout) {
      rt.info('Input logout is false: leaving the clients logged in.');
      return { ok: true, outstanding: [] };
    }
    const secrets = readPostSecrets((name) => rt.getInput(name));
    for (const s of secrets) rt.mask(s);
    // 3. The logouts, each entry's earlier credentials put back.
    if (state.logins.length === 0) {
      rt.info('Nothing to log out.');
      return { ok: true, outstanding: [] };
    }
    const { problems, outstanding } = await logOut(rt, state, clientEnv(rt.env, secrets));
    // Logins in the isolated folder go with it.
    const left = outstanding.filter((t) => !(isolation && t.file.startsWith(`${isolation.dir}${sep}`)));
    outstandingLogins = left.length;
    return { ok: problems === 0, outstanding: left };
  } catch (error) {
    rt.warning(describe(error), 'logout');
    outstandingLogins = logins.length;
    return { ok: false, outstanding: logins };
  } finally {
    // 4. Main's folder (the copy of earlier credentials, the isolated files) goes whatever happened
    // above; on GitHub the runner also empties RUNNER_TEMP at the end of every job.
    if (folder) await removeQuietly(folder);
    // A run whose login could not be removed keeps its record, so a later run tells that login from the
    // user's (its run has ended: the later run removes it) instead of keeping it aside as the user's.
    if (state.run && outstandingLogins === 0) await removeRecord(rt.env, state.run);
  }
}
