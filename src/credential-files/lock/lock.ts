// One writer at a time for a credentials file, across processes: every run of ours (other jobs on a
// shared runner included) takes an exclusive lock file beside it before a client or we write it.
// The lock file appears whole (a holder file written first, then linked into place: link() never
// replaces), and is only ever removed through its claim (claim.ts): a stale lock goes once,
// to one taker, and a release never removes a lock that is no longer its own.
import { randomUUID } from '../../lib/random-id.ts';
import { link, mkdir, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { msToSeconds } from '../../lib/time.ts';
import { sleep } from '../../lib/retry.ts';
import { errnoCode, UserError } from '../../lib/errors.ts';
import { isStale, look, NotALockFile, writeHolder, type Holder } from './files.ts';
import { holderFile, removeExactly, sweep } from './claim.ts';

export const lockPath = (file: string): string => `${file}.icr-login.lock`;

/** A lock this process holds, and its holder file (kept until the release, which claims with it). */
interface Held {
  readonly holder: Holder;
  readonly mine: string;
}

/** A release this close to the holder's own bound leaves the lock to the waiter that will take it over. */
const RELEASE_MARGIN_MS = 5000;

export interface LockOptions {
  /**
   * For a writer that only removes what this run put there (a logout): when the lock path is not a
   * lock file, `work` runs without the lock and this hears one line saying so, since a key of ours
   * left in the file is worse than a turn not taken. Without it, that is an error.
   */
  readonly unlockedIfBlocked?: (warning: string) => void;
}

/**
 * Runs `work` holding the lock of `file`, waiting at most `waitMs` for another holder. Where no lock
 * can be made (the folder cannot be written), `work` runs without one: its own write fails there too.
 */
export async function withFileLock<T>(file: string, waitMs: number, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const path = lockPath(file);
  const held = await acquire(path, waitMs, file).catch((error: unknown) => {
    if (!(error instanceof NotALockFile) || !options.unlockedIfBlocked) throw error;
    options.unlockedIfBlocked(
      `${error.path} is ${error.what}, not icr-login's lock file, so this logout wrote ${file} without taking its turn; remove it so jobs take turns writing the file again.`,
    );
    return undefined;
  });
  try {
    return await work();
  } finally {
    if (held) await release(path, held);
  }
}

async function acquire(path: string, waitMs: number, file: string): Promise<Held | undefined> {
  const since = Date.now();
  // A holder holds for one client command and its retries, or one put-back: twice the wait is ample.
  const holder: Holder = { pid: process.pid, token: randomUUID(), since, until: since + 2 * waitMs + 10_000 };
  const mine = holderFile(path, holder);
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeHolder(mine, holder);
  } catch {
    return undefined;
  }
  let held = false;
  try {
    held = await take(path, mine, since + waitMs, (pid) => {
      return new UserError(
        `Another icr-login job (pid ${pid ?? 'unknown'}) kept ${file} locked for more than ${Math.round(msToSeconds(waitMs))} s (${path}); set isolate: true where jobs share a machine, or raise input timeout.`,
        'credentials file locked',
      );
    });
    return held ? { holder, mine } : undefined;
  } finally {
    if (!held) await unlink(mine).catch(() => {});
  }
}

/** Links the holder file `mine` as the lock; false when no lock can be made there. Every wait ends by `deadline`. */
async function take(path: string, mine: string, deadline: number, heldTooLong: (pid: number | undefined) => UserError): Promise<boolean> {
  for (let round = 0; ; round++) {
    const linked = await link(mine, path).then(
      () => true,
      // Not EEXIST: no hard links here (FAT, some network shares), so no lock can be made, nor released
      // safely (the claim is a link too): the work goes on without one, as where the folder is not ours to write.
      (error: unknown) => (errnoCode(error, '') === 'EEXIST' ? undefined : false),
    );
    if (linked !== undefined) return linked;
    const seen = await look(path);
    if (seen.kind === 'other') throw new NotALockFile(path, seen.what);
    // A holder that died (a killed job) or overstayed its own bound leaves the lock to one of us.
    const freed = seen.kind === 'missing' || (isStale(seen) && (await removeExactly(path, seen.id, isStale, mine)) !== 'busy');
    if (Date.now() >= deadline) throw heldTooLong(seen.kind === 'lock' ? seen.holder?.pid : undefined);
    if (freed) continue;
    if (round % 20 === 0) await sweep(path);
    await sleep(25 + Math.random() * 50);
  }
}

/**
 * Removes this holder's lock, only while it still is this holder's, and only well within its own
 * bound (past it, a waiter may be taking it over: it is theirs to remove); then what killed takers left.
 */
async function release(path: string, { holder, mine }: Held): Promise<void> {
  if (Date.now() + RELEASE_MARGIN_MS < holder.until) await removeExactly(path, holder.token, () => true, mine).catch(() => {});
  await unlink(mine).catch(() => {});
  await sweep(path).catch(() => {});
}
