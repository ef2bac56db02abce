// A terminal as a Runtime: secrets redacted from every line; each login's state kept as a session in a
// 0600 file, so `icr-login logout` can undo every login since the last logout.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Runtime } from './runtime.ts';

/** Where logins record what `icr-login logout` must undo. Holds hosts, clients and paths, never a secret. */
export function statePath(env: NodeJS.ProcessEnv): string {
  const base = env['XDG_STATE_HOME'] || join(env['HOME'] || homedir(), '.local', 'state');
  return join(base, 'icr-login', 'sessions.json');
}

export type Session = Record<string, string>;

export function loadSessions(path: string): Session[] {
  try {
    const v: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return Array.isArray(v) ? (v as Session[]) : [];
  } catch {
    return [];
  }
}

export function saveSessions(path: string, sessions: readonly Session[]): void {
  if (sessions.length === 0) {
    rmSync(path, { force: true });
    return;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, JSON.stringify(sessions), { mode: 0o600 });
}

export interface CliRuntime extends Runtime {
  /** What this run saved as state: a session for a later logout. */
  readonly saved: Session;
}

export function cliRuntime(inputs: Record<string, string>, env: NodeJS.ProcessEnv, quiet: boolean, state: Session = {}): CliRuntime {
  const secrets: string[] = [];
  const redact = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), text);
  const err = (line: string): void => void process.stderr.write(`${redact(line)}\n`);
  const saved: Session = {};
  return {
    env,
    saved,
    missingKeyMessage: 'No API key: set IBMCLOUD_API_KEY (or ICR_API_KEY), or pipe the key in with --api-key-stdin.',
    getInput: (name) => inputs[name] ?? '',
    mask: (secret) => {
      if (secret && !secrets.includes(secret)) secrets.push(secret);
      secrets.sort((a, b) => b.length - a.length);
    },
    info: (message) => (quiet ? undefined : err(message)),
    warning: (message) => err(`warning: ${message}`),
    debug: (message) => (env['ICR_LOGIN_DEBUG'] ? err(`debug: ${message}`) : undefined),
    fail: (message) => err(`icr-login: ${message}`),
    setOutput: (name, value) => void process.stdout.write(`${name}=${redact(value)}\n`),
    saveState: (name, value) => {
      saved[name] = value;
    },
    getState: (name) => state[name] ?? '',
    exportVariable: (name, value) => (quiet ? undefined : err(`export ${name}=${value}`)),
    writeSummary: async () => {},
  };
}
