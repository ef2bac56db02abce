// Post's side of the state (step-state.ts has its shape and names): each value validated, anything
// malformed or not of main's run read as absent, never thrown.
import type { LoginEnd, Recorded, Target } from '../../clients/plan.ts';
import type { Isolation } from '../../credential-files/isolation.ts';
import { CLIENT_NAMES } from '../../inputs/settings.ts';
import { parseJson, parseJsonObject } from '../../lib/json.ts';
import { DEFAULT_TIMEOUT_SECONDS } from '../../lib/limits.ts';
import { EMPTY_STATE, NAME, type StateStore, type StepState } from './step-state.ts';

/** More entries than any run makes; only a bound on reading. */
const MAX_ENTRIES = 100_000;

/** Numbered values as saved, read until the first one that is missing. */
function numbered(store: { getState(name: string): string }, name: (n: number) => string): string[] {
  const found: string[] = [];
  for (let n = 0; n < MAX_ENTRIES; n++) {
    const text = store.getState(name(n));
    if (text === '') break;
    found.push(text);
  }
  return found;
}

/** Numbered values that decode; the others (another run's, malformed) are left out. */
function entries<T>(store: { getState(name: string): string }, name: (n: number) => string, decode: (text: string) => T | undefined): T[] {
  return numbered(store, name).flatMap((text) => {
    const value = decode(text);
    return value === undefined ? [] : [value];
  });
}

function decodeLogin(text: string, run: string): Target | undefined {
  const v = parseJsonObject(text);
  if (!v || v['run'] !== run || !['client', 'host', 'file'].every((k) => typeof v[k] === 'string')) return undefined;
  if (!(CLIENT_NAMES as readonly string[]).includes(v['client'] as string)) return undefined;
  return { client: v['client'], host: v['host'], file: v['file'] } as Target;
}

function decodeGroup(text: string, run: string): number | undefined {
  const [id, pgid] = text.split(':');
  const n = Number(pgid);
  return id === run && Number.isInteger(n) && n > 1 ? n : undefined;
}

/** `run:N:how`: login N ended so; anything else (another run's, no such login, junk) says nothing. */
function decodeEnd(text: string, run: string, count: number): { login: number; how: Exclude<LoginEnd, undefined> } | undefined {
  const [id, n, how, ...rest] = text.split(':');
  const login = Number(n);
  if (id !== run || rest.length > 0 || !Number.isInteger(login) || login < 0 || login >= count) return undefined;
  return how === 'logged-in' || how === 'failed' ? { login, how } : undefined;
}

/**
 * The logins with how each ended. A login with no readable record of its end (main was killed first,
 * or the record is malformed) is still logged out: only a record of this run says it failed, and even
 * then post reads the entry back. A record of success wins over one of failure.
 */
function decodeLogins(store: { getState(name: string): string }, run: string): Recorded[] {
  const saved = numbered(store, NAME.login).map((text) => decodeLogin(text, run));
  const ends = new Map<number, Exclude<LoginEnd, undefined>>();
  for (const end of entries(store, NAME.ended, (text) => decodeEnd(text, run, saved.length))) {
    if (ends.get(end.login) !== 'logged-in') ends.set(end.login, end.how);
  }
  return saved.flatMap((login, n) => (login ? [{ ...login, ended: ends.get(n) }] : []));
}

function decodeStrings(text: string): string[] {
  const value = parseJson(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const HASH = /^[0-9a-f]{64}$/;

/** A list of hashes; a session an older icr-login wrote holds one hash alone. */
function decodeOwners(text: string): string[] {
  if (HASH.test(text)) return [text];
  return decodeStrings(text).filter((h) => HASH.test(h));
}

function decodeIsolation(text: string): Isolation | undefined {
  const v = parseJsonObject(text);
  return v && typeof v['dir'] === 'string' && typeof v['dockerConfig'] === 'string' && typeof v['authFile'] === 'string'
    ? { dir: v['dir'], dockerConfig: v['dockerConfig'], authFile: v['authFile'] }
    : undefined;
}

/** Reads and validates what main saved; anything malformed, or not of main's run, reads as absent. */
export function readState(store: Pick<StateStore, 'getState'>): StepState {
  const run = store.getState(NAME.run);
  if (!/^[\w-]{8,64}$/.test(run)) return EMPTY_STATE;
  const timeout = Number(store.getState(NAME.timeout));
  const stopped = store.getState(NAME.stopped) === run;
  return {
    run,
    logout: store.getState(NAME.logout) !== 'false',
    timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_SECONDS,
    logins: decodeLogins(store, run),
    isolation: decodeIsolation(store.getState(NAME.isolated)),
    earlierPath: store.getState(NAME.earlier) || undefined,
    earlierHosts: decodeStrings(store.getState(NAME.earlierHosts)),
    owners: decodeOwners(store.getState(NAME.owner)),
    groups: stopped ? [] : entries(store, NAME.group, (text) => decodeGroup(text, run)),
    stopped,
  };
}
