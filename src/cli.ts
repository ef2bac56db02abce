#!/usr/bin/env node
// icr-login for everything that is not a GitHub runner: the same steps, driven from argv.
import { parseCli, USAGE } from './cli-args.ts';
import { cliRuntime } from './cli-runtime.ts';
import { UserError } from './errors.ts';
import { loginStep } from './login-step.ts';
import { logoutStep } from './logout-step.ts';
import { INPUT } from './settings.ts';
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
  const inputs = { ...cmd.inputs };
  if (cmd.command === 'login') {
    inputs[INPUT.apiKey] = cmd.apiKeyStdin ? await readStdin() : (env['IBMCLOUD_API_KEY'] || env['ICR_API_KEY'] || '');
  }
  const rt = cliRuntime(inputs, env, cmd.quiet);
  if (cmd.command === 'logout') {
    await logoutStep(rt);
    rt.clearState();
    return process.exitCode === 1 ? 1 : 0;
  }
  const result = await loginStep(rt);
  rt.persistState();
  return result === 'invalid' ? 2 : result === 'failed' ? 1 : 0;
}

process.exitCode = await main();
