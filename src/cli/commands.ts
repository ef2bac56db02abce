// The CLI's two commands: login records a session, logout undoes every recorded session.
import { loginStep } from '../steps/login/step.ts';
import { logoutStep } from '../steps/logout/step.ts';
import { readState } from '../steps/state/reader.ts';
import { leavesWork } from '../steps/state/step-state.ts';
import { encodeState } from '../steps/state/writer.ts';
import {
  listSessions,
  liveLogin,
  newSessionPath,
  readSession,
  removeSession,
  rewriteSession,
  sessionStore,
  sessionsDir,
} from './sessions.ts';
import { cliRuntime } from './terminal.ts';

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Undoes every recorded session, newest first, but for those a login still under way is writing (on a
 * shared machine another `icr-login login` may be at work): they are left for a later logout. What a
 * logout could not remove stays in its session for the next try, and only that: logins already undone,
 * or overwritten by the credentials they had replaced, are not touched again.
 */
export async function logout(env: NodeJS.ProcessEnv, quiet: boolean): Promise<number> {
  const sessions = listSessions(sessionsDir(env));
  if (sessions.length === 0 && !quiet) process.stderr.write('Nothing to log out.\n');
  let ok = true;
  for (const path of sessions) {
    const session = readSession(path);
    const state = readState(sessionStore(session));
    const live = liveLogin(session, state.stopped);
    if (live !== undefined) {
      process.stderr.write(`warning: icr-login login (pid ${live}) is still running; its logins are left for a later icr-login logout.\n`);
      continue;
    }
    const result = await logoutStep(cliRuntime({}, env, quiet, session));
    ok &&= result.ok;
    if (result.outstanding.length === 0) removeSession(path);
    // Its clients were dealt with: only the logins still in place are left for the next logout.
    else
      rewriteSession(
        path,
        encodeState({ ...state, logins: result.outstanding, isolation: undefined, earlierPath: undefined, groups: [], stopped: true }),
      );
  }
  return ok ? 0 : 1;
}

export async function login(inputs: Record<string, string>, env: NodeJS.ProcessEnv, quiet: boolean): Promise<number> {
  const path = newSessionPath(sessionsDir(env));
  const rt = cliRuntime(inputs, env, quiet, {}, path);
  const result = await loginStep(rt);
  // A run that left nothing to undo keeps no session.
  if (!leavesWork(readState(sessionStore(rt.saved)))) removeSession(path);
  return result === 'invalid' ? 2 : result === 'failed' ? 1 : 0;
}
