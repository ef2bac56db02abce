// Reading back what an entry holds, as its client reads it: the file's auths entry, or the credential
// helper the file names (docker honours credsStore, the containers tools only credHelpers), and every
// way the answer can be "cannot say". And whether a put-back holds exactly what was there before. A
// fake helper (test/harness/credential-helper.ts) and files in a temp folder; Node alone.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Earlier } from '../../../src/credential-files/earlier.ts';
import { eraseFromHelper, holdsEarlier, readEntry, type Reading } from '../../../src/credential-files/held.ts';
import { pairHash } from '../../../src/credential-files/ours.ts';
import type { ClientName } from '../../../src/inputs/settings.ts';
import { installHelper, type FakeHelper } from '../../harness/credential-helper.ts';

const HOST = 'us.icr.io';
const SECRET = 'unit-test-secret-0123456789abcdefghijkl';
const entry = (user: string, secret: string) => ({ auth: Buffer.from(`${user}:${secret}`).toString('base64') });
const OURS = pairHash('iamapikey', SECRET);

let dir: string;
let file: string;
let helper: FakeHelper;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icr-unit-held-'));
  file = join(dir, 'config.json');
  helper = await installHelper(dir, 'test');
  env = { PATH: `${helper.bin}:/usr/bin:/bin` };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const read = (client: ClientName = 'docker', at = file): Promise<Reading> => readEntry({ file: at, host: HOST, client }, env, 5_000);
const inFile = (): { kind: 'file'; path: string } => ({ kind: 'file', path: file });
const inHelper = () => ({ kind: 'helper' as const, program: join(helper.bin, 'docker-credential-test') });

describe('readEntry, a file', () => {
  it.each<[string, string | undefined, Record<string, string | undefined>]>([
    ['no file', undefined, { state: 'none' }],
    ['an empty file', '  \n', { state: 'none' }],
    ['no auths', '{"credsStore": ""}', { state: 'none' }],
    ['an entry for another host', JSON.stringify({ auths: { 'de.icr.io': entry('iamapikey', SECRET) } }), { state: 'none' }],
    ['an empty entry', JSON.stringify({ auths: { [HOST]: {} } }), { state: 'none' }],
    ['our login', JSON.stringify({ auths: { [HOST]: entry('iamapikey', SECRET) } }), { state: 'held', hash: OURS }],
    [
      'an entry with no auth (an identity token)',
      JSON.stringify({ auths: { [HOST]: { identitytoken: 'x' } } }),
      { state: 'held', hash: undefined },
    ],
    ['a file that is no longer JSON', '{"auths": {', { state: 'unreadable', why: 'FILE is no longer valid JSON' }],
  ])('%s', async (_what, text, reading) => {
    if (text !== undefined) await writeFile(file, text);
    const expected = reading['why'] === undefined ? reading : { ...reading, why: reading['why'].replace('FILE', file) };
    expect(await read()).toEqual({ place: inFile(), ...expected });
  });

  it('a path under a file holds nothing; a folder in its place cannot be read', async () => {
    await writeFile(join(dir, 'plain'), '');
    const under = join(dir, 'plain', 'config.json');
    expect(await read('docker', under)).toEqual({ place: { kind: 'file', path: under }, state: 'none' });
    await mkdir(file);
    expect(await read()).toEqual({ place: inFile(), state: 'unreadable', why: `${file} could not be read (EISDIR)` });
  });
});

