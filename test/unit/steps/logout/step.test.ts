// The post step's orchestration through a fake host: with no state, with logout: false, and undoing
// what a main step recorded, with shell scripts in place of the clients. Node and /bin/sh only.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logoutStep } from '../../../../src/steps/logout/step.ts';
import { EMPTY_STATE } from '../../../../src/steps/state/step-state.ts';
import { encodeState } from '../../../../src/steps/state/writer.ts';
import { fakeClients, type FakeClients } from '../../../fakes/clients.ts';
import { fakeRuntime } from '../../../fakes/runtime.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function withClients(names: readonly string[]): Promise<FakeClients> {
  const clients = await fakeClients(names);
  dirs.push(clients.dir);
  return clients;
}

// Post skips a client whose credentials file does not exist (nothing to log out of), so the file is real.
let file = '';
beforeEach(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'icr-unit-logout-'));
  dirs.push(dir);
  file = join(dir, 'config.json');
  await writeFile(file, '{"auths": {}}');
});
const login = (host: string) => ({ client: 'docker' as const, host, file });
// Post acts only on values tagged with main's run id.
const RUN = '3f2b9c1e-7d4a-4e8b-9a61-0c5d2e7f8a90';

describe('logoutStep', () => {
  it('with no state, says there is nothing to log out and runs no client', async () => {
    const clients = await withClients(['docker']);
    const rt = fakeRuntime({ env: { PATH: clients.dir } });
    expect(await logoutStep(rt)).toEqual({ ok: true, outstanding: [] });
    expect(rt.infos).toEqual(['Nothing to log out.']);
    expect(rt.warnings).toEqual([]);
    expect(rt.summaries).toEqual([]);
    expect(await clients.calls('docker')).toEqual([]);
  });

  it('with logout: false, leaves every login in place', async () => {
    const clients = await withClients(['docker']);
    const state = encodeState({ ...EMPTY_STATE, run: RUN, logout: false, logins: [login('us.icr.io')] });
    const rt = fakeRuntime({ env: { PATH: clients.dir }, state });
    expect(await logoutStep(rt)).toEqual({ ok: true, outstanding: [] });
    expect(rt.infos).toEqual(['Input logout is false: leaving the clients logged in.']);
    expect(await clients.calls('docker')).toEqual([]);
  });

  it('logs out every recorded login, masks the key post is handed again, and summarises', async () => {
    const clients = await withClients(['docker']);
    const state = encodeState({ ...EMPTY_STATE, run: RUN, logins: [login('us.icr.io'), login('de.icr.io')] });
    const key = 'unit-test-api-key-0123456789abcdefghijkl';
    const rt = fakeRuntime({ env: { PATH: clients.dir }, state, inputs: { 'api-key': key } });
    expect(await logoutStep(rt)).toEqual({ ok: true, outstanding: [] });
    expect((await clients.calls('docker')).sort()).toEqual(['logout de.icr.io', 'logout us.icr.io']);
    expect(rt.infos).toEqual(expect.arrayContaining(['docker: logged out (us.icr.io).', 'docker: logged out (de.icr.io).']));
    expect(rt.masked).toContain(key);
    expect(rt.summaries).toHaveLength(1);
    expect(rt.summaries[0]).toContain('| `us.icr.io` | docker | ✅ logged out |');
  });

  it('warns, without failing, when a recorded client is gone from PATH', async () => {
    const clients = await withClients(['podman']);
    const state = encodeState({ ...EMPTY_STATE, run: RUN, logins: [login('us.icr.io')] });
    const rt = fakeRuntime({ env: { PATH: clients.dir }, state });
    const result = await logoutStep(rt);
    expect(result).toEqual({ ok: false, outstanding: [login('us.icr.io')] });
    expect(rt.failures).toEqual([]);
    expect(rt.warnings).toEqual([
      { message: 'docker is no longer on PATH, so its login to us.icr.io could not be removed.', title: 'docker logout' },
    ]);
  });
});
