// Writing a file of the user's when the write fails part way. The failure is real: the put-back runs
// in a process of its own whose file size limit (RLIMIT_FSIZE, set by prlimit) is smaller than the
// file, so the kernel writes the first 4 KiB and then refuses (EFBIG), just as a disk that fills up
// mid-write does (ENOSPC). That needs no root and no mount, so it runs wherever the unit tests run.
import { spawnSync } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restoreEarlier } from '../../../src/credential-files/earlier.ts';
import { replaceFile } from '../../../src/credential-files/replace-file.ts';

let dir = '';
let file = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icr-unit-replace-'));
  file = join(dir, 'config.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const entry = (n: number) => ({ auth: Buffer.from(`user${n}:their-own-password-${'x'.repeat(160)}`).toString('base64') });
/** A user's config.json with 20 registries in it: more than 4 KiB. */
const twentyRegistries = (): string =>
  JSON.stringify(
    { auths: Object.fromEntries(Array.from({ length: 20 }, (_, n) => [`registry${n}.example`, entry(n)])), psFormat: 'x' },
    null,
    '\t',
  );

/** restoreEarlier in a child limited to writing 4 KiB per file; what it returned. */
function putBackWithFileSizeLimit(earlier: unknown): string[] {
  const module = join(import.meta.dirname, '../../../src/credential-files/earlier.ts');
  const script = `import(${JSON.stringify(module)}).then((m) => m.restoreEarlier(${JSON.stringify(earlier)}, {}, 1000)).then((p) => console.log(JSON.stringify(p)));`;
  const child = spawnSync('prlimit', ['--fsize=4096', '--', process.execPath, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as string[];
}

describe('putting back the earlier entry when the write fails part way', () => {
  it('leaves config.json whole, says so in one line, and leaves no partial file beside it', async () => {
    const before = twentyRegistries();
    expect(before.length).toBeGreaterThan(4096);
    await writeFile(file, before, { mode: 0o600 });
    const problems = putBackWithFileSizeLimit([{ file, host: 'us.icr.io', entry: entry(99) }]);
    const after = await readFile(file, 'utf8');
    expect({ bytes: after.length, whole: after === before }).toEqual({ bytes: before.length, whole: true });
    expect(await readdir(dir)).toEqual(['config.json']);
    expect(problems).toEqual([
      `could not put the earlier credentials for us.icr.io back into ${file} (EFBIG: the file size limit was reached); the file is as it was, without them: log in to us.icr.io again`,
    ]);
  }, 30_000);

  it('does not rewrite a file that is no longer JSON (whatever else it held would be lost)', async () => {
    await writeFile(file, '{"auths": {"de.icr.io": {');
    expect(await restoreEarlier([{ file, host: 'us.icr.io', entry: entry(1) }], {}, 1000)).toEqual([
      `could not put the earlier credentials for us.icr.io back into ${file}, which is no longer valid JSON; fix it, then log in to us.icr.io again`,
    ]);
    expect(await readFile(file, 'utf8')).toBe('{"auths": {"de.icr.io": {');
  });
});

describe('replacing a file of the user’s', () => {
  it("keeps the original's mode; a new file is 0600", async () => {
    await writeFile(file, '{}', { mode: 0o640 });
    await replaceFile(file, '{"a":1}');
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    const fresh = join(dir, 'auth.json');
    await replaceFile(fresh, '{"b":1}');
    expect((await stat(fresh)).mode & 0o777).toBe(0o600);
    expect(await readFile(fresh, 'utf8')).toBe('{"b":1}');
  });

  it('replaces the file a link names and keeps the link (dotfiles kept elsewhere)', async () => {
    const real = join(dir, 'dotfiles-config.json');
    await writeFile(real, '{}');
    await symlink(real, file);
    await replaceFile(file, '{"a":1}');
    expect((await lstat(file)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe('{"a":1}');
  });
});
