// One writer at a time for a credentials file, across processes: every run of ours (other jobs on a
// shared runner included) takes an exclusive lock file beside it before a client or we write it.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { msToSeconds } from '../lib/time.ts';
import { parseJsonObject } from '../lib/json.ts';
import { sleep } from '../lib/retry.ts';
import { UserError } from '../lib/errors.ts';

interface Holder {
  readonly pid: number;
  readonly token: string;
  readonly since: number;
  /** The holder's own bound: after it, the lock is taken over even if the pid lives (or was reused). */
  readonly until: number;
}

export const lockPath = (file: string): string => `${file}.icr-login.lock`;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const stale = (h: Holder, now: number): boolean => !alive(h.pid) || now > h.until;

async function readHolder(path: string): Promise<Holder | undefined> {
  const v = parseJsonObject(await readFile(path, 'utf8').catch(() => undefined));
  return v && typeof v['pid'] === 'number' && typeof v['until'] === 'number' ? (v as unknown as Holder) : undefined;
}

/**
 * Runs `work` holding the lock of `file`, waiting at most `waitMs` for another holder. Where no lock
 * can be made (the folder cannot be written), `work` runs without one: its own write fails there too.
 */
export async function withFileLock<T>(file: string, waitMs: number, work: () => Promise<T>): Promise<T> {
  const path = lockPath(file);
  const held = await acquire(path, waitMs, file);
  try {
    return await work();
  } finally {
    if (held && (await readHolder(path))?.token === held) await rm(path, { force: true }).catch(() => {});
  }
}

async function acquire(path: string, waitMs: number, file: string): Promise<string | undefined> {
  const token = randomUUID();
  const deadline = Date.now() + waitMs;
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  } catch {
    return undefined;
  }
  for (;;) {
    const now = Date.now();
    try {
      const handle = await open(path, 'wx', 0o600);
      // A holder holds for one client command and its retries, or one put-back: twice the wait is ample.
      const holder: Holder = { pid: process.pid, token, since: now, until: now + 2 * waitMs + 10_000 };
      await handle.writeFile(JSON.stringify(holder));
      await handle.close();
      return token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
    }
    const holder = await readHolder(path);
    // A holder that died (a killed job) or overstayed its own bound leaves the lock to us. A holder
    // still writing its file reads as undefined for a moment; one that never finished writing it is stale.
    const unreadable = !holder && now - ((await stat(path).catch(() => undefined))?.mtimeMs ?? 0) > 5000;
    if (unreadable || (holder && stale(holder, now))) {
      await rm(path, { force: true }).catch(() => {});
      continue;
    }
    if (now >= deadline) {
      throw new UserError(
        `Another icr-login job (pid ${holder?.pid ?? 'unknown'}) kept ${file} locked for more than ${Math.round(msToSeconds(waitMs))} s (${path}); set isolate: true where jobs share a machine, or raise input timeout.`,
        'credentials file locked',
      );
    }
    await sleep(25 + Math.random() * 50);
  }
}
