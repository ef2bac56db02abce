// The post step: log out exactly the logins main recorded, put back earlier credentials, remove our files.
// Never fails the job: every problem is a warning.
import { which } from '@actions/io';
import { maskable } from './apikey.ts';
import { dirname } from 'node:path';
import { clientLogout } from './client-run.ts';
import { credentialsFile, sharesContainersAuth } from './clients.ts';
import { loadEarlier, restoreEarlier } from './earlier-credentials.ts';
import { clientEnv, platformOf } from './env.ts';
import { describe } from './errors.ts';
import { decodeIsolation, isolationEnv } from './isolation.ts';
import { removeQuietly } from './private-files.ts';
import type { Runtime } from './runtime.ts';
import { decodeLogins, groupBy, runGrouped, type Outcome } from './session.ts';
import { INPUT, STATE } from './settings.ts';
import { renderLogoutSummary } from './summary.ts';

/** Logs out what main recorded. Resolves false when anything could not be undone (all of it warned). */
export async function logoutStep(rt: Runtime): Promise<boolean> {
  const earlierPath = rt.getState(STATE.earlier);
  try {
    if (rt.getState(STATE.logout) === 'false') {
      rt.info('Input logout is false: leaving the clients logged in.');
      return true;
    }
    // The runner hands post the inputs again: the key is masked and kept from the logout commands too.
    const secrets = maskable(rt.getInput(INPUT.apiKey));
    for (const s of secrets) rt.mask(s);
    const isolation = decodeIsolation(rt.getState(STATE.isolated));
    const env = clientEnv(rt.env, secrets);
    const ok = await logOut(rt, isolation ? { ...env, ...isolationEnv(isolation) } : env);
    if (isolation) await removeQuietly(isolation.dir);
    return ok;
  } catch (error) {
    rt.warning(describe(error), 'logout');
    return false;
  } finally {
    // The only file of ours that holds anyone's credentials goes, whatever happened above.
    if (earlierPath) await removeQuietly(dirname(earlierPath));
  }
}

async function logOut(rt: Runtime, env: NodeJS.ProcessEnv): Promise<boolean> {
  const logins = decodeLogins(rt.getState(STATE.logins));
  if (logins.length === 0) {
    rt.info('Nothing to log out.');
    return true;
  }
  const timeoutMs = (Number(rt.getState(STATE.timeout)) || 60) * 1000;
  const platform = platformOf(env);
  const earlier = await loadEarlier(rt.getState(STATE.earlier));
  const names = [...new Set(logins.map((l) => l.client))];
  const paths = new Map(await Promise.all(names.map(async (name) => [name, await which(name, false)] as const)));

  const targets = logins.map((l) => ({ ...l, file: credentialsFile(l.client, platform) }));
  const groups = groupBy(targets, (t) => t.file);
  const outcomes = await runGrouped(groups, () => {
    // Within one file, one containers tool's logout removes the entry every one of them reads.
    const removedBy = new Map<string, string>();
    return async (target): Promise<Outcome[]> => {
      const path = paths.get(target.client);
      const shared = sharesContainersAuth(target.client) ? removedBy.get(target.host) : undefined;
      const outcome: Outcome = shared
        ? { ...target, ok: true, detail: `logged out with ${shared}` }
        : path
          ? await clientLogout({ name: target.client, path }, target.host, { env, timeoutMs })
          : { ...target, ok: false, detail: `${target.client} is no longer on PATH, so its login to ${target.host} could not be removed.` };
      if (outcome.ok && !shared && sharesContainersAuth(target.client)) removedBy.set(target.host, target.client);
      // Last writer of this file for this host: put back what it held before the step.
      const isLast = groups.find((g) => g.includes(target))!.filter((t) => t.host === target.host).at(-1) === target;
      if (!isLast) return [outcome];
      const mine = earlier.filter((e) => e.file === target.file && e.host === target.host);
      const problems = await restoreEarlier(mine, env, timeoutMs);
      const restored: Outcome[] = mine.length > 0 && problems.length === 0 ? [{ ...target, ok: true, detail: 'earlier credentials put back' }] : [];
      return [outcome, ...restored, ...problems.map((detail) => ({ ...target, ok: false, detail: `${detail}.` }))];
    };
  });
  for (const o of outcomes.flat()) {
    if (o.ok) rt.info(`${o.client}: ${o.detail} (${o.host}).`);
    else rt.warning(o.detail, `${o.client} logout`);
  }
  await rt.writeSummary(renderLogoutSummary(outcomes.flat()));
  return outcomes.flat().every((o) => o.ok);
}
