// Earlier credentials on temp files: read from plain auth files, kept aside privately, put back whole.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { earlierSecrets, loadEarlier, readEarlier, restoreEarlier, saveEarlier } from '../../../src/credential-files/earlier.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icr-unit-earlier-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const entry = { auth: Buffer.from('someone:their-own-password').toString('base64') };
const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

describe('earlier credentials', () => {
  it('reads the entries the targets’ hosts hold, once per (file, host), and nothing for other hosts', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ auths: { 'us.icr.io': entry, 'other.example': entry }, psFormat: 'x' }));
    const earlier = await readEarlier(
      [
        { client: 'docker', host: 'us.icr.io', file },
        { client: 'docker', host: 'us.icr.io', file },
        { client: 'docker', host: 'de.icr.io', file },
        { client: 'podman', host: 'us.icr.io', file: join(dir, 'missing.json') },
      ],
      {},
      1000,
    );
    expect(earlier).toEqual([{ file, host: 'us.icr.io', key: 'us.icr.io', entry }]);
    expect(earlierSecrets(earlier)).toEqual([entry.auth]);
  });

  it('keeps them aside in a 0600 file inside a new 0700 folder, and loads them back', async () => {
    const earlier = [{ file: join(dir, 'auth.json'), host: 'us.icr.io', entry }];
    // Main's own folder (run-folder.ts) is made 0700 before anything is kept in it.
    const folder = join(dir, 'run');
    await mkdir(folder, { mode: 0o700 });
    const path = await saveEarlier(folder, earlier);
    expect(await mode(path)).toBe(0o600);
    expect(dirname(path)).toBe(folder);
    expect(await loadEarlier(path)).toEqual(earlier);
    // A copy that is gone reads as unknown, so post can say what it cannot put back.
    expect(await loadEarlier(join(dir, 'nothing.json'))).toBeUndefined();
  });

  it('puts an entry back, leaving every other host and key of the file as it is', async () => {
    const file = join(dir, 'auth.json');
    await writeFile(file, JSON.stringify({ auths: { 'de.icr.io': { auth: 'b3RoZXI=' } }, credHelpers: {}, psFormat: 'x' }));
    expect(await restoreEarlier([{ file, host: 'us.icr.io', entry }], {}, 1000)).toEqual([]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      auths: { 'de.icr.io': { auth: 'b3RoZXI=' }, 'us.icr.io': entry },
      credHelpers: {},
      psFormat: 'x',
    });
  });

  it('says which host and file it could not put back, with the error code', async () => {
    const file = join(dir, 'gone', 'auth.json');
    expect(await restoreEarlier([{ file, host: 'us.icr.io', entry }], {}, 1000)).toEqual([
      `could not put the earlier credentials for us.icr.io back into ${file} (ENOENT: its folder is gone); the file is as it was, without them: log in to us.icr.io again`,
    ]);
  });
});
