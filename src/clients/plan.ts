// The plan: every client into every host, each login with the credentials file it writes, and what
// became of each login, in main and in post. Pure.
import type { ClientName } from '../inputs/settings.ts';

export interface Login {
  readonly client: ClientName;
  readonly host: string;
}

/** A login and the credentials file its client writes. */
export interface Target extends Login {
  readonly file: string;
}

/** How main saw a login end: undefined when nothing says (main was killed first, or the record is unreadable). */
export type LoginEnd = 'logged-in' | 'failed' | undefined;

/** A login main recorded before its client started, and how main saw it end. */
export interface Recorded extends Target {
  readonly ended?: LoginEnd;
}

/** One entry of one credentials file: what earlier credentials and put-backs are keyed by. */
export const entryKey = (t: { readonly file: string; readonly host: string }): string => `${t.file}\n${t.host}`;

/**
 * What happened to one client at one host: a tagged union, put into words by describeOutcome alone.
 * A login ends logged in, confirmed (another client's login seen) or failed; a logout ends in one of
 * four ways, each judged by reading back what the file or helper holds: logged out, never logged in,
 * left in place (not this job's login, named), could not be removed (with the fix).
 */
export type Outcome = Login &
  (
    | { readonly ok: true; readonly kind: 'logged-in' | 'never-logged-in' }
    | { readonly ok: true; readonly kind: 'confirmed'; readonly by: ClientName }
    /** `by`: what removed it, when not the client's own logout. */
    | { readonly ok: true; readonly kind: 'logged-out'; readonly by?: string }
    | { readonly ok: true; readonly kind: 'left-in-place'; readonly whose: string }
    | Failure
    | NotRemoved
  );

export interface Failure {
  readonly ok: false;
  readonly kind: 'failed';
  /** Why, as a clause without its final period (client's words where the client failed). */
  readonly why: string;
}

/** Our login is still where the client keeps it, after every way post had of removing it. */
export interface NotRemoved {
  readonly ok: false;
  readonly kind: 'not-removed';
  /** Where it stays, and what each way of removing it did; a clause. */
  readonly why: string;
  /** How to remove it by hand: a clause that names the command (`run \`…\``). */
  readonly fix: string;
}

const at = (login: Login): Login => ({ client: login.client, host: login.host });

export const done = (login: Login, kind: 'logged-in' | 'never-logged-in'): Outcome => ({ ...at(login), ok: true, kind });
export const confirmed = (login: Login, by: ClientName): Outcome => ({ ...at(login), ok: true, kind: 'confirmed', by });
export const loggedOut = (login: Login, by?: string): Outcome =>
  by === undefined ? { ...at(login), ok: true, kind: 'logged-out' } : { ...at(login), ok: true, kind: 'logged-out', by };
export const leftInPlace = (login: Login, whose: string): Outcome => ({ ...at(login), ok: true, kind: 'left-in-place', whose });
export const notRemoved = (login: Login, why: string, fix: string): Outcome => ({ ...at(login), ok: false, kind: 'not-removed', why, fix });
export const failed = (login: Login, sentence: string): Outcome & Failure => ({
  ...at(login),
  ok: false,
  kind: 'failed',
  why: sentence.replace(/\.$/, ''),
});

/** The one rendering of an outcome, for the log and the summaries. */
export function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'logged-in':
      return 'logged in';
    case 'confirmed':
      return `sees ${o.by}'s login`;
    case 'logged-out':
      return o.by === undefined ? 'logged out' : `logged out with ${o.by}`;
    case 'never-logged-in':
      return 'never logged in';
    case 'left-in-place':
      return `left in place: ${o.whose}`;
    case 'not-removed':
      return `could not be removed: ${o.why}; to remove it by hand, ${o.fix}.`;
    case 'failed':
      return `${o.why}.`;
  }
}

export function plan(hosts: readonly string[], clients: readonly ClientName[]): Login[] {
  return hosts.flatMap((host) => clients.map((client) => ({ client, host })));
}
