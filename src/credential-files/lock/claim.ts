// Removing a lock file so that exactly the lock judged removable goes, and only once. Whoever removes
// a lock file (a waiter taking over a stale one, the holder releasing its own) must first win the
// claim named after that lock's token, `LOCK.claim-TOKEN`, made with link(), which is atomic and
// never replaces. Only one process can hold that claim, tokens are never reused, and nobody removes
// the lock without it: so the lock seen under the claim is still the same lock when it is removed.
// A claim whose winner died is itself a lock, taken over the same way one level down.
import { link, readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode } from '../../lib/errors.ts';
import { processAlive } from '../../clients/processes.ts';
import { isStale, look, NotALockFile, type Holder, type Seen } from './files.ts';

const CLAIM = '.claim-';
const HOLDER = '.new-';

/** A taker's holder file beside the lock, named with its pid so a sweep can tell it from a live one's even before it is written. */
export const holderFile = (path: string, h: Holder): string => `${path}${HOLDER}${h.pid}-${h.token}`;
/** Claims on claims: each level means another taker died in the middle of its takeover. */
const MAX_DEPTH = 3;

export type Removal = 'removed' | 'gone' | 'busy';

/**
 * Removes the lock file at `path` if it still is `id` and `removable` still holds, holding the claim
 * on `id` while it checks and removes. `mine` is this process's holder file, linked as the claim.
 * 'gone': the lock is no longer `id` (someone else removed it); 'busy': another live process holds
 * the claim (it is removing this lock), or the lock is no longer removable.
 */
export async function removeExactly(path: string, id: string, removable: (s: Seen) => boolean, mine: string, depth = 0): Promise<Removal> {
  const claim = `${path}${CLAIM}${id}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    const won = await link(mine, claim).then(
      () => true,
      (error: unknown) => (errnoCode(error, '') === 'EEXIST' ? false : Promise.reject(error)),
    );
    if (won) {
      try {
        const now = await look(path);
        if (now.kind !== 'lock' || now.id !== id) return 'gone';
        if (!removable(now)) return 'busy';
        await unlink(path);
        return 'removed';
      } finally {
        await unlink(claim).catch(() => {});
      }
    }
    // The claim is taken. It may have outlived its lock (its winner died after removing it).
    const target = await look(path);
    if (target.kind !== 'lock' || target.id !== id) return 'gone';
    const other = await look(claim);
    if (other.kind === 'other') throw new NotALockFile(claim, other.what);
    if (other.kind === 'missing') continue;
    if (depth >= MAX_DEPTH || !isStale(other)) return 'busy';
    // Its winner died holding it: take the claim over, one level down, then try for it again.
    await removeExactly(claim, other.id, isStale, mine, depth + 1);
  }
  return 'busy';
}

/**
 * Removes what takers and releasers killed half way left beside the lock at `path`: holder files of
 * dead processes, and claims on a lock that is gone or is another lock now (tokens are never reused,
 * so such a claim can never matter again).
 */
export async function sweep(path: string): Promise<void> {
  const dir = dirname(path);
  const base = basename(path);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(`${base}.`))) {
    const full = join(dir, name);
    const at = name.lastIndexOf(CLAIM);
    if (at > 0) {
      const target = await look(join(dir, name.slice(0, at)));
      if (target.kind !== 'lock' || target.id !== name.slice(at + CLAIM.length)) await unlink(full).catch(() => {});
    } else if (name.startsWith(`${base}${HOLDER}`)) {
      const seen = await look(full);
      const pid = Number(name.slice(base.length + HOLDER.length).split('-')[0]);
      if (seen.kind === 'lock' && (seen.holder ? isStale(seen) : !processAlive(pid) || isStale(seen))) await unlink(full).catch(() => {});
    }
  }
}
