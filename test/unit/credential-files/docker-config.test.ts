// docker-config's login, logout and check on real files in a temp folder, with the file-backed
// credential helper: what lands in config.json, what is kept, and what a read-back catches.
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dockerConfigClient } from '../../../src/credential-files/docker/config-client.ts';
import { installHelper } from '../../harness/credential-helper.ts';

const HOST = 'us.icr.io';
const CREDENTIAL = { username: 'iamapikey', secret: 'unit-docker-config-secret-0123456789', expiresAt: undefined };
const AUTH = Buffer.from(`${CREDENTIAL.username}:${CREDENTIAL.secret}`).toString('base64');

let dir: string;
let file: string;
let ctx: { env: NodeJS.ProcessEnv; timeoutMs: number };
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icr-docker-config-'));
  file = join(dir, 'docker', 'config.json');
  ctx = { env: { DOCKER_CONFIG: join(dir, 'docker'), HOME: dir, PATH: '' }, timeoutMs: 5000 };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const read = async (): Promise<Record<string, unknown>> => JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
const put = async (value: unknown, mode = 0o600): Promise<void> => {
  await mkdir(join(dir, 'docker'), { recursive: true });
  await writeFile(file, JSON.stringify(value), { mode });
};

describe('docker-config in the file', () => {
  it('creates the folder 0700 and the file 0600, with the entry docker writes; sees it; logs out', async () => {
    expect(await dockerConfigClient.login(HOST, CREDENTIAL, ctx)).toMatchObject({ ok: true, kind: 'logged-in' });
    expect((await stat(join(dir, 'docker'))).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await read()).toEqual({ auths: { [HOST]: { auth: AUTH } } });
    expect(await dockerConfigClient.sees(HOST, 'iamapikey', ctx)).toBe(true);
    expect(await dockerConfigClient.sees(HOST, 'iambearer', ctx)).toBe(false);
    expect(await dockerConfigClient.logout(HOST, ctx)).toBeUndefined();
    expect(await read()).toEqual({ auths: {} });
    expect(await dockerConfigClient.logout(HOST, ctx)).toBeUndefined();
  });

  it('keeps every other key, entry and the file’s mode; leaves no temporary file beside it', async () => {
    const user = {
      auths: { 'other.example': { auth: 'eDp5' }, [HOST]: { auth: 'b2xkOnBhc3M=', email: 'x@y' } },
      psFormat: 'x',
      unknown: [1],
    };
    await put(user, 0o640);
    await dockerConfigClient.login(HOST, CREDENTIAL, ctx);
    expect(await read()).toEqual({ ...user, auths: { ...user.auths, [HOST]: { auth: AUTH } } });
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(await readdir(join(dir, 'docker'))).toEqual(['config.json']);
  });

  it('replaces the file a link names and keeps the link', async () => {
    await mkdir(join(dir, 'docker'), { recursive: true });
    const real = join(dir, 'real-config.json');
    await writeFile(real, '{"psFormat":"x"}');
    await symlink(real, file);
    await dockerConfigClient.login(HOST, CREDENTIAL, ctx);
    expect((await lstat(file)).isSymbolicLink()).toBe(true);
    expect(await readlink(file)).toBe(real);
    expect(JSON.parse(await readFile(real, 'utf8'))).toEqual({ psFormat: 'x', auths: { [HOST]: { auth: AUTH } } });
  });

  it('fails in one line, without throwing, where config.json cannot be read or is not JSON; the file stays', async () => {
    await mkdir(file, { recursive: true });
    const folder = await dockerConfigClient.login(HOST, CREDENTIAL, ctx);
    expect(folder).toMatchObject({ ok: false });
    expect((folder as { why: string }).why).toMatch(
      new RegExp(`^docker-config login to ${HOST} failed: could not update .*config\\.json \\(EISDIR\\)$`),
    );
    await rm(file, { recursive: true });
    await writeFile(file, '{"auths": {');
    const broken = await dockerConfigClient.login(HOST, CREDENTIAL, ctx);
    expect((broken as { why: string }).why).toMatch(/failed: The credentials file .* is not valid JSON/);
    expect(await readFile(file, 'utf8')).toBe('{"auths": {');
  });
});

describe('docker-config through a credential helper', () => {
  it('credHelpers: stores through the helper, leaves the empty entry docker leaves, erases and reads back', async () => {
    const helper = await installHelper(dir, 'unit');
    ctx.env['PATH'] = helper.bin;
    await put({ credHelpers: { [HOST]: 'unit' } });
    expect(await dockerConfigClient.login(HOST, CREDENTIAL, ctx)).toMatchObject({ ok: true, kind: 'logged-in' });
    expect(await helper.read()).toEqual({ [HOST]: { Username: 'iamapikey', Secret: CREDENTIAL.secret } });
    expect(await read()).toEqual({ credHelpers: { [HOST]: 'unit' }, auths: { [HOST]: {} } });
    expect(await dockerConfigClient.sees(HOST, 'iamapikey', ctx)).toBe(true);
    expect(await dockerConfigClient.logout(HOST, ctx)).toBeUndefined();
    expect(await helper.read()).toEqual({});
    expect(await read()).toEqual({ credHelpers: { [HOST]: 'unit' }, auths: {} });
  });

  it('a helper that refuses erase: says why, and leaves the judging to post’s read-back (e2e: docker-config.test.ts)', async () => {
    const helper = await installHelper(dir, 'locked', { refuse: 'erase' });
    ctx.env['PATH'] = helper.bin;
    await put({ credsStore: 'locked' });
    await dockerConfigClient.login(HOST, CREDENTIAL, ctx);
    expect(await dockerConfigClient.logout(HOST, ctx)).toMatch(/^docker-credential-locked erase failed: /);
  });

  it('a helper that never answers store: a failed login within the time limit, the file untouched', async () => {
    const helper = await installHelper(dir, 'stuck', { hang: 'store' });
    ctx = { ...ctx, env: { ...ctx.env, PATH: helper.bin }, timeoutMs: 500 };
    await put({ credsStore: 'stuck' });
    const out = await dockerConfigClient.login(HOST, CREDENTIAL, ctx);
    expect((out as { why: string }).why).toMatch(/docker-credential-stuck refused to store it$/);
    expect(await read()).toEqual({ credsStore: 'stuck' });
    // The helper ran, and is gone: none of its processes outlives the time limit.
    const pids = await helper.pids();
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });

  it('a helper missing from PATH: the one line that says what to install or remove', async () => {
    await put({ credsStore: 'desktop' });
    const out = await dockerConfigClient.login(HOST, CREDENTIAL, ctx);
    expect((out as { why: string }).why).toMatch(
      /^docker-config login to us\.icr\.io failed: docker's config hands us\.icr\.io credentials to docker-credential-desktop \(credsStore in .*\), which is not on PATH; /,
    );
  });
});
