// docker's credential helpers (credsStore/credHelpers, which containers/image honours too): find them, and read or write one secret through them.
import { basename } from 'node:path';
import { helperFor, type AuthFile } from './auth-file.ts';
import { dockersFile } from './paths.ts';
import { UserError } from '../lib/errors.ts';
import { parseJsonObject } from '../lib/json.ts';
import { findExecutable } from '../clients/discover.ts';
import type { ProcessGroups } from '../clients/groups.ts';
import { run } from '../clients/process.ts';

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

/**
 * What the helper holds for `host`: the secret; 'none' when it answers the protocol's "credentials not
 * found" (docker-credential-helpers' own message); undefined when it failed in any other way.
 */
export async function helperLookup(
  program: string,
  host: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  groups?: ProcessGroups,
): Promise<HelperSecret | 'none' | undefined> {
  const r = await run(program, ['get'], { input: host, env, timeoutMs, groups });
  if (r.code !== 0) return r.code !== null && /credentials not found/i.test(`${r.stdout}\n${r.stderr}`) ? 'none' : undefined;
  const v = parseJsonObject(r.stdout);
  const secret = v?.['Secret'];
  if (typeof secret !== 'string' || secret === '') return 'none';
  const text = (key: string, fallback: string): string => (typeof v?.[key] === 'string' ? (v[key] as string) : fallback);
  return { ServerURL: text('ServerURL', host), Username: text('Username', ''), Secret: secret };
}

export async function helperGet(
  program: string,
  host: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<HelperSecret | undefined> {
  const found = await helperLookup(program, host, env, timeoutMs);
  return typeof found === 'object' ? found : undefined;
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

/** Asks the helper to forget `host`. Its exit code is no proof: read back with helperLookup. */
export async function helperErase(
  program: string,
  host: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  groups?: ProcessGroups,
): Promise<void> {
  await run(program, ['erase'], { input: host, env, timeoutMs, groups });
}
