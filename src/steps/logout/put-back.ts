// Putting back what a (file, host) entry held before main: after that entry's logouts, under the
// file's lock, and read back, so post says "put back" only of what the entry holds again.
import { placeName, type PutBack } from '../../clients/held.ts';
import { entryKey, type Target } from '../../clients/plan.ts';
import { restoreEarlier, type Earlier } from '../../credential-files/earlier.ts';
import { holdsEarlier } from '../../credential-files/held.ts';

type Lock = <T>(file: string, work: () => Promise<T>) => Promise<T>;

export async function putBack(
  target: Target,
  earlier: readonly Earlier[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  lock: Lock,
): Promise<PutBack | undefined> {
  const mine = earlier.filter((e) => entryKey(e) === entryKey(target));
  if (mine.length === 0) return undefined;
  return lock(target.file, async () => {
    const problems = await restoreEarlier(mine, env, timeoutMs);
    // A helper's or a write's word that it stored them is not proof.
    for (const e of problems.length === 0 ? mine : []) {
      if (await holdsEarlier(e, env, timeoutMs)) continue;
      const where = e.helper ? placeName({ kind: 'helper', program: e.helper.program }) : e.file;
      problems.push(
        `${where} does not hold the earlier credentials for ${e.host} after they were put back; log in to ${e.host} again by hand`,
      );
    }
    return { file: target.file, host: target.host, problems };
  });
}

/**
 * The entry's earlier credentials, left unrestored: a login no run of ours made (`whose`) replaced
 * this run's since, and is newer than them. Said as a problem, so post warns with what to do; nothing
 * when it had none.
 */
export async function notPutBack(target: Target, earlier: readonly Earlier[], whose: string): Promise<PutBack | undefined> {
  if (!earlier.some((e) => entryKey(e) === entryKey(target))) return undefined;
  return {
    file: target.file,
    host: target.host,
    problems: [
      `did not put back the credentials ${target.host} had before into ${target.file}: it now holds ${whose}, which replaced this job's login since and is newer; log in to ${target.host} with the earlier credentials by hand if you need them again`,
    ],
  };
}
