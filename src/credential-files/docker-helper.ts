// docker's credential helpers (credsStore/credHelpers, which containers/image honours too): find them, and read or write one secret through them.
import { basename } from 'node:path';
import { helperFor, type AuthFile } from './auth-file.ts';
import { UserError } from '../lib/errors.ts';
import { parseJsonObject } from '../lib/json.ts';
import { findExecutable } from '../clients/discover.ts';
import { run } from '../clients/process.ts';

export interface HelperSecret {
  readonly ServerURL: string;
  readonly Username: string;
  readonly Secret: string;
}

/**
 * The helper program for `host`, or undefined when the client keeps the secret in its file. Throws when
 * it is missing from `env`'s PATH. `client` is docker, or the containers tools (which honour only credHelpers).
 */
export function helperProgram(
  config: AuthFile,
  configPath: string,
  host: string,
  env: NodeJS.ProcessEnv,
  client = 'docker',
): string | undefined {
  const name = helperFor(config, host, { credsStore: client === 'docker' });
  if (!name) return undefined;
  const program = `docker-credential-${name}`;
  const path = findExecutable(program, env);
  if (!path) {
    const key = config.credHelpers?.[host] ? `credHelpers["${host}"]` : 'credsStore';
    throw new UserError(
      `${client} hands ${host} credentials to ${program} (${key} in ${configPath}), which is not on PATH; install ${program}, remove ${key} from ${basename(configPath)}, or set isolate: true to keep this job's credentials in a file of its own.`,
      `${client} credential helper`,
    );
  }
  return path;
}

export async function helperGet(
  program: string,
  host: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<HelperSecret | undefined> {
  const r = await run(program, ['get'], { input: host, env, timeoutMs });
  if (r.code !== 0) return undefined;
  const v = parseJsonObject(r.stdout);
  const secret = v?.['Secret'];
  if (typeof secret !== 'string' || secret === '') return undefined;
  const text = (key: string, fallback: string): string => (typeof v?.[key] === 'string' ? (v[key] as string) : fallback);
  return { ServerURL: text('ServerURL', host), Username: text('Username', ''), Secret: secret };
}

export async function helperStore(program: string, secret: HelperSecret, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<boolean> {
  const r = await run(program, ['store'], { input: JSON.stringify(secret), env, timeoutMs });
  return r.code === 0;
}
