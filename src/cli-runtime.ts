// A terminal as a Runtime: secrets redacted from every line, state in a 0600 file for `icr-login logout`.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Runtime } from './runtime.ts';
import { decodeLogins, encodeLogins, type Login } from './session.ts';
import { STATE } from './settings.ts';

function unionLogins(a: readonly Login[], b: readonly Login[]): Login[] {
  return [...a, ...b.filter((l) => !a.some((o) => o.client === l.client && o.host === l.host))];
}

/** Where a login records what `icr-login logout` must undo. Holds hosts and clients, never a secret. */
export function statePath(env: NodeJS.ProcessEnv): string {
  const base = env['XDG_STATE_HOME'] || join(env['HOME'] || homedir(), '.local', 'state');
  return join(base, 'icr-login', 'session.json');
}

export interface CliRuntime extends Runtime {
  /** Writes the recorded state for a later `icr-login logout`. */
  persistState(): void;
  clearState(): void;
}

export function cliRuntime(inputs: Record<string, string>, env: NodeJS.ProcessEnv, quiet: boolean): CliRuntime {
  const secrets: string[] = [];
  const redact = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), text);
  const err = (line: string): void => void process.stderr.write(`${redact(line)}\n`);
  const path = statePath(env);
  let state: Record<string, string> = {};
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch {
    state = {};
  }
  const saved: Record<string, string> = {};
  return {
    env,
    missingKeyMessage: 'No API key: set IBMCLOUD_API_KEY (or ICR_API_KEY), or pipe the key in with --api-key-stdin.',
    getInput: (name) => inputs[name] ?? '',
    mask: (secret) => {
      if (secret && !secrets.includes(secret)) secrets.push(secret);
      secrets.sort((a, b) => b.length - a.length);
    },
    info: (message) => (quiet ? undefined : err(message)),
    warning: (message) => err(`warning: ${message}`),
    debug: (message) => (env['ICR_LOGIN_DEBUG'] ? err(`debug: ${message}`) : undefined),
    fail: (message) => {
      err(`icr-login: ${message}`);
      process.exitCode = 1;
    },
    setOutput: (name, value) => void process.stdout.write(`${name}=${redact(value)}\n`),
    saveState: (name, value) => {
      saved[name] = value;
    },
    getState: (name) => state[name] ?? '',
    exportVariable: (name, value) => (quiet ? undefined : err(`export ${name}=${value}`)),
    writeSummary: async () => {},
    persistState: () => {
      // Only a login that reached the clients has anything to undo; an earlier session's logins are kept.
      if (saved[STATE.logins] === undefined) return;
      const logins = encodeLogins(unionLogins(decodeLogins(state[STATE.logins] ?? ''), decodeLogins(saved[STATE.logins] ?? "")));
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, JSON.stringify({ ...state, ...saved, [STATE.logins]: logins }), { mode: 0o600 });
    },
    clearState: () => rmSync(path, { force: true }),
  };
}
