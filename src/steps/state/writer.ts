// Main's side of the state (step-state.ts has its shape and names): each part saved the moment it
// exists, never a secret.
import type { LoginEnd, Target } from '../../clients/plan.ts';
import type { Isolation } from '../../credential-files/isolation.ts';
import { NAME, type StateStore, type StepState } from './step-state.ts';

const loginKey = (t: Target): string => `${t.client}\n${t.file}\n${t.host}`;

/** Saves each part of the state the moment it exists; never a secret. `begin` comes first. */
export function stateWriter(store: StateStore) {
  let run = '';
  const logins = new Map<string, number>();
  let groups = 0;
  let ends = 0;
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
    owners(hashes: readonly string[]): void {
      store.saveState(NAME.owner, JSON.stringify(hashes));
    },
    /** A login about to start: saved before its client runs, once per (client, file, host). */
    login({ client, host, file }: Target): void {
      const key = loginKey({ client, host, file });
      if (logins.has(key)) return;
      store.saveState(NAME.login(logins.size), JSON.stringify({ run, client, host, file }));
      logins.set(key, logins.size);
    },
    /** How a saved login ended, the moment main knows: `run:N:logged-in` or `run:N:failed` for login N. */
    ended(target: Target, how: Exclude<LoginEnd, undefined>): void {
      const n = logins.get(loginKey(target));
      if (n !== undefined) store.saveState(NAME.ended(ends++), `${run}:${n}:${how}`);
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

/** The state as saved values, for a store that is written whole (a CLI session). */
export function encodeState(state: StepState): Record<string, string> {
  const saved: Record<string, string> = {};
  const writer = stateWriter({ saveState: (name, value) => (saved[name] = value), getState: () => '' });
  writer.begin(state.run);
  writer.settings(state.logout, state.timeoutSeconds);
  for (const login of state.logins) {
    writer.login(login);
    if (login.ended) writer.ended(login, login.ended);
  }
  if (state.isolation) writer.isolation(state.isolation);
  if (state.earlierPath) writer.earlier(state.earlierPath, state.earlierHosts);
  if (state.owners.length > 0) writer.owners(state.owners);
  for (const pgid of state.groups) writer.group(pgid);
  if (state.stopped) writer.stopped();
  return saved;
}
