// Main's part in telling our logins from the user's on a shared runner: record this run's login (no
// secret: a hash, see credential-files/ours.ts) and keep aside only what the user had, never a login
// another run of ours stored.
import type { Earlier } from '../credential-files/earlier.ts';
import { otherRuns, whoseEarlier, writeRecord } from '../credential-files/ours.ts';
import { describe } from '../lib/errors.ts';
import type { Runtime } from './runtime.ts';
import type { StateWriter } from './state.ts';

/** Records this run and returns the earlier credentials that are the user's own. */
export async function ourLogins(
  rt: Runtime,
  state: StateWriter,
  earlier: readonly Earlier[],
  run: { readonly run: string; readonly folder: string; readonly hash: string },
): Promise<Earlier[]> {
  state.owner(run.hash);
  try {
    await writeRecord(rt.env, { ...run, pid: process.pid });
  } catch (error) {
    // Only another run's view of this one is lost: it would keep this login aside as the user's.
    rt.debug(`Could not record this run for other jobs on this runner: ${describe(error)}`);
  }
  const { users, live, dead } = whoseEarlier(earlier, await otherRuns(rt.env, run.run));
  if (live.length > 0) {
    const where = [...new Set(live.map((e) => `${e.host} (${e.file})`))].join(', ');
    rt.warning(
      `Another icr-login job on this machine is logged in to ${where} in the same credentials file; this job's login replaces it and either job's logout may remove the other's; set isolate: true where jobs share a machine.`,
      'shared credentials file',
    );
  }
  if (dead.length > 0)
    rt.debug(
      `Left by an icr-login job that ended without logging out, removed by this job's logout: ${dead.map((e) => e.host).join(', ')}.`,
    );
  return users;
}
