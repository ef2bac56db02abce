// The post step's orchestration through a fake host: with no state, with logout: false, and undoing
// what a main step recorded, with fake clients that keep their logins in the file. Node alone.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pairHash } from '../../../../src/credential-files/ours.ts';
import { logoutStep } from '../../../../src/steps/logout/step.ts';
import { EMPTY_STATE } from '../../../../src/steps/state/step-state.ts';
import { encodeState } from '../../../../src/steps/state/writer.ts';
import { fakeClients, fakeFileClients, type FakeClients } from '../../../fakes/clients.ts';
import { fakeRuntime } from '../../../fakes/runtime.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function withClients(clients: Promise<FakeClients>): Promise<FakeClients> {
  const made = await clients;
  dirs.push(made.dir);
  return made;
}

const SECRET = 'unit-test-secret-0123456789abcdefghijkl';
const ours = { auth: Buffer.from(`iamapikey:${SECRET}`).toString('base64') };
let file = '';
beforeEach(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'icr-unit-logout-'));
  dirs.push(dir);
  file = join(dir, 'config.json');
  await writeFile(file, JSON.stringify({ auths: { 'us.icr.io': ours, 'de.icr.io': ours } }));
});
const login = (host: string) => ({ client: 'docker' as const, host, file, ended: 'logged-in' as const });
// Post acts only on values tagged with main's run id.
const RUN = '3f2b9c1e-7d4a-4e8b-9a61-0c5d2e7f8a90';
const owner = pairHash('iamapikey', SECRET);
const auths = async (): Promise<Record<string, unknown>> =>
  (JSON.parse(await readFile(file, 'utf8')) as { auths: Record<string, unknown> }).auths;

describe('logoutStep', () => {
  it('with no state, says there is nothing to log out and runs no client', async () => {
    const clients = await withClients(fakeClients(['docker']));
    const rt = fakeRuntime({ env: { PATH: clients.dir } });
    expect(await logoutStep(rt)).toEqual({ ok: true, outstanding: [] });
    expect(rt.infos).toEqual(['Nothing to log out.']);
    expect(rt.warnings).toEqual([]);
    expect(rt.summaries).toEqual([]);
    expect(await clients.calls('docker')).toEqual([]);
  });

  it('with logout: false, leaves every login in place', async () => {
    const clients = await withClients(fakeClients(['docker']));
    const state = encodeState({ ...EMPTY_STATE, run: RUN, logout: false, logins: [login('us.icr.io')] });
    const rt = fakeRuntime({ env: { PATH: clients.dir }, state });
    expect(await logoutStep(rt)).toEqual({ ok: true, outstanding: [] });
    expect(rt.infos).toEqual(['Input logout is false: leaving the clients logged in.']);
    expect(await clients.calls('docker')).toEqual([]);
  });

  it('logs out every recorded login, reads each back, masks the key post is handed again, and summarises', async () => {
    const clients = await withClients(fakeFileClients(['docker']));
    const state = encodeState({ ...EMPTY_STATE, run: RUN, owners: [owner], logins: [login('us.icr.io'), login('de.icr.io')] });
    const key = 'unit-test-api-key-0123456789abcdefghijkl';
    const rt = fakeRuntime({ env: { PATH: clients.dir }, state, inputs: { 'api-key': key } });
    expect(await logoutStep(rt)).toEqual({ ok: true, outstanding: [] });
    expect((await clients.calls('docker')).sort()).toEqual(['logout de.icr.io', 'logout us.icr.io']);
    expect(await auths()).toEqual({});
    expect(rt.infos).toEqual(expect.arrayContaining(['docker: logged out (us.icr.io).', 'docker: logged out (de.icr.io).']));
    expect(rt.masked).toContain(key);
    expect(rt.summaries).toHaveLength(1);
    expect(rt.summaries[0]).toContain('| `us.icr.io` | docker | ✅ logged out |');
  });

  it('warns, without failing and without saying logged out, when a recorded client is gone from PATH', async () => {
    const clients = await withClients(fakeFileClients(['podman']));
    const state = encodeState({ ...EMPTY_STATE, run: RUN, owners: [owner], logins: [login('us.icr.io')] });
    const rt = fakeRuntime({ env: { PATH: clients.dir }, state });
    const result = await logoutStep(rt);
    expect(result).toEqual({ ok: false, outstanding: [login('us.icr.io')] });
    expect(rt.failures).toEqual([]);
    expect(rt.infos.filter((l) => l.includes('logged out'))).toEqual([]);
    expect(rt.warnings).toEqual([
      {
        message: `docker: could not be removed: ${file} still holds the login icr-login stored for us.icr.io (docker is no longer on PATH); to remove it by hand, run \`DOCKER_CONFIG=${dirname(file)} docker logout us.icr.io\` (or delete "us.icr.io" from "auths" in ${file}).`,
        title: 'docker logout',
      },
    ]);
    expect(rt.summaries[0]).toContain('| `us.icr.io` | docker | ⚠️ could not be removed: ');
  });

  it('says "never logged in", running no client, of a login that holds nothing and that main never saw succeed', async () => {
    const clients = await withClients(fakeFileClients(['docker']));
    await writeFile(file, '{"auths": {}}');
    // de.icr.io: main saw it succeed, and it is gone by now (post ran before): logged out.
    const logins = [{ ...login('us.icr.io'), ended: undefined }, login('de.icr.io')];
    const rt = fakeRuntime({ env: { PATH: clients.dir }, state: encodeState({ ...EMPTY_STATE, run: RUN, owners: [owner], logins }) });
    expect(await logoutStep(rt)).toEqual({ ok: true, outstanding: [] });
    expect(rt.infos).toEqual(['docker: never logged in (us.icr.io).', 'docker: logged out (de.icr.io).']);
    expect(await clients.calls('docker')).toEqual([]);
  });
});
