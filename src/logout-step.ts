// The post step: log out exactly the logins main recorded. Never fails the job.
import { clientLogout } from './client-run.ts';
import { credentialsFile } from './clients.ts';
import { clientEnv, platformOf } from './env.ts';
import { describe } from './errors.ts';
import { which } from '@actions/io';
import type { Runtime } from './runtime.ts';
import { decodeLogins, groupBy, runGrouped, type Outcome } from './session.ts';
import { STATE } from './settings.ts';
import { renderLogoutSummary } from './summary.ts';

const LOGOUT_TIMEOUT_MS = 60_000;

export async function logoutStep(rt: Runtime): Promise<void> {
  try {
    if (rt.getState(STATE.logout) === 'false') {
      rt.info('Input logout is false: leaving the clients logged in.');
      return;
    }
    const logins = decodeLogins(rt.getState(STATE.logins));
    if (logins.length === 0) {
      rt.info('Nothing to log out.');
      return;
    }
    const env = clientEnv(rt.env, []);
    const platform = platformOf(env);
    const paths = new Map<string, string>();
    for (const name of new Set(logins.map((l) => l.client))) paths.set(name, await which(name, false));

    const groups = groupBy(logins, (l) => credentialsFile(l.client, platform));
    const outcomes = await runGrouped(groups, async (login): Promise<Outcome> => {
      const path = paths.get(login.client);
      if (!path) return { ...login, ok: false, detail: `${login.client} is no longer on PATH, so its login to ${login.host} could not be removed.` };
      return clientLogout({ name: login.client, path }, login.host, { env, timeoutMs: LOGOUT_TIMEOUT_MS });
    });
    for (const o of outcomes) {
      if (o.ok) rt.info(`${o.client} ${o.detail} of ${o.host}.`);
      else rt.warning(o.detail, `${o.client} logout`);
    }
    await rt.writeSummary(renderLogoutSummary(outcomes));
  } catch (error) {
    rt.warning(describe(error), 'logout');
  }
}
