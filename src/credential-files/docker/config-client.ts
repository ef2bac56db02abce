// Client docker-config: docker's config.json written by the action itself, exactly as `docker login`
// leaves it, for the tools that read that file and have no login of their own (kaniko, crane, helm,
// oras, buildkit …), with no docker binary (docs/icr.md#docker-config). The host's entry
// `{"auth": base64(user:secret)}`; or, where the file hands the host to a credential helper
// (credHelpers, credsStore), the secret through that helper's `store` and an empty entry in `auths`,
// as docker writes. Every other key and entry stays as it was (docker drops top-level keys it does
// not know; we keep them: another tool wrote them). Each change is read back before it counts.
// Adapter over node:fs and the helper.
import { readFile } from 'node:fs/promises';
import { done, failed, type Outcome } from '../../clients/plan.ts';
import type { OwnClients } from '../../clients/discover.ts';
import type { ClientContext, OwnClient } from '../../clients/run.ts';
import type { Credential } from '../../iam/credential.ts';
import { errnoCode, UserError } from '../../lib/errors.ts';
import { parseAuthFileOrRefuse, withEntry, type AuthFile } from '../auth-file.ts';
import { helperErase, helperLookup, helperProgram, helperStore } from './helper.ts';
import { credentialsFile } from '../paths.ts';
import { platformOf } from '../platform.ts';
import { replaceFile } from '../replace-file.ts';

const CLIENT = 'docker-config';

/** docker's config.json as docker finds it in `env`: $DOCKER_CONFIG/config.json, or ~/.docker/config.json. */
export const dockerConfigFile = (env: NodeJS.ProcessEnv): string => credentialsFile(CLIENT, platformOf(env));

/** The file as it is now, and the helper it hands `host` to (undefined: the secret goes in the file). */
interface Place {
  readonly path: string;
  readonly config: AuthFile;
  readonly helper: string | undefined;
}

async function place(host: string, env: NodeJS.ProcessEnv): Promise<Place> {
  const path = dockerConfigFile(env);
  // Only a missing file reads as empty: one we cannot read must not be replaced by one without its entries.
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    if (errnoCode(error, '') === 'ENOENT') return undefined;
    throw error;
  });
  const config = parseAuthFileOrRefuse(text, path);
  return { path, config, helper: helperProgram(config, path, host, env, CLIENT) };
}

const save = (p: Place, host: string, entry: Record<string, unknown> | undefined): Promise<void> =>
  replaceFile(p.path, JSON.stringify(withEntry(p.config, host, entry), null, '\t'), { createFolder: true });

/** The pair held for `host` (where docker would read it), 'none', or undefined when a helper could not say. */
async function held(p: Place, host: string, ctx: ClientContext): Promise<{ Username: string; Secret: string } | 'none' | undefined> {
  if (p.helper) {
    const found = await helperLookup(p.helper, host, ctx.env, ctx.timeoutMs, ctx.groups);
    return found === 'none' || 'Secret' in found ? found : undefined;
  }
  const auth = p.config.auths?.[host]?.['auth'];
  if (typeof auth !== 'string' || auth === '') return 'none';
  const pair = Buffer.from(auth, 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  return colon < 0 ? 'none' : { Username: pair.slice(0, colon), Secret: pair.slice(colon + 1) };
}

const where = (p: Place): string => p.helper ?? p.path;

/** Why a step failed, as a clause: our own sentence, or the file system's code. */
function reason(error: unknown, env: NodeJS.ProcessEnv): string {
  if (error instanceof UserError) return error.lines.join(' ').replace(/\.$/, '');
  return `could not update ${dockerConfigFile(env)} (${errnoCode(error, 'write failed')})`;
}

async function login(host: string, credential: Credential, ctx: ClientContext): Promise<Outcome> {
  const target = { client: CLIENT, host } as const;
  try {
    const p = await place(host, ctx.env);
    if (p.helper) {
      const secret = { ServerURL: host, Username: credential.username, Secret: credential.secret };
      if (!(await helperStore(p.helper, secret, ctx.env, ctx.timeoutMs, ctx.groups))) {
        return failed(target, `docker-config login to ${host} failed: ${p.helper} refused to store it`);
      }
      // docker marks a host whose secret a helper holds with an empty entry.
      const entry = p.config.auths?.[host];
      if (!entry || Object.keys(entry).length > 0) await save(p, host, {});
    } else {
      const auth = Buffer.from(`${credential.username}:${credential.secret}`).toString('base64');
      await save(p, host, { auth });
    }
    const now = await held(await place(host, ctx.env), host, ctx);
    if (typeof now !== 'object' || now.Username !== credential.username || now.Secret !== credential.secret) {
      return failed(target, `docker-config login to ${host} failed: ${where(p)} does not hold it when read back`);
    }
    return done(target, 'logged-in');
  } catch (error) {
    return failed(target, `docker-config login to ${host} failed: ${reason(error, ctx.env)}`);
  }
}

/** Removes the host's entry (and the helper's secret): undefined when done, else why not; post reads back either way. */
async function logout(host: string, ctx: ClientContext): Promise<string | undefined> {
  try {
    const p = await place(host, ctx.env);
    const erased = p.helper ? await helperErase(p.helper, host, ctx.env, ctx.timeoutMs, ctx.groups) : undefined;
    if (p.config.auths?.[host] !== undefined) await save(p, host, undefined);
    return erased;
  } catch (error) {
    return `docker-config logout failed: ${reason(error, ctx.env)}`;
  }
}

async function sees(host: string, username: string, ctx: ClientContext): Promise<boolean> {
  try {
    const now = await held(await place(host, ctx.env), host, ctx);
    return typeof now === 'object' && now.Username === username;
  } catch {
    return false;
  }
}

export const dockerConfigClient: OwnClient = { login, logout, sees };

/** Every client that is no process, for discovery in main and the logouts in post. */
export const OWN_CLIENTS: OwnClients = new Map([[CLIENT, dockerConfigClient]]);
