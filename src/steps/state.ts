// What main hands post: the only code that knows the names and shapes of the step's saved state.
// One writer (main's phases call it as each fact comes to exist), one reader that validates every
// field, so post never acts on a value it did not expect. Every login and process group is saved as
// a value of its own, so the state grows by one short line per login (never the whole list again),
// and each carries the run id main saved first: a STATE_* variable an earlier step exported through
// GITHUB_ENV cannot know that id, so it is never taken for something main wrote (and a value main
// saved wins over an exported one of the same name: docs/icr.md, "The GitHub runner's step state").
import type { Target } from '../clients/plan.ts';
import type { Isolation } from '../credential-files/isolation.ts';
import { DEFAULT_TIMEOUT_SECONDS } from '../inputs/settings.ts';
import { decodeGroup, decodeIsolation, decodeLogin, decodeStrings, entries } from './state-values.ts';

export interface StepState {
  /** The random id of main's run; '' when main saved none (then post has nothing to act on). */
  readonly run: string;
  /** false: post leaves the logins in place (input logout). */
  readonly logout: boolean;
  readonly timeoutSeconds: number;
  /** Every login main meant to make (saved before its client started), with the credentials file it writes. */
  readonly logins: readonly Target[];
  readonly isolation: Isolation | undefined;
  /** The 0600 file holding what the hosts had before the step. */
  readonly earlierPath: string | undefined;
  /** The hosts whose earlier credentials that file holds (names only), to say which are lost if it goes. */
  readonly earlierHosts: readonly string[];
  /** SHA-256 of the `username:secret` pair main stored (credential-files/ours.ts says why it is no secret). */
  readonly owner: string | undefined;
  /** Process groups of clients main started and may not have stopped (none once main saw them all end). */
  readonly groups: readonly number[];
}

/** Where state is kept: the runner's STATE_ variables, or a CLI session file. */
export interface StateStore {
  saveState(name: string, value: string): void;
  getState(name: string): string;
}

const NAME = {
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
} as const;

export const EMPTY_STATE: StepState = {
  run: '',
  logout: true,
  timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
  logins: [],
  isolation: undefined,
  earlierPath: undefined,
  earlierHosts: [],
  owner: undefined,
  groups: [],
};

const loginKey = (t: Target): string => `${t.client}\n${t.file}\n${t.host}`;

/** Saves each part of the state the moment it exists; never a secret. `begin` comes first. */
export function stateWriter(store: StateStore) {
  let run = '';
  const logins = new Set<string>();
  let groups = 0;
  return {
    begin(id: string): void {
      run = id;
      store.saveState(NAME.run, id);
    },
    settings(logout: boolean, timeoutSeconds: number): void {
      store.saveState(NAME.logout, String(logout));
      store.saveState(NAME.timeout, String(timeoutSeconds));
    },
    isolation(isolation: Isolation): void {
      store.saveState(NAME.isolated, JSON.stringify(isolation));
    },
    earlier(path: string, hosts: readonly string[]): void {
      store.saveState(NAME.earlierHosts, JSON.stringify([...new Set(hosts)]));
      store.saveState(NAME.earlier, path);
    },
    owner(hash: string): void {
      store.saveState(NAME.owner, hash);
    },
    /** A login about to start: saved before its client runs, once per (client, file, host). */
    login({ client, host, file }: Target): void {
      const key = loginKey({ client, host, file });
      if (logins.has(key)) return;
      store.saveState(NAME.login(logins.size), JSON.stringify({ run, client, host, file }));
      logins.add(key);
    },
    /** A client's process group, saved as it starts. */
    group(pgid: number): void {
      store.saveState(NAME.group(groups++), `${run}:${pgid}`);
    },
    /** Every client main started has ended (or main killed it). */
    stopped(): void {
      store.saveState(NAME.stopped, run);
    },
  };
}

export type StateWriter = ReturnType<typeof stateWriter>;

/** Reads and validates what main saved; anything malformed, or not of main's run, reads as absent. */
export function readState(store: Pick<StateStore, 'getState'>): StepState {
  const run = store.getState(NAME.run);
  if (!/^[\w-]{8,64}$/.test(run)) return EMPTY_STATE;
  const timeout = Number(store.getState(NAME.timeout));
  return {
    run,
    logout: store.getState(NAME.logout) !== 'false',
    timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_SECONDS,
    logins: entries(store, NAME.login, (text) => decodeLogin(text, run)),
    isolation: decodeIsolation(store.getState(NAME.isolated)),
    earlierPath: store.getState(NAME.earlier) || undefined,
    earlierHosts: decodeStrings(store.getState(NAME.earlierHosts)),
    owner: /^[0-9a-f]{64}$/.test(store.getState(NAME.owner)) ? store.getState(NAME.owner) : undefined,
    groups: store.getState(NAME.stopped) === run ? [] : entries(store, NAME.group, (text) => decodeGroup(text, run)),
  };
}

/** The state as saved values, for a store that is written whole (a CLI session). */
export function encodeState(state: StepState): Record<string, string> {
  const saved: Record<string, string> = {};
  const writer = stateWriter({ saveState: (name, value) => (saved[name] = value), getState: () => '' });
  writer.begin(state.run);
  writer.settings(state.logout, state.timeoutSeconds);
  for (const login of state.logins) writer.login(login);
  if (state.isolation) writer.isolation(state.isolation);
  if (state.earlierPath) writer.earlier(state.earlierPath, state.earlierHosts);
  if (state.owner) writer.owner(state.owner);
  for (const pgid of state.groups) writer.group(pgid);
  return saved;
}

/** Whether post has anything to undo or remove. */
export function leavesWork(state: StepState): boolean {
  return state.logins.length > 0 || state.isolation !== undefined || state.earlierPath !== undefined;
}
