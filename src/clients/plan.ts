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

export interface Outcome extends Login {
  readonly ok: boolean;
  /** What happened, in the client's words when it failed. */
  readonly detail: string;
}

export function plan(hosts: readonly string[], clients: readonly ClientName[]): Login[] {
  return hosts.flatMap((host) => clients.map((client) => ({ client, host })));
}
