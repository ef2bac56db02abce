// icr-login for everything that is not a GitHub runner: the same steps, driven from argv.
// Exports run(); the bundle calls it (scripts/bundle.mjs). Its --help text is loaded only for --help.
import { parseCli } from './cli/args.ts';
import { login, logout, readStdin } from './cli/commands.ts';
import { INPUT } from './inputs/settings.ts';
import { describe, UserError } from './lib/errors.ts';
import pkg from '../package.json' with { type: 'json' };

async function main(): Promise<number> {
  let cmd;
  try {
    cmd = parseCli(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`icr-login: ${e instanceof UserError ? e.message : String(e)}\n`);
    return 2;
  }
  if (cmd.command === 'help') return (void process.stdout.write(`${(await import('./cli/usage.ts')).USAGE}\n`), 0);
  if (cmd.command === 'version') return (void process.stdout.write(`${pkg.version}\n`), 0);
  const env = process.env;
  if (cmd.command === 'logout') return logout(env, cmd.quiet);
  const inputs = { ...cmd.inputs };
  const envKey = cmd.keyFromEnv ? env['IBMCLOUD_API_KEY'] || env['ICR_API_KEY'] : '';
  inputs[INPUT.apiKey] = cmd.apiKeyStdin ? await readStdin() : envKey || '';
  inputs[INPUT.entitlementKey] = cmd.entitlementKeyStdin ? await readStdin() : env['IBM_ENTITLEMENT_KEY'] || '';
  return login(inputs, env, cmd.quiet);
}

export async function run(): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    // The steps report their own failures; this is the net under them, still one line.
    process.stderr.write(`icr-login: ${describe(error)}\n`);
    process.exitCode = 1;
  }
}
