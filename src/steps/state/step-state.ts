// What main hands post: the shape of the step's saved state and the names it is saved under. The
// state module (this folder) is the only code that knows them: one writer (writer.ts: main's phases
// call it as each fact comes to exist), one reader (reader.ts: validates every field, so post never
// acts on a value it did not expect). Every login and process group is saved as a value of its own,
// so the state grows by one short line per login (never the whole list again), how each login ended
// is a value of its own saved the moment main knows it, and each carries the
// run id main saved first: a STATE_* variable an earlier step exported through GITHUB_ENV cannot know
// that id, so it is never taken for something main wrote (and a value main saved wins over an
// exported one of the same name: docs/icr.md, "The GitHub runner's step state").
import type { Recorded } from '../../clients/plan.ts';
import type { Isolation } from '../../credential-files/isolation.ts';
import { DEFAULT_TIMEOUT_SECONDS } from '../../lib/limits.ts';

export interface StepState {
  /** The random id of main's run; '' when main saved none (then post has nothing to act on). */
  readonly run: string;
  /** false: post leaves the logins in place (input logout). */
  readonly logout: boolean;
  readonly timeoutSeconds: number;
  /**
   * Every login main meant to make (saved before its client started), with the credentials file it
   * writes and how main saw it end (none when main was killed first, or the record is unreadable).
   */
  readonly logins: readonly Recorded[];
  readonly isolation: Isolation | undefined;
  /** The 0600 file holding what the hosts had before the step. */
  readonly earlierPath: string | undefined;
  /** The hosts whose earlier credentials that file holds (names only), to say which are lost if it goes. */
  readonly earlierHosts: readonly string[];
  /** SHA-256 of each `username:secret` pair main stored, one per credential (credential-files/ours.ts says why it is no secret). */
  readonly owners: readonly string[];
  /** Process groups of clients main started and may not have stopped (none once main saw them all end). */
  readonly groups: readonly number[];
  /** Main saw every client it started end: it finished, or stopped them when it was cancelled. */
  readonly stopped: boolean;
}

/** Where state is kept: the runner's STATE_ variables, or a CLI session file. */
export interface StateStore {
  saveState(name: string, value: string): void;
  getState(name: string): string;
}

export const NAME = {
  run: 'run',
  logout: 'logout',
  isolated: 'isolated',
  earlier: 'earlier',
  earlierHosts: 'earlier-hosts',
  timeout: 'timeout',
  owner: 'owner',
  stopped: 'stopped',
  login: (n: number) => `login_${n}`,
  group: (n: number) => `pgid_${n}`,
  ended: (n: number) => `ended_${n}`,
} as const;

export const EMPTY_STATE: StepState = {
  run: '',
  logout: true,
  timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
  logins: [],
  isolation: undefined,
  earlierPath: undefined,
  earlierHosts: [],
  owners: [],
  groups: [],
  stopped: false,
};

/** Whether post has anything to undo or remove. */
export function leavesWork(state: StepState): boolean {
  return state.logins.length > 0 || state.isolation !== undefined || state.earlierPath !== undefined;
}
