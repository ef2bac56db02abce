// The main step's orchestration through a fake host: what it reports, outputs, saves and summarises,
// with a local IAM stub and shell scripts in place of the clients. Node and /bin/sh only.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginStep } from '../../../../src/steps/login/step.ts';
import { readState } from '../../../../src/steps/state/reader.ts';
import { leavesWork } from '../../../../src/steps/state/step-state.ts';
import { fakeClients, type FakeClients } from '../../../fakes/clients.ts';
import { startIamStub, type IamStub } from '../../../fakes/iam-stub.ts';
import { fakeRuntime, type FakeRuntime } from '../../../fakes/runtime.ts';

const KEY = 'unit-test-api-key-0123456789abcdefghijkl';

let home: string;
let iam: IamStub | undefined;
const stops: (() => Promise<void>)[] = [];
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'icr-unit-home-'));
  stops.push(() => rm(home, { recursive: true, force: true }));
});
afterEach(async () => {
  path = '';
  await iam?.stop();
  iam = undefined;
  for (const stop of stops.splice(0)) await stop();
});

/** The PATH of the step's environment: the fake clients alone, once a test has made them. */
let path = '';
async function withClients(names: readonly string[], refuse: Record<string, readonly string[]> = {}): Promise<FakeClients> {
  const clients = await fakeClients(names, refuse);
  stops.push(() => rm(clients.dir, { recursive: true, force: true }));
  path = clients.dir;
  return clients;
}

function host(inputs: Record<string, string>): FakeRuntime {
  const env = { PATH: path, HOME: home, RUNNER_TEMP: join(home, 'runner-temp') };
  return fakeRuntime({ inputs: { 'api-key': KEY, 'iam-endpoint': iam?.url ?? '', ...inputs }, env });
}

/** The step failed with one sentence on one line, said so in its outputs and its summary. */
function expectOneFailure(rt: FakeRuntime): string {
  expect(rt.failures).toHaveLength(1);
  const { message } = rt.failures[0]!;
  expect(message).not.toContain('\n');
  expect(rt.outputs['logged-in']).toBe('false');
  expect(rt.summaries).toHaveLength(1);
  expect(rt.summaries[0]).toContain('[!CAUTION]');
  expect(rt.summaries[0]).toContain(message);
  return message;
}

