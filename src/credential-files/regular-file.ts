// Reading a small file we keep in a folder others could tamper with, without trusting what is at its
// path: never through a link, never waiting on a FIFO, never more than a few KiB. Adapter over node:fs.
import { constants, type Stats } from 'node:fs';
import { lstat, open } from 'node:fs/promises';

export type Read =
  | { readonly kind: 'missing' }
  | { readonly kind: 'other'; readonly what: string }
  | { readonly kind: 'file'; readonly text: string; readonly stats: Stats };

const KINDS: [(s: Stats) => boolean, string][] = [
  [(s) => s.isDirectory(), 'a folder'],
  [(s) => s.isFIFO(), 'a FIFO'],
  [(s) => s.isSymbolicLink(), 'a symbolic link'],
  [(s) => s.isSocket(), 'a socket'],
  [(s) => s.isBlockDevice() || s.isCharacterDevice(), 'a device'],
];
const kindOf = (s: Stats): string => KINDS.find(([is]) => is(s))?.[1] ?? 'not a regular file';

/** What is at `path`: its first `maxBytes` when it is a regular file, else what it is instead. */
export async function readRegularFile(path: string, maxBytes = 4096): Promise<Read> {
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  const handle = await open(path, flags).catch((error: NodeJS.ErrnoException) => error);
  if (handle instanceof Error) {
    if (handle.code === 'ENOENT') return { kind: 'missing' };
    const s = await lstat(path).catch(() => undefined);
    return s ? { kind: 'other', what: kindOf(s) } : { kind: 'missing' };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { kind: 'other', what: kindOf(stats) };
    const buffer = Buffer.alloc(maxBytes);
    const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
    return { kind: 'file', text: buffer.subarray(0, bytesRead).toString('utf8'), stats };
  } finally {
    await handle.close();
  }
}
