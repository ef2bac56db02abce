// The login's earlier credentials: what the planned (file, host) entries hold now, kept aside for post
// unless it is a login another run of ours stored. Telling ours from the user's on a shared runner
// takes a record of this run's login (no secret: a hash, see credential-files/ours.ts).
import type { Target } from '../../clients/plan.ts';
import { earlierSecrets, readEarlier, saveEarlier, type Earlier } from '../../credential-files/earlier.ts';
import { otherRuns, pairHash, whoseEarlier, writeRecord } from '../../credential-files/ours.ts';
import { inRunnerTemp, runnerTemp } from '../../credential-files/run-folder.ts';
import { distinct, type HostCredentials } from '../../iam/credential.ts';
import { describe } from '../../lib/errors.ts';
import type { Runtime } from '../runtime.ts';
import type { StateWriter } from '../state/writer.ts';

export interface EarlierContext {
  readonly targets: readonly Target[];
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly run: string;
  readonly folder: string;
  readonly credentials: HostCredentials;
}

export async function keepEarlier(rt: Runtime, state: StateWriter, c: EarlierContext): Promise<void> {
  const found = await readEarlier(c.targets, c.env, c.timeoutMs);
  for (const s of earlierSecrets(found)) rt.mask(s);
  const hashes = distinct(c.credentials).map((credential) => pairHash(credential.username, credential.secret));
  const earlier = await usersOwn(rt, state, found, { run: c.run, folder: c.folder, hashes });
  if (earlier.length === 0) return;
  const hosts = earlier.map((e) => e.host);
  const temp = runnerTemp(rt.env);
  const path = await inRunnerTemp(temp, 'keep earlier credentials aside', () => saveEarlier(c.folder, earlier));
  state.earlier(path, hosts);
  rt.info(`Kept aside the credentials ${[...new Set(hosts)].join(', ')} had before ${rt.words.run}; ${rt.words.undoer} puts them back.`);
}

/** Records this run and returns the earlier credentials that are the user's own. */
async function usersOwn(
  rt: Runtime,
  state: StateWriter,
  earlier: readonly Earlier[],
  run: { readonly run: string; readonly folder: string; readonly hashes: readonly string[] },
): Promise<Earlier[]> {
  state.owners(run.hashes);
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
