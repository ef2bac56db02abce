// Process groups of the clients a step starts: each client runs in a group of its own, so a time
// limit, a cancelled step or post can stop it together with everything it started (a credential
// helper, a wrapper's children). One ProcessGroups per step run, handed to whatever starts clients.
import { GROUP_EXIT_MS } from '../lib/limits.ts';
import { sleep } from '../lib/retry.ts';

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

/** Post's part: kills groups main could not stop (it was killed itself) and waits, briefly, until they are gone. */
export async function killGroups(pgids: readonly number[], waitMs = GROUP_EXIT_MS): Promise<void> {
  if (!GROUPS) return;
  for (const pgid of pgids) killGroup(pgid);
  const deadline = Date.now() + waitMs;
  while (pgids.some(groupAlive) && Date.now() < deadline) await sleep(50);
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
   * Until the returned function is called: on SIGINT or SIGTERM (a cancelled job), stops every client,
   * lets `onStop` record and report it, and exits at once; the post step runs next and undoes what the
   * clients did.
   */
  exitOnSignals(onStop: (signal: NodeJS.Signals) => void): () => void {
    const handle = (signal: NodeJS.Signals): void => {
      this.stopAll();
      try {
        onStop(signal);
      } finally {
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
    };
    process.once('SIGINT', handle);
    process.once('SIGTERM', handle);
    return () => {
      process.off('SIGINT', handle);
      process.off('SIGTERM', handle);
    };
  }
}