describe('readEntry, a helper', () => {
  beforeEach(() => helper.write({ [HOST]: { Username: 'iamapikey', Secret: SECRET } }));

  it.each<[string, object, ClientName, 'helper' | 'file']>([
    ['docker honours credsStore', { credsStore: 'test', auths: { [HOST]: {} } }, 'docker', 'helper'],
    ['docker honours credHelpers', { credHelpers: { [HOST]: 'test' } }, 'docker', 'helper'],
    ['a containers tool honours credHelpers', { credHelpers: { [HOST]: 'test' } }, 'podman', 'helper'],
    ['a containers tool ignores credsStore', { credsStore: 'test', auths: { [HOST]: entry('iamapikey', SECRET) } }, 'skopeo', 'file'],
  ])('%s', async (_what, config, client, where) => {
    await writeFile(file, JSON.stringify(config));
    expect(await read(client)).toEqual({ place: where === 'helper' ? inHelper() : inFile(), state: 'held', hash: OURS });
  });

  it('a helper that holds nothing for the host', async () => {
    await helper.write({});
    await writeFile(file, JSON.stringify({ credsStore: 'test' }));
    expect(await read()).toEqual({ place: inHelper(), state: 'none' });
  });

  it('a helper that is not on PATH, or that fails, cannot say', async () => {
    await writeFile(file, JSON.stringify({ credsStore: 'absent' }));
    expect(await read()).toEqual({
      place: { kind: 'helper', program: 'docker-credential-absent' },
      state: 'unreadable',
      why: 'docker-credential-absent is not on PATH',
    });
    const locked = await installHelper(dir, 'locked', { refuse: 'get' });
    env = { PATH: `${locked.bin}:/usr/bin:/bin` };
    await writeFile(file, JSON.stringify({ credsStore: 'locked' }));
    expect(await read()).toEqual({
      place: { kind: 'helper', program: join(locked.bin, 'docker-credential-locked') },
      state: 'unreadable',
      why: 'docker-credential-locked get failed: The user name or passphrase you entered is not correct (keychain locked)',
    });
  });
});

describe('eraseFromHelper', () => {
  it('has no way for a file, and erases from a helper', async () => {
    await helper.write({ [HOST]: { Username: 'iamapikey', Secret: SECRET } });
    expect(eraseFromHelper(inFile(), HOST, env, 5_000)).toBeUndefined();
    const erase = eraseFromHelper(inHelper(), HOST, env, 5_000);
    expect(await erase!()).toBeUndefined();
    expect(await helper.read()).toEqual({});
    expect(await erase!()).toBe('docker-credential-test erase failed: credentials not found in native keychain');
  });
});

describe('holdsEarlier', () => {
  const earlier = (more: Partial<Earlier>): Earlier => ({ file, host: HOST, ...more });
  const before = entry('someone', 'their-own-password-0123');

  it.each<[string, string | undefined, Partial<Earlier>, boolean]>([
    ['nothing was there', undefined, {}, true],
    ['the entry is back', JSON.stringify({ auths: { [HOST]: before } }), { entry: before }, true],
    [
      'the entry is back under its legacy key',
      JSON.stringify({ auths: { [`https://${HOST}`]: before } }),
      { entry: before, key: `https://${HOST}` },
      true,
    ],
    ['another entry is there', JSON.stringify({ auths: { [HOST]: entry('iamapikey', SECRET) } }), { entry: before }, false],
    ['the entry is gone', JSON.stringify({ auths: {} }), { entry: before }, false],
    ['the file is no longer JSON', '{', { entry: before }, false],
  ])('a file: %s', async (_what, text, e, holds) => {
    if (text !== undefined) await writeFile(file, text);
    expect(await holdsEarlier(earlier(e), env, 5_000)).toBe(holds);
  });

  it.each<[string, Record<string, { Username: string; Secret: string }>, boolean]>([
    ['the secret is back', { [HOST]: { Username: 'someone', Secret: 'their-secret-0123456789' } }, true],
    ['another secret', { [HOST]: { Username: 'someone', Secret: 'another-secret-0123456789' } }, false],
    ['another user', { [HOST]: { Username: 'iamapikey', Secret: 'their-secret-0123456789' } }, false],
    ['nothing', {}, false],
  ])('a helper: %s', async (_what, store, holds) => {
    await helper.write(store);
    const secret = { ServerURL: HOST, Username: 'someone', Secret: 'their-secret-0123456789' };
    expect(await holdsEarlier(earlier({ helper: { program: inHelper().program, secret } }), env, 5_000)).toBe(holds);
  });
});
