// A terminal as a Runtime: secrets redacted from every line; each login's state kept as a session file
// of its own (0600), written as each login succeeds, so `icr-login logout` can undo every login since
// the last logout, also of a run that was killed, and two runs at once never share a file.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseJsonObject } from './json.ts';
import type { Runtime } from './runtime.ts';

export type Session = Record<string, string>;

/** Where logins record what `icr-login logout` must undo: hosts, clients and paths, never a secret. */
export function sessionsDir(env: NodeJS.ProcessEnv): string {
  const base = env['XDG_STATE_HOME'] || join(env['HOME'] || env['USERPROFILE'] || homedir(), '.local', 'state');
  return join(base, 'icr-login', 'sessions');
}

/** Session files, newest first. */
export function listSessions(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .reverse()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

export function readSession(path: string): Session {
  return (parseJsonObject(readFileSync(path, 'utf8')) as Session | undefined) ?? {};
}

/** Written whole and renamed into place, so a reader never sees half a file. */
export function rewriteSession(path: string, session: Session): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const partial = `${path}.partial`;
  writeFileSync(partial, JSON.stringify(session), { mode: 0o600 });
  renameSync(partial, path);
}

export function newSessionPath(dir: string): string {
  return join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.json`);
}

export function removeSession(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing was recorded there (its folder could not even be made): nothing to remove.
  }
}

export interface CliRuntime extends Runtime {
  /** What this run saved as state. */
  readonly saved: Session;
}

/**
 * @param state what getState answers (a session read back for logout)
 * @param sessionPath where saveState persists, each time it is called (login only)
 */
export function cliRuntime(
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv,
  quiet: boolean,
  state: Session = {},
  sessionPath?: string,
): CliRuntime {
  const secrets: string[] = [];
  const redact = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), text);
  const err = (line: string): void => void process.stderr.write(`${redact(line)}\n`);
  const saved: Session = {};
  let unrecorded = false;
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
      if (!sessionPath) return;
      try {
        rewriteSession(sessionPath, saved);
      } catch (error) {
        // The login goes on; only `icr-login logout` will not know of it.
        if (!unrecorded)
          err(
            `warning: could not record this login in ${sessionPath} (${(error as NodeJS.ErrnoException).code ?? 'write failed'}); icr-login logout cannot undo it.`,
          );
        unrecorded = true;
      }
    },
    getState: (name) => state[name] ?? '',
    exportVariable: (name, value) => (quiet ? undefined : err(`export ${name}=${value}`)),
    writeSummary: async () => {},
  };
}
