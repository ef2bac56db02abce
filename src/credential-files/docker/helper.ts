// docker's credential helpers (credsStore/credHelpers, which containers/image honours too): find them, and read or write one secret through them.
import { basename } from 'node:path';
import { helperFor, type AuthFile } from '../auth-file.ts';
import { dockersFile } from '../paths.ts';
import { UserError } from '../../lib/errors.ts';
import { parseJsonObject } from '../../lib/json.ts';
import { findExecutable } from '../../clients/discover.ts';
import type { ProcessGroups } from '../../clients/groups.ts';
import { run } from '../../clients/process.ts';
import { commandFailure } from '../../clients/run.ts';

export interface HelperSecret {
  readonly ServerURL: string;
  readonly Username: string;
  readonly Secret: string;
}

/**
 * The helper program for `host`, or undefined when the client keeps the secret in its file. Throws when
 * it is missing from `env`'s PATH. `client` is docker (or docker-config, which reads the file as docker
 * does), or a containers tool (which honours only credHelpers).
 */
export function helperProgram(
  config: AuthFile,
  configPath: string,
  host: string,
  env: NodeJS.ProcessEnv,
  client = 'docker',
): string | undefined {
  const name = helperFor(config, host, { credsStore: dockersFile(client) });
  if (!name) return undefined;
  const program = `docker-credential-${name}`;
  const path = findExecutable(program, env);
  if (!path) {
    const key = config.credHelpers?.[host] ? `credHelpers["${host}"]` : 'credsStore';
    const who = client === 'docker-config' ? "docker's config" : client;
    throw new UserError(
      `${who} hands ${host} credentials to ${program} (${key} in ${configPath}), which is not on PATH; install ${program}, remove ${key} from ${basename(configPath)}, or set isolate: true to keep this job's credentials in a file of its own.`,
      `${client} credential helper`,
    );
  }
  return path;
}

/** What a helper holds for `key`: its secret, 'none' when it holds nothing there, or why it could not say. */
export async function helperLookup(
  program: string,
  key: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  groups?: ProcessGroups,
): Promise<HelperSecret | 'none' | { readonly why: string }> {
  const r = await run(program, ['get'], { input: key, env, timeoutMs, groups });
  // The protocol's answer for a key it does not hold (docs/icr.md#logout).
  if (r.code !== 0 && /credentials not found/i.test(`${r.stdout}\n${r.stderr}`)) return 'none';
  if (r.code !== 0) return { why: commandFailure(`${basename(program)} get`, r, timeoutMs) };
  const v = parseJsonObject(r.stdout);
  const secret = v?.['Secret'];
  if (typeof secret !== 'string' || secret === '') return 'none';
  const text = (name: string, fallback: string): string => (typeof v?.[name] === 'string' ? (v[name] as string) : fallback);
  return { ServerURL: text('ServerURL', key), Username: text('Username', ''), Secret: secret };
}

export async function helperGet(
  program: string,
  key: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<HelperSecret | undefined> {
  const found = await helperLookup(program, key, env, timeoutMs);
  return typeof found === 'object' && 'Secret' in found ? found : undefined;
}

export async function helperStore(
  program: string,
  secret: HelperSecret,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  groups?: ProcessGroups,
): Promise<boolean> {
  const r = await run(program, ['store'], { input: JSON.stringify(secret), env, timeoutMs, groups });
  return r.code === 0;
}

/** Erases what a helper holds for `key`: undefined when it says it did (only a read-back proves it), else why not. */
export async function helperErase(
  program: string,
  key: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  groups?: ProcessGroups,
): Promise<string | undefined> {
  const r = await run(program, ['erase'], { input: key, env, timeoutMs, groups });
  return r.code === 0 ? undefined : commandFailure(`${basename(program)} erase`, r, timeoutMs);
}
