// Each CLI login's state kept as a session file of its own (0600), written as each login succeeds, so
// `icr-login logout` can undo every login since the last logout, also of a run that was killed, and
// two runs at once never share a file. The values are the steps' state (steps/state/), never a secret,
// and which process writes them, so a logout leaves alone a login that is still under way.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { processAlive, startTime } from '../clients/processes.ts';
import { stateFolder } from '../lib/home.ts';
import { parseJsonObject } from '../lib/json.ts';

export type Session = Record<string, string>;

/** Where logins record what `icr-login logout` must undo: hosts, clients and paths, never a secret. */
export function sessionsDir(env: NodeJS.ProcessEnv): string {
  return join(stateFolder(env), 'sessions');
}

/** Session files, newest first. */
export function listSessions(dir: string): string[] {
  try {
    return (
      readdirSync(dir, { withFileTypes: true })
        // A folder or a FIFO named like a session is none, and is never read (a FIFO would hang logout).
        .filter((f) => f.name.endsWith('.json') && f.isFile())
        .map((f) => f.name)
        .sort()
        .reverse()
        .map((f) => join(dir, f))
    );
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

/** A session read back as the steps' state store. */
export function sessionStore(session: Session): { getState(name: string): string; saveState(name: string, value: string): void } {
  return { getState: (name) => session[name] ?? '', saveState: (name, value) => void (session[name] = value) };
}

const PID = 'login-pid';
const STARTED = 'login-started';

/** What a login writes into its session first: its process, and when that process started. */
export function loginProcess(): Session {
  return { [PID]: String(process.pid), [STARTED]: startTime(process.pid) ?? '' };
}

/**
 * The pid of the login still writing this session, or undefined when it is done: it recorded that it
 * stopped (`stopped`: it ended, or stopped its clients when signalled), or its process is gone (it was
 * killed). A pid reused by another process is told apart by its start time where /proc has one; where
 * it has none (macOS), a live pid counts as the login, and a later logout undoes the session.
 */
export function liveLogin(session: Session, stopped: boolean): number | undefined {
  const pid = Number(session[PID]);
  if (stopped || !Number.isInteger(pid) || pid <= 0 || pid === process.pid || !processAlive(pid)) return undefined;
  const started = startTime(pid);
  return started === undefined || started === session[STARTED] ? pid : undefined;
}
