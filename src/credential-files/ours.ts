// Which logins in a shared credentials file are ours: each run leaves a small 0600 record under the
// user's state folder (run id, pid, its private folder, and the SHA-256 of the `username:secret`
// pair it stores), written before its first client starts and removed by its post. The hash is not
// a secret: the pair holds an API key or IAM token of ~40+ random characters, so its SHA-256 can
// neither be reversed nor used to log in; it only tells "this entry is the one that run stored".
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stateFolder } from '../lib/home.ts';
import { parseJsonObject } from '../lib/json.ts';
import { runIsLive } from './run-folder.ts';
import { writePrivateFile } from './private-files.ts';
import type { Earlier } from './earlier.ts';

export interface RunRecord {
  readonly run: string;
  readonly pid: number;
  /** The run's private folder: it exists while the run is under way. */
  readonly folder: string;
  readonly hash: string;
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

export async function writeRecord(env: NodeJS.ProcessEnv, record: RunRecord): Promise<void> {
  const dir = recordsDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writePrivateFile(join(dir, `${record.run}.json`), JSON.stringify(record));
}

export async function removeRecord(env: NodeJS.ProcessEnv, run: string): Promise<void> {
  await rm(join(recordsDir(env), `${run}.json`), { force: true }).catch(() => {});
}

/** Every other run's record, each with whether that run is still under way. */
export async function otherRuns(env: NodeJS.ProcessEnv, ourRun: string): Promise<(RunRecord & { live: boolean })[]> {
  const dir = recordsDir(env);
  const names = await readdir(dir).catch(() => [] as string[]);
  const found: (RunRecord & { live: boolean })[] = [];
  for (const name of names) {
    const v = parseJsonObject(await readFile(join(dir, name), 'utf8').catch(() => undefined));
    if (!v || typeof v['run'] !== 'string' || v['run'] === ourRun || typeof v['hash'] !== 'string' || typeof v['folder'] !== 'string')
      continue;
    const record = v as unknown as RunRecord;
    found.push({ ...record, live: await runIsLive(record.folder, record.run) });
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
    const owner = hash === undefined ? undefined : others.find((r) => r.hash === hash);
    (owner ? (owner.live ? result.live : result.dead) : result.users).push(e);
  }
  return result;
}
