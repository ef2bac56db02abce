// The login's access check of input images (src/access/): started beside the logins, its outputs and
// its failure after them, so post still logs out every login when a check is denied.
import type { AccessReport } from '../../access/check.ts';
import { passedImages } from '../../access/summary.ts';
import type { IamTokens } from '../../iam/answer.ts';
import type { HostCredentials } from '../../iam/credential.ts';
import { UserError } from '../../lib/errors.ts';
import { OUTPUT, type Settings } from '../../inputs/settings.ts';
import { secondsToMs } from '../../lib/time.ts';
import type { Runtime } from '../runtime.ts';

/**
 * The hosts whose images are checked: ICR's, and the entitled registry only where an image names it (it
 * is pull-only and holds no namespace of ours, so an image without a host is never checked there).
 */
export const checkedHosts = (settings: Settings): readonly string[] => {
  const entitled = settings.entitled?.host;
  return entitled && settings.images.some((i) => i.host === entitled) ? [...settings.hosts, entitled] : settings.hosts;
};

/**
 * Starts the check of input images on every checked host; resolves undefined at once when images is
 * empty (and the check's code is then never loaded).
 */
export function startAccessCheck(
  rt: Runtime,
  settings: Settings,
  credentials: HostCredentials,
  tokens: IamTokens | undefined,
): Promise<AccessReport | undefined> {
  if (settings.images.length === 0) return Promise.resolve(undefined);
  const iam = tokens?.accessToken && tokens.accountId ? { accessToken: tokens.accessToken, accountId: tokens.accountId } : undefined;
  // ICR's API is ICR's: the entitled registry has none of ours.
  const iamOf = (host: string) => (host === settings.entitled?.host ? undefined : iam);
  const check = import('../../access/check.ts').then(({ checkAccess }) =>
    checkAccess({
      hosts: checkedHosts(settings),
      everywhere: settings.hosts,
      images: settings.images,
      access: settings.access,
      createNamespace: settings.createNamespace,
      credentialOf: (host) => credentials.get(host)!,
      iamOf,
      timeoutMs: secondsToMs(settings.timeoutSeconds),
      env: rt.env,
      log: { info: (m) => rt.info(m), warning: (m, t) => rt.warning(m, t), debug: (m) => rt.debug(m), mask: (s) => rt.mask(s) },
    }),
  );
  // Awaited after the logins; handled here so a failure meanwhile is not an unhandled rejection.
  check.catch(() => {});
  return check;
}

/** Output images, and the step's failure when any check did not pass: one line per host and image. */
export function finishAccessCheck(rt: Runtime, settings: Settings, report: AccessReport | undefined): void {
  if (!report) return;
  rt.setOutput(OUTPUT.images, passedImages(report, checkedHosts(settings)).join(','));
  const lines = [...new Set(report.rows.flatMap((r) => (r.line ? [r.line] : [])))];
  if (lines.length > 0) {
    // One line per host and image; the last says what becomes of the logins.
    const last = `${lines.pop()!} The logins succeeded; ${rt.words.undo} logs them out.`;
    throw new UserError([...lines, last], 'images');
  }
  const what = settings.access === 'push' ? 'push to' : 'pull from';
  rt.info(`The key can ${what} ${passedImages(report, checkedHosts(settings)).join(', ')}.`);
}
