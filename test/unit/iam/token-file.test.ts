// The pod's compute-resource token file: the SDKs' default order (tested here with paths of our own: the
// default paths are system paths), and every way the file can be unusable. The e2e tests read it through
// cr-token-file, and the default order's "none exists" on a machine that has none of them.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN_FILES, readCrToken } from '../../../src/iam/token-file.ts';

const TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6Y2k6cnVubmVyIn0.c2lnbmF0dXJl';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icr-cr-token-'));
});

const read = async (paths: string[], given = false): Promise<{ path?: string; token?: string; error?: string; masked: string[] }> => {
  const masked: string[] = [];
  try {
    return { ...(await readCrToken(paths, given, (s) => masked.push(s))), masked };
  } catch (error) {
    return { error: (error as Error).message, masked };
  }
};

describe('the default order', () => {
  it('is the SDKs’: Vault’s projected token, then IKS’s, then Code Engine’s', () => {
    expect(DEFAULT_TOKEN_FILES).toEqual([
      '/var/run/secrets/tokens/vault-token',
      '/var/run/secrets/tokens/sa-token',
      '/var/run/secrets/codeengine.cloud.ibm.com/compute-resource-token/token',
    ]);
  });

  it('takes the first file that exists, and masks it before anything else', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((n) => join(dir, `order-${n}`));
    await writeFile(b!, `${TOKEN}\n`);
    await writeFile(c!, 'another-token-value');
    expect(await read([a!, b!, c!])).toEqual({ path: b, token: TOKEN, masked: expect.arrayContaining([TOKEN]) as string[] });
  });

  it('names every path tried when none exists', async () => {
    const paths = ['x', 'y', 'z'].map((n) => join(dir, 'none', n));
    expect((await read(paths)).error).toBe(
      `Identity container found no compute-resource token: none of ${paths.join(', ')} exists; mount a projected service-account token with audience iam at one of them, or name the file in cr-token-file.`,
    );
  });

  it('a path under a file (ENOTDIR) counts as missing', async () => {
    const file = join(dir, 'plain');
    await writeFile(file, TOKEN);
    expect((await read([join(file, 'token'), file])).path).toBe(file);
  });
});

describe('a file that cannot serve', () => {
  it('cr-token-file naming a missing file says so', async () => {
    const path = join(dir, 'missing');
    expect((await read([path], true)).error).toBe(
      `The compute-resource token file ${path} does not exist (input cr-token-file); mount a projected service-account token with audience iam there, or correct the path.`,
    );
  });

  it.each([
    ['empty', ''],
    ['only whitespace', ' \n\t\n'],
  ])('%s', async (_what, text) => {
    const path = join(dir, `empty-${text.length}`);
    await writeFile(path, text);
    const later = join(dir, 'later');
    await writeFile(later, TOKEN);
    // An empty first file is not skipped for the next: it is the one that exists.
    expect((await read([path, later])).error).toMatch(new RegExp(`^The compute-resource token file ${path} is empty; the kubelet writes`));
  });

  it('a folder, and a FIFO (never waited on)', async () => {
    const folder = join(dir, 'folder');
    await mkdir(folder);
    expect((await read([folder], true)).error).toBe(
      `The compute-resource token file ${folder} is not a file; cr-token-file names the token file itself.`,
    );
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect((await read([fifo], true)).error).toMatch(/is not a file/);
  });

  it('a file far larger than a token', async () => {
    const big = join(dir, 'big');
    await writeFile(big, 'x'.repeat(70 * 1024));
    expect((await read([big], true)).error).toMatch(/is far larger than a token/);
  });

  it('follows the symbolic links a projected volume is made of', async () => {
    const data = join(dir, '..data');
    await mkdir(data, { recursive: true });
    await writeFile(join(data, 'sa-token'), TOKEN);
    const link = join(dir, 'sa-token');
    await symlink(join('..data', 'sa-token'), link);
    expect((await read([link], true)).token).toBe(TOKEN);
  });
});
