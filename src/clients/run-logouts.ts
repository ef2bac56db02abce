// Running the recorded logouts: files side by side, the entries (file, host) of one file one after
// another. Each entry's login is removed by a client whose login succeeded, read back after every try,
// removed another way while it is still there, and only then reported; the entry's earlier credentials
// are put back and read back last. The logout-side twin of run-logins.ts.
import { groupBy } from '../lib/collections.ts';
import { describe } from '../lib/errors.ts';
import type { ClientName } from '../inputs/settings.ts';
import { sharesContainersAuth } from './commands.ts';
import { mayBeOurs, type Held, type PutBack, type Way } from './held.ts';
import { entryKey, type LoginEnd, type Outcome, type Recorded, type Target } from './plan.ts';
import { clientLogout, type ClientTool } from './run.ts';
import { runGrouped } from './schedule.ts';
import { judge, type Removal } from './logout-verdict.ts';

/** What the step does around the logouts: the file's lock, reading an entry back, helpers, putting back. */
export interface LogoutHooks {
  /** Runs `work` holding the lock of `file`, with no other writer of ours beside it; rejects when it cannot be had. */
  exclusive<T>(file: string, work: () => Promise<T>): Promise<T>;
  /** What the target's client reads for its host now, judged against this run's login. */
  read(target: Target): Promise<Held>;
  /** A way to remove what `held` names besides the clients' logouts (a credential helper's own erase). */
  erase(target: Target, held: Held): Way | undefined;
  /** Puts back and reads back what the target's (file, host) held before the step, under the file's lock; undefined when it held nothing. */
  putBack(target: Target): Promise<PutBack | undefined>;
  /** Why the target's earlier credentials, if it had any, stay where they are: `whose` login replaced this run's since. */
  notPutBack(target: Target, whose: string): Promise<PutBack | undefined>;
  /** The client's environment, pinned to the target's file. */
  envFor(target: Target): NodeJS.ProcessEnv;
}

export interface LogoutRun {
  readonly outcomes: readonly Outcome[];
  readonly putBacks: readonly PutBack[];
  /** Logins still in place that a later try could remove. */
  readonly outstanding: readonly Recorded[];
}

export async function runLogouts(
  logins: readonly Recorded[],
  tools: ReadonlyMap<ClientName, ClientTool>,
  timeoutMs: number,
  hooks: LogoutHooks,
): Promise<LogoutRun> {
  const entries = groupBy(logins, entryKey);
  const results = await runGrouped(
    groupBy(entries, (e) => e[0]!.file),
    () => (entry: readonly Recorded[]) => logOutEntry(entry, tools, timeoutMs, hooks),
  );
  return {
    outcomes: results.flatMap((r) => r.judged.map(([, o]) => o)),
    putBacks: results.flatMap((r) => (r.putBack ? [r.putBack] : [])),
    outstanding: results.flatMap((r) => r.judged.flatMap(([t, o]) => (o.kind === 'not-removed' ? [t] : []))),
  };
}

const clause = (error: unknown): string => describe(error).replace(/\.$/, '');

// A login main saw succeed first, then one it never saw end, then one that failed (its client may be broken).
const TRUST: readonly LoginEnd[] = ['logged-in', undefined, 'failed'];

async function logOutEntry(
  entry: readonly Recorded[],
  tools: ReadonlyMap<ClientName, ClientTool>,
  timeoutMs: number,
  hooks: LogoutHooks,
): Promise<{ judged: (readonly [Recorded, Outcome])[]; putBack: PutBack | undefined }> {
  // docker's reading and the containers tools' may differ (a credsStore only docker honours).
  const removals: Removal[] = [];
  for (const view of groupBy(entry, (t) => (sharesContainersAuth(t.client) ? 'containers' : 'docker'))) {
    const logins = [...view].sort((a, b) => TRUST.indexOf(a.ended) - TRUST.indexOf(b.ended));
    const ways = logins.map((t): Way => clientWay(t, tools.get(t.client), { env: hooks.envFor(t), timeoutMs }));
    removals.push(await remove(logins, ways, hooks));
  }
  const first = entry[0]!;
  // A login no run of ours made replaced this run's since (a later step's own): newer than what the
  // entry held before the step, so that stays where it is. Another job's login does not outrank the
  // user's own credentials: they are put back over it, and that job is told (docs/security.md).
  const later = removals.map((r) => r.before).find((b) => b.is === 'other' && b.of === 'unknown');
  const overJob = removals.map((r) => r.before).find((b) => b.is === 'other' && b.of === 'job');
  const putBack = later
    ? await hooks.notPutBack(first, later.is === 'other' ? later.whose : '')
    : await hooks.putBack(first).catch((error: unknown): PutBack => ({ ...first, problems: [clause(error)] }));
  if (putBack && putBack.problems.length === 0 && overJob?.is === 'other') putBack.over = overJob.whose;
  // Earlier credentials put back over a login that stayed replace it: read once more.
  for (const r of putBack ? removals.filter((r) => mayBeOurs(r.after)) : []) {
    r.after = await hooks.exclusive(first.file, () => hooks.read(r.logins[0]!)).catch(() => r.after);
    if (!mayBeOurs(r.after)) r.by = 'the earlier credentials put back';
  }
  return { judged: removals.flatMap((r) => r.logins.map((t) => [t, judge(t, r)] as const)), putBack };
}

function clientWay(t: Target, tool: ClientTool | undefined, ctx: { env: NodeJS.ProcessEnv; timeoutMs: number }): Way {
  const name = `${t.client} logout`;
  if (!tool || (!tool.own && !tool.path)) return { name, by: t.client, run: async () => `${t.client} is no longer on PATH` };
  return { name, by: t.client, run: () => clientLogout(tool, t.host, ctx) };
}

/** Reads the entry, then tries each way while this run's login may still be there, reading back after each. */
async function remove(logins: readonly Recorded[], ways: Way[], hooks: LogoutHooks): Promise<Removal> {
  const first = logins[0]!;
  const locked = <T>(work: () => Promise<T>): Promise<T> => hooks.exclusive(first.file, work);
  let before: Held;
  try {
    before = await locked(() => hooks.read(first));
  } catch (error) {
    // A lock that cannot be had leaves nothing read and nothing tried: the login may be there, and stays.
    const held: Held = { is: 'unreadable', place: { kind: 'file', path: first.file }, why: clause(error) };
    return { logins, before: held, after: held, tries: [] };
  }
  const r: Removal = { logins, before, after: before, tries: [] };
  const erase = hooks.erase(first, before);
  for (const way of erase ? [...ways, erase] : ways) {
    if (!mayBeOurs(r.after)) break;
    try {
      const why = await locked(async () => {
        const said = await way.run();
        r.after = await hooks.read(first);
        return said;
      });
      if (!mayBeOurs(r.after)) r.by = way.by;
      else r.tries.push(why ?? `${way.name} exited 0 but left it`);
    } catch (error) {
      // The lock could not be had: no other way would get it either.
      r.tries.push(clause(error));
      break;
    }
  }
  return r;
}
