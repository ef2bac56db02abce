// Post reports only what it read back: one file shared by the containers tools, logged out by a client
// whose login succeeded, another one tried while ours is still there, and a warning with the fix when
// nothing removes it. Fake clients that keep their logins in the file; Node alone.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Recorded } from '../../../../src/clients/plan.ts';
import { pairHash, writeRecord } from '../../../../src/credential-files/ours.ts';
import { logoutStep } from '../../../../src/steps/logout/step.ts';
import { EMPTY_STATE } from '../../../../src/steps/state/step-state.ts';
import { encodeState } from '../../../../src/steps/state/writer.ts';
import { fakeFileClients } from '../../../fakes/clients.ts';
import { fakeRuntime, type FakeRuntime } from '../../../fakes/runtime.ts';

const RUN = '5d1c0b2a-3e4f-4a5b-8c7d-9e0f1a2b3c4d';
const SECRET = 'unit-test-secret-0123456789abcdefghijkl';
const entry = (user: string, secret: string) => ({ auth: Buffer.from(`${user}:${secret}`).toString('base64') });
const HOST = 'us.icr.io';

let dir = '';
let file = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icr-unit-read-back-'));
  file = join(dir, 'auth.json');
  await writeFile(file, JSON.stringify({ auths: { [HOST]: entry('iamapikey', SECRET) } }));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const at = (client: Recorded['client'], ended: Recorded['ended'] = 'logged-in'): Recorded => ({ client, host: HOST, file, ended });
const held = async (): Promise<string[]> => Object.keys((JSON.parse(await readFile(file, 'utf8')) as { auths: object }).auths);

async function post(logins: readonly Recorded[], idle: string[] = [], saved: Record<string, string> = {}) {
  const clients = await fakeFileClients(['skopeo', 'buildah', 'podman'], { idle });
  const state = { ...encodeState({ ...EMPTY_STATE, run: RUN, owners: [pairHash('iamapikey', SECRET)], logins }), ...saved };
  const rt: FakeRuntime = fakeRuntime({ env: { PATH: clients.dir, XDG_STATE_HOME: join(dir, 'state') }, state });
  const result = await logoutStep(rt);
  const calls = Object.fromEntries(await Promise.all(['skopeo', 'buildah', 'podman'].map(async (c) => [c, await clients.calls(c)])));
  await rm(clients.dir, { recursive: true, force: true });
  return { rt, result, calls };
}

describe('the logout of a file the containers tools share', () => {
  it('tries the next client while the login is still there, and says which one removed it', async () => {
    const { rt, result, calls } = await post([at('skopeo'), at('podman')], ['skopeo']);
    expect(result.ok).toBe(true);
    expect(await held()).toEqual([]);
    expect(calls).toEqual({ skopeo: [`logout ${HOST}`], buildah: [], podman: [`logout ${HOST}`] });
    expect(rt.infos).toEqual([`skopeo: logged out with podman (${HOST}).`, `podman: logged out (${HOST}).`]);
  });

  it('logs out with the client whose login succeeded, never first with one whose login failed, and says which never logged in', async () => {
    const { rt, calls } = await post([at('buildah', 'failed'), at('podman')], ['buildah']);
    expect(await held()).toEqual([]);
    expect(calls).toEqual({ skopeo: [], buildah: [], podman: [`logout ${HOST}`] });
    expect(rt.infos).toEqual([`podman: logged out (${HOST}).`, `buildah: never logged in (${HOST}).`]);
  });

  it('warns once per client, with the command that removes it, when every client exits 0 and leaves it', async () => {
    const { rt, result, calls } = await post([at('skopeo'), at('podman')], ['skopeo', 'podman']);
    expect(result).toEqual({ ok: false, outstanding: [at('skopeo'), at('podman')] });
    expect(calls).toEqual({ skopeo: [`logout ${HOST}`], buildah: [], podman: [`logout ${HOST}`] });
    expect(rt.infos).toEqual([]);
    const stays = `${file} still holds the login icr-login stored for ${HOST} (skopeo logout exited 0 but left it; podman logout exited 0 but left it)`;
    expect(rt.warnings).toEqual(
      ['skopeo', 'podman'].map((c) => ({
        message: `${c}: could not be removed: ${stays}; to remove it by hand, run \`${c} logout --authfile ${file} ${HOST}\` (or delete "${HOST}" from "auths" in ${file}).`,
        title: `${c} logout`,
      })),
    );
  });

  it.each([
    ['live', true],
    ['ended', false],
  ])('another job’s login, the job %s: left in place and named while it runs, removed once it has ended', async (_what, live) => {
    const theirs = 'another-jobs-secret-0123456789abcdefghijkl';
    await writeFile(file, JSON.stringify({ auths: { [HOST]: entry('iamapikey', theirs) } }));
    const run = '9a8b7c6d-0000-4000-8000-000000000000';
    const folder = join(dir, 'their-run');
    // A run is under way while its private folder holds its marker (credential-files/run-folder.ts).
    if (live) {
      await mkdir(folder);
      await writeFile(join(folder, '.icr-login-run'), run);
    }
    await writeRecord({ XDG_STATE_HOME: join(dir, 'state') }, { run, pid: 4242, folder, hashes: [pairHash('iamapikey', theirs)] });
    const { rt, calls } = await post([at('podman')]);
    if (live) {
      expect(calls['podman']).toEqual([]);
      expect(await held()).toEqual([HOST]);
      expect(rt.infos).toEqual([`podman: left in place: another icr-login job's login (run 9a8b7c6d, pid 4242) (${HOST}).`]);
    } else {
      // Nobody's to keep: a run that ended without its post left it, and it would stay for good.
      expect(calls['podman']).toEqual([`logout ${HOST}`]);
      expect(await held()).toEqual([]);
      expect(rt.infos).toEqual([`podman: logged out (${HOST}).`]);
    }
  });

  it.each([
    ['corrupt', 'junk'],
    ['of another run', `0f0f0f0f-0000-4000-8000-000000000000:0:failed`],
    ['of no such login', `${RUN}:7:failed`],
  ])('still logs out a login whose outcome record is %s, as one that may have happened', async (_what, record) => {
    // buildah's login failed (main recorded it); skopeo's record says nothing readable.
    const { rt, calls } = await post([at('skopeo', undefined), at('buildah', 'failed')], ['buildah'], {
      ended_0: record,
      ended_1: `${RUN}:1:failed`,
    });
    expect(await held()).toEqual([]);
    expect(calls).toEqual({ skopeo: [`logout ${HOST}`], buildah: [], podman: [] });
    expect(rt.infos).toEqual([`skopeo: logged out (${HOST}).`, `buildah: never logged in (${HOST}).`]);
  });

  it('removes the login of an entry whose every login main saw fail, once it finds it there', async () => {
    const { rt } = await post([at('podman', 'failed')]);
    expect(await held()).toEqual([]);
    expect(rt.infos).toEqual([`podman: logged out (${HOST}).`]);
  });
});
