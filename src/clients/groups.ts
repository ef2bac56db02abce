// Process groups of the clients we start: each client runs in a group of its own, so a time limit,
// a cancelled step or post can stop it together with everything it started (a credential helper, a
// wrapper's children). Process-wide by nature: signals and PIDs are.
import { sleep } from '../lib/retry.ts';

/** Groups need POSIX process groups; on Windows a client is stopped alone. */
export const GROUPS = process.platform !== 'win32';

const live = new Set<number>();
let listener: ((pgid: number) => void) | undefined;
let stopping = false;

/** Hears of each group as it starts (main saves it for post). */
export function onGroupStart(hear: (pgid: number) => void): void {
  listener = hear;
}

export function groupStarted(pgid: number): void {
  live.add(pgid);
  listener?.(pgid);
}

/** Kills every process left in the group; quiet when none is. */
export function killGroup(pgid: number): void {
  if (!GROUPS) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

export function groupEnded(pgid: number): void {
  killGroup(pgid);
  live.delete(pgid);
}

/** Whether a cancelled step refuses to start more clients. */
export const isStopping = (): boolean => stopping;

/** Stops every client still running, and any started later. */
export function stopAll(): void {
  stopping = true;
  for (const pgid of live) killGroup(pgid);
  live.clear();
}

const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Post's part: kills groups main could not stop (it was killed itself) and waits, briefly, until they are gone. */
export async function killGroups(pgids: readonly number[], waitMs = 3000): Promise<void> {
  if (!GROUPS) return;
  for (const pgid of pgids) killGroup(pgid);
  const deadline = Date.now() + waitMs;
  while (pgids.some(groupAlive) && Date.now() < deadline) await sleep(50);
}

/**
 * On SIGINT or SIGTERM (a cancelled job), stops every client, lets `onStop` record and report it,
 * and exits at once: the post step runs next and undoes what the clients did.
 */
export function exitOnSignals(onStop: (signal: NodeJS.Signals) => void): void {
  const handle = (signal: NodeJS.Signals): void => {
    stopAll();
    try {
      onStop(signal);
    } finally {
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
  };
  process.once('SIGINT', handle);
  process.once('SIGTERM', handle);
}
