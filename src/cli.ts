#!/usr/bin/env node
// icr-login for everything that is not a GitHub runner: the same steps, driven from argv.
import { parseCli, USAGE } from './cli-args.ts';
import { cliRuntime, listSessions, newSessionPath, readSession, removeSession, rewriteSession, sessionsDir } from './cli-runtime.ts';
import { describe, UserError } from './errors.ts';
import { loginStep } from './login-step.ts';
import { logoutStep } from './logout-step.ts';
import { decodeLogins, encodeLogins } from './session.ts';
import { INPUT, STATE } from './settings.ts';
import pkg from '../package.json' with { type: 'json' };

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Undoes every recorded session, newest first. What a logout could not remove stays in its session for
 * the next try, and only that: logins already undone, or overwritten by the credentials they had
 * replaced, are not touched again.
 */
async function logout(env: NodeJS.ProcessEnv, quiet: boolean): Promise<number> {
  const sessions = listSessions(sessionsDir(env));
  if (sessions.length === 0 && !quiet) process.stderr.write('Nothing to log out.\n');
  let ok = true;
  for (const path of sessions) {
    const session = readSession(path);
    const result = await logoutStep(cliRuntime({}, env, quiet, session));
    ok &&= result.ok;
    if (result.outstanding.length === 0) removeSession(path);
    else rewriteSession(path, { [STATE.logins]: encodeLogins(result.outstanding), [STATE.timeout]: session[STATE.timeout] ?? '60' });
  }
  return ok ? 0 : 1;
}

async function login(inputs: Record<string, string>, env: NodeJS.ProcessEnv, quiet: boolean): Promise<number> {
  const path = newSessionPath(sessionsDir(env));
  const rt = cliRuntime(inputs, env, quiet, {}, path);
  const result = await loginStep(rt);
  // A run that left nothing to undo keeps no session.
  const saved = rt.saved;
  if (decodeLogins(saved[STATE.logins] ?? '').length === 0 && !saved[STATE.isolated] && !saved[STATE.earlier]) removeSession(path);
  return result === 'invalid' ? 2 : result === 'failed' ? 1 : 0;
}

async function main(): Promise<number> {
  let cmd;
  try {
    cmd = parseCli(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`icr-login: ${e instanceof UserError ? e.message : String(e)}\n`);
    return 2;
  }
  if (cmd.command === 'help') return (void process.stdout.write(`${USAGE}\n`), 0);
  if (cmd.command === 'version') return (void process.stdout.write(`${pkg.version}\n`), 0);
  const env = process.env;
  if (cmd.command === 'logout') return logout(env, cmd.quiet);
  const inputs = { ...cmd.inputs };
  inputs[INPUT.apiKey] = cmd.apiKeyStdin ? await readStdin() : env['IBMCLOUD_API_KEY'] || env['ICR_API_KEY'] || '';
  return login(inputs, env, cmd.quiet);
}

try {
  process.exitCode = await main();
} catch (error) {
  // The steps report their own failures; this is the net under them, still one line.
  process.stderr.write(`icr-login: ${describe(error)}\n`);
  process.exitCode = 1;
}
