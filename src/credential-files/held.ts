// Reading back what an entry (a credentials file and a host) holds, as a client of it reads it: the
// file's `auths` entry, or what the credential helper the file names holds for the host. Post reads
// before and after every logout and every put-back, and reports only what it read. Adapter over
// node:fs and the helpers.
import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { findExecutable } from '../clients/discover.ts';
import { sharesContainersAuth } from '../clients/commands.ts';
import type { Place } from '../clients/held.ts';
import type { ClientName } from '../inputs/settings.ts';
import { errnoCode } from '../lib/errors.ts';
import { parseJsonObject } from '../lib/json.ts';
import { helperFor, type AuthFile } from './auth-file.ts';
import { helperErase, helperLookup } from './docker/helper.ts';
import type { Earlier } from './earlier.ts';
import { entryHash } from './ours.ts';

/** What an entry holds, before it is judged: the hash of its `username:secret`, when it holds one. */
export type Reading = { readonly place: Place } & (
  | { readonly state: 'none' }
  | { readonly state: 'held'; readonly hash: string | undefined }
  | { readonly state: 'unreadable'; readonly why: string }
);

interface Entry {
  readonly file: string;
  readonly host: string;
  readonly client: ClientName;
}

async function readAuthFile(path: string): Promise<AuthFile | string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    // No file (or no folder it could be in) holds nothing; a file that cannot be read may hold anything.
    const code = errnoCode(error, 'read failed');
    return code === 'ENOENT' || code === 'ENOTDIR' ? {} : `${path} could not be read (${code})`;
  }
  if (text.trim() === '') return {};
  return (parseJsonObject(text) as AuthFile | undefined) ?? `${path} is no longer valid JSON`;
}

/** What the entry's client reads for its host now (docker honours credsStore, the containers tools only credHelpers). */
export async function readEntry({ file, host, client }: Entry, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Reading> {
  const config = await readAuthFile(file);
  if (typeof config === 'string') return { place: { kind: 'file', path: file }, state: 'unreadable', why: config };
  const helper = helperFor(config, host, { credsStore: !sharesContainersAuth(client) });
  if (!helper) {
    const entry = config.auths?.[host];
    if (!entry || Object.keys(entry).length === 0) return { place: { kind: 'file', path: file }, state: 'none' };
    return { place: { kind: 'file', path: file }, state: 'held', hash: entryHash(entry) };
  }
  const name = `docker-credential-${helper}`;
  const program = findExecutable(name, env);
  if (!program) return { place: { kind: 'helper', program: name }, state: 'unreadable', why: `${name} is not on PATH` };
  const found = await helperLookup(program, host, env, timeoutMs);
  const place: Place = { kind: 'helper', program };
  if (found === 'none') return { place, state: 'none' };
  if ('why' in found) return { place, state: 'unreadable', why: found.why };
  return { place, state: 'held', hash: entryHash(undefined, found) };
}

/** Erases the host from the helper that holds it: the helper's own way, when a client's logout left it. */
export function eraseFromHelper(
  place: Place,
  host: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): (() => Promise<string | undefined>) | undefined {
  if (place.kind !== 'helper') return undefined;
  return () => helperErase(place.program, host, env, timeoutMs);
}

/** Whether the entry holds again exactly what it held before the step (read back after a put-back). */
export async function holdsEarlier(e: Earlier, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<boolean> {
  const key = e.key ?? e.host;
  if (e.helper) {
    const found = await helperLookup(e.helper.program, key, env, timeoutMs);
    return (
      typeof found === 'object' &&
      'Secret' in found &&
      found.Secret === e.helper.secret.Secret &&
      found.Username === e.helper.secret.Username
    );
  }
  if (!e.entry) return true;
  const config = await readAuthFile(e.file);
  return typeof config !== 'string' && isDeepStrictEqual(config.auths?.[key], e.entry);
}