describe('loginStep', () => {
  it('refuses invalid input before IAM or any client: one line, logged-in false, a summary', async () => {
    iam = await startIamStub();
    const clients = await withClients(['docker']);
    const rt = host({ region: 'mars-north', clients: 'docker' });
    expect(await loginStep(rt)).toBe('invalid');
    expect(expectOneFailure(rt)).toMatch(/mars-north/);
    expect(iam.calls()).toBe(0);
    expect(await clients.calls('docker')).toEqual([]);
    // Only main's run id: no login, nothing for post to undo.
    expect(leavesWork(readState(rt))).toBe(false);
    expect(rt.masked).toContain(KEY);
  });

  it('fails with the host’s own advice when the key is empty', async () => {
    const rt = fakeRuntime({ missingKeyMessage: 'Set the key, please.' });
    expect(await loginStep(rt)).toBe('invalid');
    expect(expectOneFailure(rt)).toBe('Set the key, please.');
    expect(rt.failures[0]!.title).toBe('api-key');
  });

  it('skips with a warning when the key is empty and missing-key is skip', async () => {
    iam = await startIamStub();
    const clients = await withClients(['docker']);
    const rt = host({ 'api-key': '', 'missing-key': 'skip', clients: 'docker' });
    expect(await loginStep(rt)).toBe('skipped');
    expect(rt.failures).toEqual([]);
    expect(rt.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^Input api-key is empty and input missing-key is skip/)]);
    expect(rt.outputs).toEqual({ 'logged-in': 'false' });
    expect(iam.calls()).toBe(0);
    expect(await clients.calls('docker')).toEqual([]);
    expect(readState(rt).logins).toEqual([]);
  });

  it('looks for clients on the PATH of its own environment, never on the process’s', async () => {
    iam = await startIamStub();
    const clients = await withClients(['docker']);
    const rt = fakeRuntime({
      inputs: { 'api-key': KEY, 'iam-endpoint': iam.url, clients: 'docker' },
      env: { PATH: join(home, 'no-such-bin'), HOME: home, RUNNER_TEMP: join(home, 'runner-temp') },
    });
    const before = process.env['PATH'];
    process.env['PATH'] = `${clients.dir}:${before}`;
    try {
      expect(await loginStep(rt)).toBe('failed');
    } finally {
      process.env['PATH'] = before;
    }
    expect(expectOneFailure(rt)).toMatch(/^Client docker is listed in input clients but not installed/);
  });

  it('leaves no signal listener of its own behind', async () => {
    iam = await startIamStub();
    await withClients(['docker']);
    const listeners = (): number[] => ['SIGINT', 'SIGTERM'].map((s) => process.listenerCount(s));
    const before = listeners();
    expect(await loginStep(host({ region: 'us-south', clients: 'docker' }))).toBe('ok');
    expect(listeners()).toEqual(before);
  });

  it('fails at once for a listed client that is not on PATH, without waiting for IAM', async () => {
    iam = await startIamStub('hang');
    await withClients(['docker']);
    const rt = host({ clients: 'podman' });
    const started = Date.now();
    expect(await loginStep(rt)).toBe('failed');
    // IAM never answers and the timeout is 60 s: only not waiting for it ends the step this soon.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(expectOneFailure(rt)).toBe(
      'Client podman is listed in input clients but not installed (not found on PATH); install it or remove it from clients.',
    );
    expect(rt.failures[0]!.title).toBe('clients');
    expect(readState(rt).logins).toEqual([]);
    // And the exchange is cancelled, not left running behind the failed step: half a second is ample
    // for a request on loopback to arrive, so an exchange left running would be pending here (the
    // stub never answers), whether or not it had sent its request before the step failed.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(iam.pending()).toBe(0);
  });

  it('logs every host in, sets every output, records the logins and writes the summary', async () => {
    iam = await startIamStub();
    const clients = await withClients(['docker']);
    const rt = host({ region: 'us-south,eu-de', clients: 'docker' });
    expect(await loginStep(rt)).toBe('ok');
    expect(rt.failures).toEqual([]);
    expect(iam.calls()).toBe(1);
    expect(await clients.calls('docker')).toEqual([
      'login --username iamapikey --password-stdin us.icr.io',
      'login --username iamapikey --password-stdin de.icr.io',
    ]);
    expect(rt.outputs).toEqual({
      registry: 'us.icr.io',
      registries: 'us.icr.io,de.icr.io',
      clients: 'docker',
      'account-id': iam.accountId,
      'expires-at': '',
      'logged-in': 'true',
    });
    const file = join(home, '.docker', 'config.json');
    expect(readState(rt).logins).toEqual([
      { client: 'docker', host: 'us.icr.io', file, ended: 'logged-in' },
      { client: 'docker', host: 'de.icr.io', file, ended: 'logged-in' },
    ]);
    expect(rt.infos).toContain('docker logged in to de.icr.io as iamapikey.');
    expect(rt.summaries).toHaveLength(1);
    expect(rt.summaries[0]).toContain('| `de.icr.io` | ✅ logged in |');
    expect(rt.masked).toEqual(expect.arrayContaining([KEY, iam.accessToken]));
  });

  it('reports a partial failure in one line, keeps the logins that worked in state and outputs', async () => {
    iam = await startIamStub();
    await withClients(['docker'], { docker: ['de.icr.io'] });
    const rt = host({ region: 'us-south,eu-de', clients: 'docker' });
    expect(await loginStep(rt)).toBe('failed');
    expect(expectOneFailure(rt)).toBe(
      'docker login to de.icr.io failed: unauthorized: incorrect username or password. The logins that succeeded are logged out by the post step.',
    );
    expect(rt.failures[0]!.title).toBe('docker login');
    expect(rt.outputs['registries']).toBe('us.icr.io');
    expect(rt.outputs['clients']).toBe('docker');
    // Each login is recorded before its client starts, and how it ended the moment that is known.
    expect(readState(rt).logins.map((l) => [l.host, l.ended])).toEqual([
      ['us.icr.io', 'logged-in'],
      ['de.icr.io', 'failed'],
    ]);
    expect(rt.summaries[0]).toContain('| `us.icr.io` | ✅ logged in |');
    expect(rt.summaries[0]).toContain('| `de.icr.io` | ❌ docker login to de.icr.io failed');
  });
});
