// Files of ours: folders 0700, files 0600, created before anything is written into them.
import { randomUUID } from '../lib/random-id.ts';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';

export async function privateDir(parent: string, prefix: string): Promise<string> {
  await mkdir(parent, { recursive: true });
  const dir = join(parent, `${prefix}-${randomUUID()}`);
  await mkdir(dir, { mode: 0o700 });
  return dir;
}

/** Writes a new file readable by its owner only; the mode is set at creation, not after. */
export async function writePrivateFile(path: string, content: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true }).catch(() => {});
}
