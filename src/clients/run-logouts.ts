// Running the recorded logouts: files side by side, one writer of a file at a time, one containers
// tool's logout standing for the others that read the same file, and the last logout of each entry
// putting back what it held before. The logout-side twin of run-logins.ts.
import { existsSync } from 'node:fs';
import { describe } from '../lib/errors.ts';
import { groupBy } from '../lib/collections.ts';
import type { ClientName } from '../inputs/settings.ts';
import { sharesContainersAuth } from './commands.ts';
import { done, entryKey, failed, sharedWith, type Outcome, type Target } from './plan.ts';
import { clientLogout, type ClientContext, type ClientTool } from './run.ts';
import { runGrouped } from './schedule.ts';

/** What the step does around each logout: the file's lock, whose login the entry holds, putting back. */
export interface LogoutHooks {
  /** Runs a writer of the target's file, with no other writer of ours beside it. */
  exclusive(target: Target, work: () => Promise<Outcome[]>): Promise<Outcome[]>;
  /** false when the host's entry now holds another login than this job's (leave it alone). */
  stillOurs(target: Target): Promise<boolean>;
  /** Puts back what the target's (file, host) held before the step; nothing when it held nothing. */
  putBack(target: Target): Promise<Outcome[]>;
  /** The client's environment, pinned to the target's file. */
  envFor(target: Target): NodeJS.ProcessEnv;
}

export interface LogoutRun {
  readonly outcomes: readonly Outcome[];
  /** Logins still in place that a later try could remove: failed, and not overwritten by earlier credentials. */
  readonly outstanding: readonly Target[];
}

export async function runLogouts(
  logins: readonly Target[],
  tools: ReadonlyMap<ClientName, ClientTool>,
  timeoutMs: number,
  hooks: LogoutHooks,
): Promise<LogoutRun> {
  // The last logout of each (file, host) puts back what that host had in that file before the step.
  const last = new Map(logins.map((t) => [entryKey(t), t]));
  const undone: Target[] = [];
  const putBackDone = new Set<string>();
  const outcomes = await runGrouped(
    groupBy(logins, (t) => t.file),
    () => {
      // Within one file, one containers tool's logout removes the entry every one of them reads.
      const removedBy = new Map<string, ClientName>();
      return (target): Promise<Outcome[]> =>
        hooks
          .exclusive(target, async () => {
            const ctx = { env: hooks.envFor(target), timeoutMs };
            const outcome = await logOutOne(target, tools.get(target.client), removedBy.get(target.host), ctx, hooks);
            if (!outcome.ok) undone.push(target);
            if (outcome.ok && !removedBy.has(target.host) && sharesContainersAuth(target.client)) removedBy.set(target.host, target.client);
            if (last.get(entryKey(target)) !== target) return [outcome];
            const restored = await hooks.putBack(target);
            if (restored.length > 0 && restored.every((o) => o.ok)) putBackDone.add(entryKey(target));
            return [outcome, ...restored];
          })
          .catch((error: unknown) => {
            undone.push(target);
            return [failed(target, describe(error))];
          });
    },
  );
  return { outcomes: outcomes.flat(), outstanding: undone.filter((t) => !putBackDone.has(entryKey(t))) };
}

async function logOutOne(
  target: Target,
  tool: ClientTool | undefined,
  removedBy: ClientName | undefined,
  ctx: ClientContext,
  hooks: LogoutHooks,
): Promise<Outcome> {
  if (removedBy && sharesContainersAuth(target.client)) return sharedWith(target, 'removed-with', removedBy);
  // A login main meant to make but whose file never came to exist: nothing to remove (podman would fail on it).
  if (!existsSync(target.file)) return done(target, 'already-logged-out');
  // What the host holds now is another login (put back by an earlier post, or another job's): not ours to remove.
  if (!(await hooks.stillOurs(target))) return done(target, 'left-in-place');
  if (!tool || (!tool.own && !tool.path)) {
    return failed(target, `${target.client} is no longer on PATH, so its login to ${target.host} could not be removed`);
  }
  return clientLogout(tool, target.host, ctx);
}
