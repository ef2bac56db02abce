#!/usr/bin/env node
// icr-login for everything that is not a GitHub runner: the same steps, driven from argv.
import { parseCli, USAGE } from './cli-args.ts';
import { cliRuntime, loadSessions, saveSessions, statePath } from './cli-runtime.ts';
import { UserError } from './errors.ts';
import { loginStep } from './login-step.ts';
import { logoutStep } from './logout-step.ts';
import { decodeLogins } from './session.ts';
import { INPUT, STATE } from './settings.ts';
import pkg from '../package.json' with { type: 'json' };

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<number> {
  let cmd;
  try {
    cmd = parseCli(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`icr-login: ${e instanceof UserError ? e.message : String(e)}\n`);
    return 2;
  }
  if (cmd.command === 'help') return void process.stdout.write(`${USAGE}\n`), 0;
  if (cmd.command === 'version') return void process.stdout.write(`${pkg.version}\n`), 0;

  const env = process.env;
  const path = statePath(env);
  if (cmd.command === 'logout') {
    // Newest first, so earlier credentials are put back in the order they were kept aside.
    let ok = true;
    const sessions = loadSessions(path);
    if (sessions.length === 0 && !cmd.quiet) process.stderr.write('Nothing to log out.\n');
    for (const session of sessions.reverse()) ok = (await logoutStep(cliRuntime({}, env, cmd.quiet, session))) && ok;
    saveSessions(path, []);
    return ok ? 0 : 1;
  }

  const inputs = { ...cmd.inputs };
  inputs[INPUT.apiKey] = cmd.apiKeyStdin ? await readStdin() : env['IBMCLOUD_API_KEY'] || env['ICR_API_KEY'] || '';
  const rt = cliRuntime(inputs, env, cmd.quiet);
  const result = await loginStep(rt);
  // Whatever logged in, even part-way, is recorded for `icr-login logout`.
  if (decodeLogins(rt.saved[STATE.logins] ?? '').length > 0 || rt.saved[STATE.isolated] || rt.saved[STATE.earlier]) {
    saveSessions(path, [...loadSessions(path), rt.saved]);
  }
  return result === 'invalid' ? 2 : result === 'failed' ? 1 : 0;
}

process.exitCode = await main();
