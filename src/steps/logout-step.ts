// The post step: log out exactly the logins main recorded, from the files main wrote, put back
// earlier credentials, remove our files. Never fails the job: every problem is a warning.
import { sep } from 'node:path';
import { secondsToMs } from '../lib/time.ts';
import { maskable, parseApiKey } from '../inputs/apikey.ts';
import { findClient } from '../clients/discover.ts';
import { pinnedTo } from '../credential-files/paths.ts';
import { loadEarlier, restoreEarlier, type Earlier } from '../credential-files/earlier.ts';
import { clientEnv } from '../clients/env.ts';
import { describe } from '../lib/errors.ts';
import { runLogouts } from '../clients/run-logouts.ts';
import { removeQuietly } from '../credential-files/private-files.ts';
import { killGroups } from '../clients/groups.ts';
import { withFileLock } from '../credential-files/lock.ts';
import { currentHash, removeRecord } from '../credential-files/ours.ts';
import { liesIn, verifiedRunFolder } from '../credential-files/run-folder.ts';
import type { Runtime } from './runtime.ts';
import { describeOutcome, done, entryKey, failed, type Outcome, type Target } from '../clients/plan.ts';
import { readState, type StepState } from './state.ts';
import { runnerTemp } from './login-environment.ts';
import { INPUT } from '../inputs/settings.ts';
import { renderLogoutSummary } from './summary.ts';

/** The runner hands post the inputs again: every form of the key is masked and kept from the logouts. */
function keySecrets(raw: string): string[] {
  try {
    return [...parseApiKey(raw).secrets];
  } catch {
    return maskable(raw);
  }
}

export interface LogoutResult {
  /** Everything was logged out (or left in place by logout: false). */
  readonly ok: boolean;
  /** Logins still in place that a later try could remove: failed, and not overwritten by earlier credentials. */
  readonly outstanding: readonly Target[];
}

/**
 * What of the state post may act on: paths only inside main's own folder under RUNNER_TEMP, which
 * post verifies before it reads or deletes anything there.
 */
async function trusted(rt: Runtime): Promise<StepState & { folder: string | undefined }> {
  const state = readState(rt);
  const folder = state.run ? await verifiedRunFolder(runnerTemp(rt), state.run) : undefined;
  const inside = async (path: string | undefined): Promise<boolean> => !!path && !!folder && (await liesIn(path, folder));
  return {
    ...state,
    folder,
    isolation: (await inside(state.isolation?.dir)) ? state.isolation : undefined,
    earlierPath: (await inside(state.earlierPath)) ? state.earlierPath : undefined,
  };
}

/** Logs out what main recorded; every problem is a warning. */
export async function logoutStep(rt: Runtime): Promise<LogoutResult> {
  const state = await trusted(rt);
  const { isolation, logins, folder } = state;
  const keep = !state.logout;
  // A client main could not stop (main was killed) must not write after the logout.
  await killGroups(state.groups);
  try {
    if (keep) {
      rt.info('Input logout is false: leaving the clients logged in.');
      return { ok: true, outstanding: [] };
    }
    const secrets = keySecrets(rt.getInput(INPUT.apiKey));
    for (const s of secrets) rt.mask(s);
    const { problems, outstanding } = await logOut(rt, state, clientEnv(rt.env, secrets));
    // Logins in the isolated folder go with it.
    return { ok: problems === 0, outstanding: outstanding.filter((t) => !(isolation && t.file.startsWith(`${isolation.dir}${sep}`))) };
  } catch (error) {
    rt.warning(describe(error), 'logout');
    return { ok: false, outstanding: logins };
  } finally {
    // Main's folder (the copy of earlier credentials, the isolated files) goes whatever happened
    // above; on GitHub the runner also empties RUNNER_TEMP at the end of every job.
    if (folder) await removeQuietly(folder);
    if (state.run) await removeRecord(rt.env, state.run);
  }
}

/** Counts what went wrong, and names the logins whose logout failed and whose entry was not put back. */
async function logOut(
  rt: Runtime,
  { logins, timeoutSeconds, earlierPath, earlierHosts, owner }: StepState,
  env: NodeJS.ProcessEnv,
): Promise<{ problems: number; outstanding: Target[] }> {
  if (logins.length === 0) {
    rt.info('Nothing to log out.');
    return { problems: 0, outstanding: [] };
  }
  const timeoutMs = secondsToMs(timeoutSeconds);
  // Main's folder is trusted only when it is still there and its own (see trusted()), so a copy that a
  // later step removed shows here as no path, or as a file that cannot be read.
  const kept = earlierPath ? await loadEarlier(earlierPath) : undefined;
  if (kept === undefined && earlierHosts.length > 0) {
    rt.warning(
      `The copy of the credentials ${earlierHosts.join(', ')} had before ${rt.words.before} is gone from ${runnerTemp(rt)} (was it emptied?), so ${rt.words.undoer} cannot put them back; log in to ${earlierHosts.length > 1 ? 'them' : 'it'} again by hand.`,
      'earlier credentials',
    );
  }
  const earlier = kept ?? [];
  const names = [...new Set(logins.map((l) => l.client))];
  const paths = new Map(await Promise.all(names.map(async (name) => [name, await findClient(name)] as const)));
  const envFor = (t: Target): NodeJS.ProcessEnv => ({ ...env, ...pinnedTo(t.client, t.file) });
  const { outcomes, outstanding } = await runLogouts(logins, paths, timeoutMs, {
    envFor,
    // One writer of the file at a time, across every job of ours on this runner.
    exclusive: (t, work) => withFileLock(t.file, timeoutMs, work, { unlockedIfBlocked: (line) => rt.warning(line, `${t.client} logout`) }),
    stillOurs: async (t) => {
      const now = owner ? await currentHash(t, envFor(t), timeoutMs) : undefined;
      return now === undefined || now === owner;
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

async function putBack(target: Target, earlier: readonly Earlier[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Outcome[]> {
  const mine = earlier.filter((e) => entryKey(e) === entryKey(target));
  if (mine.length === 0) return [];
  const problems = await restoreEarlier(mine, env, timeoutMs);
  if (problems.length === 0) return [done(target, 'put-back')];
  return problems.map((problem) => failed(target, problem));
}
