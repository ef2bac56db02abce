// The plan: every client into every host, each login with the credentials file it writes. Pure.
import type { ClientName } from '../inputs/settings.ts';

export interface Login {
  readonly client: ClientName;
  readonly host: string;
}

/** A login and the credentials file its client writes. */
export interface Target extends Login {
  readonly file: string;
}

/** One entry of one credentials file: what earlier credentials and put-backs are keyed by. */
export const entryKey = (t: { readonly file: string; readonly host: string }): string => `${t.file}\n${t.host}`;

/** What happened to one client at one host: a tagged union, put into words by describeOutcome alone. */
export type Outcome = Login &
  (
    | { readonly ok: true; readonly kind: 'logged-in' | 'logged-out' | 'already-logged-out' | 'left-in-place' | 'put-back' }
    | { readonly ok: true; readonly kind: 'confirmed' | 'removed-with'; readonly by: ClientName }
    | Failure
  );

export interface Failure {
  readonly ok: false;
  readonly kind: 'failed';
  /** Why, as a clause without its final period (client's words where the client failed). */
  readonly why: string;
}

export type Done = Exclude<Outcome, Failure>['kind'];

export const done = (login: Login, kind: Exclude<Done, 'confirmed' | 'removed-with'>): Outcome => ({
  client: login.client,
  host: login.host,
  ok: true,
  kind,
});
export const sharedWith = (login: Login, kind: 'confirmed' | 'removed-with', by: ClientName): Outcome => ({
  client: login.client,
  host: login.host,
  ok: true,
  kind,
  by,
});
export const failed = (login: Login, sentence: string): Outcome & Failure => ({
  client: login.client,
  host: login.host,
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
      return 'logged out';
    case 'already-logged-out':
      return 'already logged out';
    case 'removed-with':
      return `logged out with ${o.by}`;
    case 'left-in-place':
      return 'left in place: no longer this job’s login';
    case 'put-back':
      return 'earlier credentials put back';
    case 'failed':
      return `${o.why}.`;
  }
}

export function plan(hosts: readonly string[], clients: readonly ClientName[]): Login[] {
  return hosts.flatMap((host) => clients.map((client) => ({ client, host })));
}
