// The record of our own logins in its failure modes: runs whose post never ran, and records that are
// not what a run of ours wrote (corrupt, a folder, a FIFO).
import { spawnSync } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { otherRuns, pairHash, recordsDir, whoseEarlier, writeRecord, type RunRecord } from '../../../src/credential-files/ours.ts';

let dir = '';
let env: NodeJS.ProcessEnv = {};
let runs = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icr-unit-ours-'));
  env = { XDG_STATE_HOME: dir };
  runs = recordsDir(env);
  await mkdir(runs, { recursive: true });
});
afterEach(async () => {
  // A reader stuck on a FIFO (as a reader that waits would be) is let go before the folder goes.
  for (const name of await readdir(runs).catch(() => [] as string[])) {
    await open(join(runs, name), constants.O_WRONLY | constants.O_NONBLOCK)
      .then((h) => h.close())
      .catch(() => {});
  }
  await rm(dir, { recursive: true, force: true });
});

const record = (run: string, folder = join(dir, 'gone')): RunRecord => ({
  run,
  pid: 4242,
  folder,
  hashes: [pairHash('iamapikey', `key-of-${run}`)],
});
const daysAgo = async (path: string, days: number): Promise<void> => {
  const then = new Date(Date.now() - days * 24 * 3600 * 1000);
  await utimes(path, then, then);
};

describe('the record of our own logins', () => {
  it('removes the record of a run whose post never ran once no job could still be under way (5 days), keeps a younger one', async () => {
    await writeRecord(env, record('old-run'));
    await writeRecord(env, record('young-run'));
    await daysAgo(join(runs, 'old-run.json'), 5.1);
    await daysAgo(join(runs, 'young-run.json'), 4.9);
    const others = await otherRuns(env, 'this-run');
    expect(others.map((r) => [r.run, r.live])).toEqual([['young-run', false]]);
    expect(await readdir(runs)).toEqual(['young-run.json']);
  });

  it('writes a record whole and 0600, and leaves alone one being written', async () => {
    await writeRecord(env, record('a-run'));
    expect((await stat(join(runs, 'a-run.json'))).mode & 0o777).toBe(0o600);
    await writeFile(join(runs, '.b-run.json.icr-login-1234'), '{"run":');
    expect((await otherRuns(env, 'this-run')).map((r) => r.run)).toEqual(['a-run']);
    expect((await readdir(runs)).sort()).toEqual(['.b-run.json.icr-login-1234', 'a-run.json']);
  });

  it.each([
    ['not JSON', 'bad-1.json', '{"run": "bad-1", "pid'],
    ['a record under another run’s name', 'bad-2.json', JSON.stringify(record('someone-else'))],
    ['a hash that is not a SHA-256', 'bad-3.json', JSON.stringify({ ...record('bad-3'), hashes: [pairHash('cp', 'k'), 'x'] })],
    ['without a hash', 'bad-6.json', JSON.stringify({ ...record('bad-6'), hashes: [] })],
    ['a relative folder', 'bad-4.json', JSON.stringify({ ...record('bad-4'), folder: '../../etc' })],
    ['a pid that is not one', 'bad-5.json', JSON.stringify({ ...record('bad-5'), pid: '1' })],
  ])('ignores and removes a record that is %s', async (_what, name, text) => {
    await writeFile(join(runs, name), text);
    await writeRecord(env, record('good'));
    expect((await otherRuns(env, 'this-run')).map((r) => r.run)).toEqual(['good']);
    expect(await readdir(runs)).toEqual(['good.json']);
  });

  it('holds every credential a run stores, and reads the one hash an older icr-login wrote', async () => {
    const icr = pairHash('iamapikey', 'key-of-both');
    const cp = pairHash('cp', 'entitlement-of-both');
    await writeRecord(env, { ...record('both'), hashes: [icr, cp] });
    const { hashes: _none, ...older } = record('older');
    await writeFile(join(runs, 'older.json'), JSON.stringify({ ...older, hash: icr }));
    const others = await otherRuns(env, 'this-run');
    expect(others.map((r) => [r.run, r.hashes]).sort()).toEqual([
      ['both', [icr, cp]],
      ['older', [icr]],
    ]);
    // An entry is that run's when it holds either of its credentials.
    const entry = (user: string, secret: string) => ({
      file: '/f',
      host: 'h',
      entry: { auth: Buffer.from(`${user}:${secret}`).toString('base64') },
    });
    const { dead, users } = whoseEarlier(
      [entry('cp', 'entitlement-of-both'), entry('cp', 'the-users-own')],
      others.filter((r) => r.run === 'both'),
    );
    expect(dead.map((e) => e.entry)).toEqual([entry('cp', 'entitlement-of-both').entry]);
    expect(users.map((e) => e.entry)).toEqual([entry('cp', 'the-users-own').entry]);
  });

  it('ignores and removes a folder or a FIFO among the records, without waiting on the FIFO', async () => {
    await mkdir(join(runs, 'folder.json'));
    expect(spawnSync('mkfifo', [join(runs, 'fifo.json')]).status).toBe(0);
    await writeRecord(env, record('good'));
    expect((await otherRuns(env, 'this-run')).map((r) => r.run)).toEqual(['good']);
    expect(await readdir(runs)).toEqual(['good.json']);
  }, 5000);
});
