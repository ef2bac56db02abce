// Which logins in a shared credentials file are ours: each run leaves a small 0600 record under the
// user's state folder (run id, pid, its private folder, and the SHA-256 of each `username:secret`
// pair it stores: the api-key's for ICR, the entitlement key's for the entitled registry), written
// before its first client starts and removed by its post (or, when its post
// never ran, by a later run once no job could still be under way: RECORD_LIFETIME_MS). The hash is not
// a secret: the pair holds an API key, IAM token or entitlement key of ~40+ random characters, so its
// SHA-256 can neither be reversed nor used to log in; it only tells "this entry is one that run stored".
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { stateFolder } from '../lib/home.ts';
import { parseJsonObject } from '../lib/json.ts';
import { runIsLive } from './run-folder.ts';
import { readRegularFile } from './regular-file.ts';
import { replaceFile } from './replace-file.ts';
import type { Earlier } from './earlier.ts';

export interface RunRecord {
  readonly run: string;
  readonly pid: number;
  /** The run's private folder: it exists while the run is under way. */
  readonly folder: string;
  /** One per credential the run stores. */
  readonly hashes: readonly string[];
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export const pairHash = (username: string, secret: string): string => sha256(`${username}:${secret}`);

/** The hash of what an `auths` entry or a helper holds, or undefined when it holds no `username:secret`. */
export function entryHash(entry: Record<string, unknown> | undefined, helper?: { Username: string; Secret: string }): string | undefined {
  if (helper) return pairHash(helper.Username, helper.Secret);
  const auth = entry?.['auth'];
  if (typeof auth !== 'string' || auth === '') return undefined;
  // The entry stores base64 `username:secret`: the same pair pairHash hashes.
  return sha256(Buffer.from(auth, 'base64').toString('utf8'));
}

export function recordsDir(env: NodeJS.ProcessEnv): string {
  return join(stateFolder(env), 'runs');
}

/**
 * How long a record can matter: a run is one job's main and post, and GitHub ends every job within 5
 * days (a self-hosted runner's limit; 6 h on a hosted one: docs/icr.md#how-long-a-job-can-run). A
 * record older than that is a run whose post never ran (the job was killed, the machine went down),
 * so it is removed rather than kept forever. A CLI login has no such limit: 5 days on, other runs treat
 * its entry as the user's (kept aside and put back, never removed); its own `icr-login logout` still
 * removes it.
 */
export const RECORD_LIFETIME_MS = 5 * 24 * 3600 * 1000;

const RUN = /^[A-Za-z0-9-]{1,64}$/;
const HASH = /^[0-9a-f]{64}$/;

/** Written whole beside its place and renamed into it (replace-file.ts): no run ever reads half a record. */
export async function writeRecord(env: NodeJS.ProcessEnv, record: RunRecord): Promise<void> {
  const dir = recordsDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // `hash` as well: a run of an older icr-login on this runner reads that one, and removes a record without it.
  await replaceFile(join(dir, `${record.run}.json`), JSON.stringify({ ...record, hash: record.hashes[0] }));
}

export async function removeRecord(env: NodeJS.ProcessEnv, run: string): Promise<void> {
  await rm(join(recordsDir(env), `${run}.json`), { force: true }).catch(() => {});
}

/** The record in `name`, or undefined when it is not one this code wrote whole (then it is not trusted). */
function parseRecord(name: string, text: string): RunRecord | undefined {
  const v = parseJsonObject(text);
  if (!v) return undefined;
  const { run, pid, folder, hash, hashes } = v;
  // An older icr-login wrote `hash` alone.
  const all: unknown[] = Array.isArray(hashes) ? hashes : [hash];
  const valid =
    typeof run === 'string' &&
    RUN.test(run) &&
    name === `${run}.json` &&
    Number.isInteger(pid) &&
    (pid as number) > 0 &&
    typeof folder === 'string' &&
    isAbsolute(folder) &&
    all.length > 0 &&
    all.every((h) => typeof h === 'string' && HASH.test(h));
  return valid ? { run, pid: pid as number, folder, hashes: all as string[] } : undefined;
}

/**
 * Every other run's record, each with whether that run is still under way. On the way, removes what
 * can no longer matter: records past RECORD_LIFETIME_MS, and anything there that is not a record this
 * code wrote whole (a corrupt record, a folder, a FIFO, half a record a killed writer left).
 */
export async function otherRuns(env: NodeJS.ProcessEnv, ourRun: string, now = Date.now()): Promise<(RunRecord & { live: boolean })[]> {
  const dir = recordsDir(env);
  const names = await readdir(dir).catch(() => [] as string[]);
  const found: (RunRecord & { live: boolean })[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const read = await readRegularFile(path);
    // A record being written right now is a new file whose name starts with a dot: young, left alone.
    const writing = name.startsWith('.') && read.kind === 'file' && now - read.stats.mtimeMs < RECORD_LIFETIME_MS;
    if (writing || read.kind === 'missing') continue;
    const record = read.kind === 'file' && !name.startsWith('.') ? parseRecord(name, read.text) : undefined;
    if (!record || read.kind !== 'file' || now - read.stats.mtimeMs > RECORD_LIFETIME_MS) {
      await rm(path, { recursive: true, force: true }).catch(() => {});
      continue;
    }
    if (record.run !== ourRun) found.push({ ...record, live: await runIsLive(record.folder, record.run) });
  }
  return found;
}

/** Earlier credentials split into the user's own and logins other runs of ours stored (live: still under way). */
export function whoseEarlier(
  earlier: readonly Earlier[],
  others: readonly (RunRecord & { live: boolean })[],
): { users: Earlier[]; live: Earlier[]; dead: Earlier[] } {
  const result = { users: [] as Earlier[], live: [] as Earlier[], dead: [] as Earlier[] };
  for (const e of earlier) {
    const hash = entryHash(e.entry, e.helper?.secret);
    const owner = hash === undefined ? undefined : others.find((r) => r.hashes.includes(hash));
    (owner ? (owner.live ? result.live : result.dead) : result.users).push(e);
  }
  return result;
}
