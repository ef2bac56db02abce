// A file of the user's replaced whole: written as a new file beside it, flushed, then renamed into
// place, so a write that fails part way (a full disk) leaves the original as it was. docker saves its
// config.json the same way. Adapter over node:fs.
import { randomUUID } from 'node:crypto';
import { mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `path` with `content`. The new file gets the original's mode and owner (0600 when there is
 * none, in a folder created 0700, as docker creates ~/.docker); a link at `path` is followed, so the
 * file it names is replaced and the link stays. On failure the new file is removed and the error thrown.
 */
export async function writeBeside(path: string, content: string): Promise<void> {
  const target = await realpath(path).catch(() => path);
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
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
