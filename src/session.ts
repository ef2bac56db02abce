// The plan (hosts × clients), run so that writers of one credentials file never overlap.
import { parseJson } from './json.ts';
import type { ClientName } from './settings.ts';

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

/** Groups items by key, keeping first-seen order within and across groups. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

/**
 * Runs groups concurrently and the items of each group one after another. `perGroup` makes each
 * group's step, so a step can remember what happened earlier in its own group.
 */
export async function runGrouped<T, R>(groups: readonly (readonly T[])[], perGroup: () => (item: T) => Promise<R>): Promise<R[]> {
  const results = await Promise.all(
    groups.map(async (group) => {
      const step = perGroup();
      const out: R[] = [];
      for (const item of group) out.push(await step(item));
      return out;
    }),
  );
  return results.flat();
}

/**
 * Logs in the targets that write one credentials file. Writers go one after another: the file is not
 * safe to write twice at once. A target that can share the login another client wrote for its host
 * only confirms it, once that login is written: a confirmation only reads, and the containers tools
 * replace the file atomically, so it may overlap the next writer. A target that
 * cannot confirm logs in on its own once the writers are done.
 */
export async function writeThenConfirm<T extends Login>(
  group: readonly T[],
  canShare: (target: T) => boolean,
  write: (target: T) => Promise<Outcome>,
  confirm: (target: T, writer: ClientName) => Promise<Outcome | undefined>,
): Promise<Outcome[]> {
  const writers = new Map<string, ClientName>();
  const outcomes: Outcome[] = [];
  const confirming: Promise<[T, Outcome | undefined]>[] = [];
  let ready: T[] = [];
  // Confirmations start behind the next writer, so a writer never waits for a confirmation's turn.
  const startConfirming = (): void => {
    for (const t of ready) confirming.push(confirm(t, writers.get(t.host)!).then((outcome) => [t, outcome]));
    ready = [];
  };
  for (const target of group) {
    if (canShare(target) && writers.has(target.host)) {
      ready.push(target);
      continue;
    }
    const writing = write(target);
    startConfirming();
    const outcome = await writing;
    outcomes.push(outcome);
    if (outcome.ok && canShare(target)) writers.set(target.host, target.client);
  }
  startConfirming();
  for (const [target, outcome] of await Promise.all(confirming)) outcomes.push(outcome ?? (await write(target)));
  return outcomes;
}

/** Logins as kept in state: client, host and the file written, never a secret. */
export function encodeLogins(logins: readonly Target[]): string {
  return JSON.stringify(logins.map(({ client, host, file }) => ({ client, host, file })));
}

export function decodeLogins(text: string): Target[] {
  const value = parseJson(text);
  if (!Array.isArray(value)) return [];
  return value.filter(
    (v): v is Target =>
      !!v && typeof v === 'object' && ['client', 'host', 'file'].every((k) => typeof (v as Record<string, unknown>)[k] === 'string'),
  );
}
