// Process groups of the clients a step starts: each client runs in a group of its own, so a time
// limit, a cancelled step or post can stop it together with everything it started (a credential
// helper, a wrapper's children). One ProcessGroups per step run, handed to whatever starts clients.
import { constants } from 'node:os';
import { GROUP_EXIT_MS } from '../lib/limits.ts';
import { sleep } from '../lib/retry.ts';
import { groupsNow, startedWith } from './processes.ts';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Groups need POSIX process groups; on Windows a client is stopped alone. */
export const GROUPS = process.platform !== 'win32';

/** Kills every process left in the group; quiet when none is. */
export function killGroup(pgid: number): void {
  if (!GROUPS) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The variable main sets on every client it starts, to this run's id: how post tells a group main started. Not a secret. */
export const RUN_MARK = 'ICR_LOGIN_RUN';

/**
 * Post's part: kills the groups main could not stop (it was killed itself), each only once one of its
 * processes proves it main's, by this run's mark in the environment it was started with. A group id
 * is free for reuse only once every process of the group is gone (docs/icr.md#process-groups), so a
 * group with a marked process in it is the very group main started, its leader still there or not (a
 * wrapper's child outlives it); a group without one took the id later, or holds only processes that
 * cleared their environment, and is left alone. Without /proc (macOS) nothing proves a group ours, and
 * none is killed. Waits, briefly, until the killed groups are gone.
 */
export async function killOurGroups(
  pgids: readonly number[],
  run: string,
  waitMs = GROUP_EXIT_MS,
): Promise<{ killed: number[]; spared: number[] }> {
  const now = GROUPS && pgids.length > 0 ? groupsNow() : undefined;
  const killed = pgids.filter((pgid) => now?.get(pgid)?.some((pid) => startedWith(pid, RUN_MARK, run)));
  for (const pgid of killed) killGroup(pgid);
  const deadline = Date.now() + waitMs;
  while (killed.some(groupAlive) && Date.now() < deadline) await sleep(50);
  return { killed, spared: pgids.filter((pgid) => !killed.includes(pgid) && now?.has(pgid) !== false) };
}

/** The groups of one step run: which are live, who hears of each new one, and what a cancelled step does. */
export class ProcessGroups {
  private readonly live = new Set<number>();
  private stopping = false;
  private readonly heard: (pgid: number) => void;

  /** `heard` is told of each group as it starts (main saves it for post). */
  constructor(heard: (pgid: number) => void = () => {}) {
    this.heard = heard;
  }

  started(pgid: number): void {
    this.live.add(pgid);
    this.heard(pgid);
  }

  ended(pgid: number): void {
    killGroup(pgid);
    this.live.delete(pgid);
  }

  /** Whether a cancelled step refuses to start more clients. */
  get isStopping(): boolean {
    return this.stopping;
  }

  /** Stops every client still running, and refuses any started later. */
  stopAll(): void {
    this.stopping = true;
    for (const pgid of this.live) killGroup(pgid);
    this.live.clear();
  }

  /**
   * Until the returned function is called: on SIGINT or SIGTERM (a cancelled job) or SIGHUP (the CLI's
   * terminal gone), stops every client, lets `onStop` record and report it, and exits at once; the
   * post step (or `icr-login logout`) runs next and undoes what the clients did.
   */
  exitOnSignals(onStop: (signal: NodeJS.Signals) => void): () => void {
    const handle = (signal: NodeJS.Signals): void => {
      this.stopAll();
      try {
        onStop(signal);
      } finally {
        process.exit(128 + (constants.signals[signal] ?? 15));
      }
    };
    for (const signal of STOP_SIGNALS) process.once(signal, handle);
    return () => {
      for (const signal of STOP_SIGNALS) process.off(signal, handle);
    };
  }
}
