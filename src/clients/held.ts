// What an entry (a credentials file and a host) holds now, as a client of it reads it, judged against
// this run's login: the only evidence a logout is reported on. The logout step reads it
// (credential-files/held.ts) and hands the reading in; the types live here, where the logouts run. Pure.
import { basename } from 'node:path';

/** Where a client keeps a host's secret: its credentials file, or the credential helper that file names. */
export type Place = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'helper'; readonly program: string };

export type Held =
  | { readonly is: 'ours' | 'none'; readonly place: Place }
  /**
   * Another login than this run's: `whose` names it; `of` says what it is: what the entry held before
   * the step, another live icr-login job's, or a login no run of ours made (a later step's own).
   */
  | { readonly is: 'other'; readonly place: Place; readonly whose: string; readonly of: 'earlier' | 'job' | 'unknown' }
  /** What it holds could not be read (a helper that failed or hung): nothing can be said of it. */
  | { readonly is: 'unreadable'; readonly place: Place; readonly why: string };

/** Whether this run's login may still be there: a logout owes a removal, or cannot say it is done. */
export const mayBeOurs = (held: Held): boolean => held.is === 'ours' || held.is === 'unreadable';

export const placeName = (place: Place): string => (place.kind === 'file' ? place.path : basename(place.program));

/** One way of removing a login: a client's logout, a helper's own erase. */
export interface Way {
  /** What it is, as the subject of a clause: "docker logout", "docker-credential-pass erase". */
  readonly name: string;
  /** What removed it, for "logged out with …" when it is not the client's own logout. */
  readonly by: string;
  /** Runs it; undefined when it says it did its part (only a read-back says whether it did), else why not. */
  run(): Promise<string | undefined>;
}

/** What putting back one entry's earlier credentials came to, read back. */
export interface PutBack {
  readonly file: string;
  readonly host: string;
  /** Empty when the entry holds what it held before the step; else one clause per problem. */
  readonly problems: readonly string[];
  /** Whose login the earlier credentials were put back over (another live job's), when they were. */
  over?: string;
}
