// The logouts themselves: exactly the logins main recorded, from the files main wrote, each entry's
// earlier credentials put back after its last logout; every problem a warning.
import { findExecutable } from '../../clients/discover.ts';
import { describeOutcome, type Target } from '../../clients/plan.ts';
import { runLogouts } from '../../clients/run-logouts.ts';
import { loadEarlier } from '../../credential-files/earlier.ts';
import { withFileLock } from '../../credential-files/lock.ts';
import { currentHash } from '../../credential-files/ours.ts';
import { pinnedTo } from '../../credential-files/paths.ts';
import { runnerTemp } from '../../credential-files/run-folder.ts';
import { secondsToMs } from '../../lib/time.ts';
import type { Runtime } from '../runtime.ts';
import type { StepState } from '../state/step-state.ts';
import { renderLogoutSummary } from '../summary.ts';
import { putBack } from './put-back.ts';

/** Counts what went wrong, and names the logins whose logout failed and whose entry was not put back. */
export async function logOut(
  rt: Runtime,
  { logins, timeoutSeconds, earlierPath, earlierHosts, owners }: StepState,
  env: NodeJS.ProcessEnv,
): Promise<{ problems: number; outstanding: Target[] }> {
  if (logins.length === 0) {
    rt.info('Nothing to log out.');
    return { problems: 0, outstanding: [] };
  }
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
  const paths = new Map(names.map((name) => [name, findExecutable(name, env)] as const));
  const envFor = (t: Target): NodeJS.ProcessEnv => ({ ...env, ...pinnedTo(t.client, t.file) });
  const { outcomes, outstanding } = await runLogouts(logins, paths, timeoutMs, {
    envFor,
    // One writer of the file at a time, across every job of ours on this runner.
    exclusive: (t, work) => withFileLock(t.file, timeoutMs, work, { unlockedIfBlocked: (line) => rt.warning(line, `${t.client} logout`) }),
    stillOurs: async (t) => {
      const now = owners.length > 0 ? await currentHash(t, envFor(t), timeoutMs) : undefined;
      return now === undefined || owners.includes(now);
    },
    putBack: (t) => putBack(t, earlier, envFor(t), timeoutMs),
  });
  for (const o of outcomes) {
    if (o.ok) rt.info(`${o.client}: ${describeOutcome(o)} (${o.host}).`);
    else rt.warning(describeOutcome(o), `${o.client} logout`);
  }
  await rt.writeSummary(renderLogoutSummary(outcomes));
  return { problems: outcomes.filter((o) => !o.ok).length, outstanding: [...outstanding] };
}
