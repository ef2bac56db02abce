// The files a lock is made of, read without trusting what is at their paths: the lock file itself,
// each taker's holder file (written whole before it is linked into place) and the claims on a lock
// (claim.ts). Adapter over node:fs.
import { open } from 'node:fs/promises';
import { UserError } from '../../lib/errors.ts';
import { parseJsonObject } from '../../lib/json.ts';
import { processAlive } from '../../clients/processes.ts';
import { readRegularFile } from '../regular-file.ts';

export interface Holder {
  readonly pid: number;
  readonly token: string;
  readonly since: number;
  /** The holder's own bound: after it, the lock is taken over even if the pid lives (or was reused). */
  readonly until: number;
}

/** What is at a lock path: nothing, something that is not a lock file, or a lock file and its identity. */
export type Seen =
  | { readonly kind: 'missing' }
  | { readonly kind: 'other'; readonly what: string }
  | { readonly kind: 'lock'; readonly id: string; readonly holder?: Holder; readonly ageMs: number };

/** A token names claim files, so only this shape counts as one. */
const TOKEN = /^[A-Za-z0-9-]{1,64}$/;
/** Every file of a lock holds a line of JSON; anything longer is not ours. */
const MAX_BYTES = 4096;
/** A regular file at the path that holds no holder record: an older icr-login killed before writing it, or junk. */
const UNREADABLE_STALE_MS = 5000;

function holderIn(text: string): Holder | undefined {
  const v = parseJsonObject(text);
  if (!v || typeof v['pid'] !== 'number' || typeof v['until'] !== 'number' || typeof v['token'] !== 'string') return undefined;
  return TOKEN.test(v['token']) ? (v as unknown as Holder) : undefined;
}

/** Reads what is at `path`, without following a link or waiting on a FIFO (regular-file.ts). */
export async function look(path: string): Promise<Seen> {
  const read = await readRegularFile(path, MAX_BYTES);
  if (read.kind !== 'file') return read;
  const holder = holderIn(read.text);
  const ageMs = Date.now() - read.stats.mtimeMs;
  // A file without a holder record is known by its inode and time, which no other file there shares.
  const id = holder ? holder.token : `i${read.stats.ino}-${Math.trunc(read.stats.mtimeMs)}`;
  return { kind: 'lock', id, holder, ageMs };
}

/** A lock whose holder died (a killed job) or overstayed its own bound, or that never held a record. */
export function isStale(seen: Seen, now = Date.now()): boolean {
  if (seen.kind !== 'lock') return false;
  if (!seen.holder) return seen.ageMs > UNREADABLE_STALE_MS;
  return !processAlive(seen.holder.pid) || now > seen.holder.until;
}

/** Writes a holder file whole, readable by its owner only; it is then linked to where it holds. */
export async function writeHolder(path: string, holder: Holder): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(JSON.stringify(holder));
  } finally {
    await handle.close();
  }
}

/** Something at a lock path that is not a lock file: no job can take its turn there until it is removed. */
export class NotALockFile extends UserError {
  readonly path: string;
  readonly what: string;
  constructor(path: string, what: string) {
    super(
      `${path} is ${what}, not icr-login's lock file, so no job can take its turn writing the credentials file beside it; remove it and try again.`,
      'credentials file lock',
    );
    this.path = path;
    this.what = what;
  }
}
