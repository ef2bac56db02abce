// Putting back earlier credentials is read back too: a helper that says it stored them and did not is
// a problem, not "put back". A fake docker credential helper; Node alone.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Earlier } from '../../../../src/credential-files/earlier.ts';
import { putBack } from '../../../../src/steps/logout/put-back.ts';
import { installHelper } from '../../../harness/credential-helper.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icr-unit-put-back-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const HOST = 'us.icr.io';
const unlocked = <T>(_file: string, work: () => Promise<T>): Promise<T> => work();
const secret = { ServerURL: HOST, Username: 'olduser', Secret: 'old-helper-secret-99' };

describe('putBack', () => {
  it('reads back what it put into the file, and puts back nothing for an entry that held nothing', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ auths: {}, psFormat: 'x' }));
    const entry = { auth: Buffer.from('olduser:old-password-1234').toString('base64') };
    const target = { client: 'docker' as const, host: HOST, file };
    expect(await putBack(target, [{ file, host: HOST, entry }], {}, 2000, unlocked)).toEqual({ file, host: HOST, problems: [] });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ auths: { [HOST]: entry }, psFormat: 'x' });
    expect(await putBack({ ...target, host: 'de.icr.io' }, [{ file, host: HOST, entry }], {}, 2000, unlocked)).toBeUndefined();
  });

  it.each([
    ['says it stored them and did not', { idle: 'store' }],
    ['refuses to store them', { refuse: 'store' }],
  ] as const)('names a helper that %s', async (_what, behaviour) => {
    const helper = await installHelper(dir, 'idle', behaviour);
    const program = join(helper.bin, 'docker-credential-idle');
    const file = join(dir, 'config.json');
    const earlier: Earlier[] = [{ file, host: HOST, key: HOST, helper: { program, secret } }];
    const result = await putBack({ client: 'docker', host: HOST, file }, earlier, { PATH: process.env['PATH'] }, 5000, unlocked);
    expect(result?.problems).toEqual([
      'idle' in behaviour
        ? `docker-credential-idle does not hold the earlier credentials for ${HOST} after they were put back; log in to ${HOST} again by hand`
        : `could not put the earlier credentials for ${HOST} back into ${program}`,
    ]);
    expect(await helper.read()).toEqual({});
  });
});
