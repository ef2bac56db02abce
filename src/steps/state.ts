// What main hands post: the only code that knows the names and shapes of the step's saved state.
// One writer (main's phases call it as each fact comes to exist), one reader that validates every
// field, so post never acts on a value it did not expect.
import type { Target } from '../clients/plan.ts';
import type { Isolation } from '../credential-files/isolation.ts';
import { CLIENT_NAMES, DEFAULT_TIMEOUT_SECONDS } from '../inputs/settings.ts';
import { parseJson, parseJsonObject } from '../lib/json.ts';

export interface StepState {
  /** false: post leaves the logins in place (input logout). */
  readonly logout: boolean;
  readonly timeoutSeconds: number;
  /** Every login main made, with the credentials file it wrote. */
  readonly logins: readonly Target[];
  readonly isolation: Isolation | undefined;
  /** The 0600 file holding what the hosts had before the step. */
  readonly earlierPath: string | undefined;
  /** The hosts whose earlier credentials that file holds (names only), to say which are lost if it goes. */
  readonly earlierHosts: readonly string[];
}

/** Where state is kept: the runner's STATE_ variables, or a CLI session file. */
export interface StateStore {
  saveState(name: string, value: string): void;
  getState(name: string): string;
}

const NAME = {
  logins: 'logins',
  logout: 'logout',
  isolated: 'isolated',
  earlier: 'earlier',
  earlierHosts: 'earlier-hosts',
  timeout: 'timeout',
} as const;

export const EMPTY_STATE: StepState = {
  logout: true,
  timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
  logins: [],
  isolation: undefined,
  earlierPath: undefined,
  earlierHosts: [],
};

/** Saves each part of the state the moment it exists; never a secret. */
export function stateWriter(store: StateStore) {
  return {
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
    logins(logins: readonly Target[]): void {
      store.saveState(NAME.logins, JSON.stringify(logins.map(({ client, host, file }) => ({ client, host, file }))));
    },
  };
}

export type StateWriter = ReturnType<typeof stateWriter>;

/** Reads and validates what main saved; anything malformed reads as absent. */
export function readState(store: Pick<StateStore, 'getState'>): StepState {
  const timeout = Number(store.getState(NAME.timeout));
  return {
    logout: store.getState(NAME.logout) !== 'false',
    timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_SECONDS,
    logins: decodeLogins(store.getState(NAME.logins)),
    isolation: decodeIsolation(store.getState(NAME.isolated)),
    earlierPath: store.getState(NAME.earlier) || undefined,
    earlierHosts: decodeStrings(store.getState(NAME.earlierHosts)),
  };
}

/** The state as saved values, for a store that is written whole (a CLI session). */
export function encodeState(state: StepState): Record<string, string> {
  const saved: Record<string, string> = {};
  const writer = stateWriter({ saveState: (name, value) => (saved[name] = value), getState: () => '' });
  writer.settings(state.logout, state.timeoutSeconds);
  writer.logins(state.logins);
  if (state.isolation) writer.isolation(state.isolation);
  if (state.earlierPath) writer.earlier(state.earlierPath, state.earlierHosts);
  return saved;
}

/** Whether post has anything to undo or remove. */
export function leavesWork(state: StepState): boolean {
  return state.logins.length > 0 || state.isolation !== undefined || state.earlierPath !== undefined;
}

function decodeLogins(text: string): Target[] {
  const value = parseJson(text);
  if (!Array.isArray(value)) return [];
  return value.filter(
    (v): v is Target =>
      !!v &&
      typeof v === 'object' &&
      ['client', 'host', 'file'].every((k) => typeof (v as Record<string, unknown>)[k] === 'string') &&
      (CLIENT_NAMES as readonly string[]).includes((v as Record<string, string>)['client']!),
  );
}

function decodeStrings(text: string): string[] {
  const value = parseJson(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function decodeIsolation(text: string): Isolation | undefined {
  const v = parseJsonObject(text);
  return v && typeof v['dir'] === 'string' && typeof v['dockerConfig'] === 'string' && typeof v['authFile'] === 'string'
    ? { dir: v['dir'], dockerConfig: v['dockerConfig'], authFile: v['authFile'] }
    : undefined;
}
