// Post's eyes on an entry: what it holds now (credential-files/held.ts reads it), judged against this
// run's login, and named when it is another's: the credentials it had before, another job's login.
import { placeName, type Held, type Way } from '../../clients/held.ts';
import { entryKey, type Target } from '../../clients/plan.ts';
import type { Earlier } from '../../credential-files/earlier.ts';
import { eraseFromHelper, readEntry } from '../../credential-files/held.ts';
import { entryHash, otherRuns } from '../../credential-files/ours.ts';

export interface ReadBackContext {
  readonly run: string;
  /** The hashes of the pairs this run stored (ours.ts), one per credential; empty when main saved none. */
  readonly owners: readonly string[];
  readonly earlier: readonly Earlier[];
  readonly env: NodeJS.ProcessEnv;
  readonly envFor: (t: Target) => NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  /** What earlier credentials were had before: "this job". */
  readonly before: string;
}

const NOBODY = 'a login no icr-login run on this machine made';

export function readBack(c: ReadBackContext): { read(t: Target): Promise<Held>; erase(t: Target, held: Held): Way | undefined } {
  let runs: ReturnType<typeof otherRuns> | undefined;
  const runOf = async (hash: string) => {
    runs ??= otherRuns(c.env, c.run).catch(() => []);
    return (await runs).find((r) => r.hashes.includes(hash));
  };
  return {
    read: async (t) => {
      const r = await readEntry(t, c.envFor(t), c.timeoutMs);
      if (r.state !== 'held') return r.state === 'none' ? { is: 'none', place: r.place } : { is: 'unreadable', place: r.place, why: r.why };
      // Without main's record of the pairs it stored, any login there may be this run's.
      const ours = c.owners.length === 0 ? r.hash !== undefined : r.hash !== undefined && c.owners.includes(r.hash);
      if (ours) return { is: 'ours', place: r.place };
      const hash = r.hash;
      if (hash === undefined) return { is: 'other', place: r.place, whose: NOBODY, of: 'unknown' };
      if (c.earlier.some((e) => entryKey(e) === entryKey(t) && entryHash(e.entry, e.helper?.secret) === hash)) {
        return { is: 'other', place: r.place, whose: `the credentials it had before ${c.before}`, of: 'earlier' };
      }
      const other = await runOf(hash);
      if (!other) return { is: 'other', place: r.place, whose: NOBODY, of: 'unknown' };
      // A login icr-login stored for a run that has ended is nobody's to keep: removed as this run's
      // own would be, or it would stay on the machine for good.
      if (!other.live) return { is: 'ours', place: r.place };
      return {
        is: 'other',
        place: r.place,
        whose: `another icr-login job's login (run ${other.run.slice(0, 8)}, pid ${other.pid})`,
        of: 'job',
      };
    },
    erase: (t, held) => {
      const erase = eraseFromHelper(held.place, t.host, c.envFor(t), c.timeoutMs);
      const name = `${placeName(held.place)} erase`;
      return erase && { name, by: name, run: erase };
    },
  };
}
