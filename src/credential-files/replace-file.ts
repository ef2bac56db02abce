// Every write of a file of the user's (their config.json, their auth.json): a new file beside it,
// then renamed into place, so a write that fails part way (a full disk) leaves the original whole.
// Adapter over node:fs.
import { randomUUID } from '../lib/random-id.ts';
import { mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode } from '../lib/errors.ts';

/**
 * Replaces `path` with `content`: written whole into a new file in the same folder (the original's
 * mode and owner, 0600 when there is none), flushed to disk, then renamed over the original. With
 * `createFolder`, a missing folder is made 0700, as docker makes ~/.docker; without it, a folder a
 * later step removed stays removed. A link
 * at `path` is followed, so the file it names is replaced and the link stays, as docker's own save
 * does. On failure the new file is removed and the original is as it was; the error is thrown.
 */
export async function replaceFile(path: string, content: string, { createFolder = false } = {}): Promise<void> {
  const target = await realpath(path).catch(() => path);
  if (createFolder) await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  const original = await stat(target).catch(() => undefined);
  const mode = original ? original.mode & 0o7777 : 0o600;
  const temp = join(dirname(target), `.${basename(target)}.icr-login-${randomUUID()}`);
  const handle = await open(temp, 'wx', mode);
  try {
    try {
      // The mode at creation is narrowed by the umask; the original's is kept exactly.
      await handle.chmod(mode);
      if (original && process.platform !== 'win32' && (original.uid !== process.getuid?.() || original.gid !== process.getgid?.()))
        await handle.chown(original.uid, original.gid).catch(() => {});
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

const MEANINGS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file size limit was reached',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOENT: 'its folder is gone',
};

/** Why a write failed, as a code and what it means: `ENOSPC: the disk is full`. */
export function writeFailure(error: unknown): string {
  const code = errnoCode(error, 'write failed');
  return MEANINGS[code] ? `${code}: ${MEANINGS[code]}` : code;
}
