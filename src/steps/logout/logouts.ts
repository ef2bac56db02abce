// The logouts themselves: exactly the logins main recorded, from the files main wrote, each read back
// before it is reported, each entry's earlier credentials put back (and read back) after its logouts;
// every problem a warning.
import { clientTool } from '../../clients/discover.ts';
import { describeOutcome, type Recorded, type Target } from '../../clients/plan.ts';
import { runLogouts } from '../../clients/run-logouts.ts';
import { OWN_CLIENTS } from '../../credential-files/docker/config-client.ts';
import { loadEarlier } from '../../credential-files/earlier.ts';
import { withFileLock } from '../../credential-files/lock/lock.ts';
import { pinnedTo } from '../../credential-files/paths.ts';
import { runnerTemp } from '../../credential-files/run-folder.ts';
import { secondsToMs } from '../../lib/time.ts';
import type { Runtime } from '../runtime.ts';
import type { StepState } from '../state/step-state.ts';
import { renderLogoutSummary } from '../summary.ts';
import { notPutBack, putBack } from './put-back.ts';
import { readBack } from './read-back.ts';

/** Counts what went wrong, and names the logins still in place that a later try could remove. */
export async function logOut(
  rt: Runtime,
  { run, logins, timeoutSeconds, earlierPath, earlierHosts, owners }: StepState,
  env: NodeJS.ProcessEnv,
): Promise<{ problems: number; outstanding: Recorded[] }> {
  const timeoutMs = secondsToMs(timeoutSeconds);
  // Main's folder is trusted only when it is still there and its own (trust.ts), so a copy that a
  // later step removed shows here as no path, or as a file that cannot be read.
  const kept = earlierPath ? await loadEarlier(earlierPath) : undefined;
  if (kept === undefined && earlierHosts.length > 0) {
    rt.warning(
      `The copy of the credentials ${earlierHosts.join(', ')} had before ${rt.words.before} is gone from ${runnerTemp(rt.env)} (was it emptied?), so ${rt.words.undoer} cannot put them back; log in to ${earlierHosts.length > 1 ? 'them' : 'it'} again by hand.`,
      'earlier credentials',
    );
  }
  const earlier = kept ?? [];
  const names = [...new Set(logins.map((l) => l.client))];
  const tools = new Map(names.map((name) => [name, clientTool(name, env, OWN_CLIENTS)] as const));
  const envFor = (t: Target): NodeJS.ProcessEnv => ({ ...env, ...pinnedTo(t.client, t.file) });
  // One writer of the file at a time, across every job of ours on this runner; a lock path that is
  // no lock file is passed by with a warning, since our key must not stay behind for it.
  const warned = new Set<string>();
  const lock = <T>(file: string, work: () => Promise<T>): Promise<T> =>
    withFileLock(file, timeoutMs, work, {
      unlockedIfBlocked: (line) => {
        if (!warned.has(file)) rt.warning(line, 'logout');
        warned.add(file);
      },
    });
  const { outcomes, putBacks, outstanding } = await runLogouts(logins, tools, timeoutMs, {
    envFor,
    exclusive: lock,
    ...readBack({ run, owners, earlier, env, envFor, timeoutMs, before: rt.words.before }),
    putBack: (t) => putBack(t, earlier, envFor(t), timeoutMs, lock),
    notPutBack: async (t, whose) => notPutBack(t, earlier, whose),
  });
  for (const o of outcomes) {
    if (o.ok) rt.info(`${o.client}: ${describeOutcome(o)} (${o.host}).`);
    else rt.warning(`${o.client}: ${describeOutcome(o)}`, `${o.client} logout`);
  }
  for (const p of putBacks) {
    if (p.problems.length === 0 && p.over) {
      rt.warning(
        `${p.host}: earlier credentials put back (${p.file}) over ${p.over}, which replaced this job's login since; that job is no longer logged in to ${p.host} and must log in again; set isolate: true where jobs share a machine.`,
        'earlier credentials',
      );
    } else if (p.problems.length === 0) rt.info(`${p.host}: earlier credentials put back (${p.file}).`);
    for (const problem of p.problems) rt.warning(`${problem}.`, 'earlier credentials');
  }
  await rt.writeSummary(renderLogoutSummary(outcomes, putBacks));
  const problems = outcomes.filter((o) => !o.ok).length + putBacks.filter((p) => p.problems.length > 0).length;
  return { problems, outstanding: [...outstanding] };
}
