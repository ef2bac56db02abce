// No key at all (issue 18): a VPC virtual server's metadata service, and a pod's compute-resource token
// at IAM, each log every real client in as iambearer with a trusted profile's IAM token; what each
// client stored pushes and pulls a real image; post logs it out; no token leaks anywhere.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type ClusterRecord, type Emulator, type ProfileRecord } from '../emulator/index.ts';
import { runClient } from '../emulator/testing/run-client.ts';
import { leaksIn, secretForms } from '../harness/leaks.ts';
import { ROOT } from '../harness/runner.ts';
import { expectNoLeaks, expectPushRefused, newJob, newMachine, pushAndPull, readAuths, type Machine } from './checks.ts';
import { ciRunner } from './compute.ts';

const CLIENTS = ['docker', 'podman', 'buildah', 'skopeo'] as const;

let emu: Emulator;
let pusher: ProfileRecord;
let cluster: ClusterRecord;
let tokenFile: (text: string) => Promise<string>;
beforeAll(async () => {
  emu = await startEmulator({ regions: ['us-south', 'eu-de'] });
  ({ cluster, profile: pusher, tokenFile } = await ciRunner(emu));
});
afterAll(() => emu?.stop());

/** The inputs of a keyless login against the emulator: no api-key at all. */
const keyless = (inputs: Record<string, string>): Record<string, string> => ({ registry: emu.hosts.join(','), ...inputs });

/** A pod's projected service-account token, written where a kubelet would put it. */
let lastToken = '';
async function podToken(): Promise<string> {
  lastToken = await tokenFile(cluster.serviceAccountToken({ namespace: 'ci', name: 'runner' }));
  return lastToken;
}

const usernameIn = (entry: unknown): string =>
  Buffer.from((entry as { auth: string }).auth, 'base64')
    .toString()
    .split(':')[0]!;

/** The identity inputs of each path, with the profile's own VSI or pod behind them. */
const PATHS = {
  vpc: async (): Promise<Record<string, string>> => {
    const vsi = await emu.addInstance({ defaultProfile: pusher });
    return { identity: 'vpc', 'metadata-endpoint': vsi.metadataUrl };
  },
  container: async (): Promise<Record<string, string>> => ({
    identity: 'container',
    'cr-token-file': await podToken(),
    'trusted-profile': pusher.id,
    'iam-endpoint': emu.iamUrl,
  }),
};

describe.each(['vpc', 'container'] as const)('identity %s', (path) => {
  it.each(CLIENTS)('%s logs in to both hosts as iambearer, its stored token pushes and pulls, post logs it out', async (client) => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const main = await job.main(keyless({ ...(await PATHS[path]()), clients: client }));
    expect(main.stderr).toBe('');
    expect(main.code).toBe(0);
    expect(main.outputs).toMatchObject({
      registry: emu.hosts[0],
      registries: emu.hosts.join(','),
      clients: client,
      'account-id': pusher.accountId,
      'logged-in': 'true',
    });
    // An IAM token of the profile: it lives an hour.
    const expiresAt = Date.parse(main.outputs['expires-at']!);
    expect(expiresAt).toBeGreaterThan(Date.now() + 3000_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);

    const file = client === 'docker' ? machine.dockerFile : machine.containersFile;
    const auths = await readAuths(file);
    expect(Object.keys(auths).sort()).toEqual([...emu.hosts].sort());
    for (const host of emu.hosts) expect(usernameIn(auths[host])).toBe('iambearer');
    await pushAndPull(machine, file, emu.hosts[1]!, `ns/${path}-${client}:1`);

    expect(main.stdout).toContain(
      path === 'vpc'
        ? `The metadata service gave this virtual server an IAM token for the instance's default trusted profile of account ${pusher.accountId} (API 2022-03-01).`
        : `IAM accepted the compute-resource token from ${lastToken} as trusted profile ${pusher.id} of account ${pusher.accountId}.`,
    );
    expect(main.summary).toContain(`| identity | \`${path}\` (no key: a trusted profile's IAM token) |`);
    expect(main.summary).toContain('| auth type | `bearer` (username `iambearer`) |');
    expect(main.summary).toContain(`| account | \`${pusher.accountId}\` |`);
    expect(main.summary).toContain(`| credentials expire | ${main.outputs['expires-at']} |`);

    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(post.stdout).not.toContain('::warning');
    expect(await readAuths(file)).toEqual({});
    await expectPushRefused(machine, file, emu.hosts[1]!, `ns/${path}-${client}:2`);
    await expectNoLeaks(emu, job, [main, post]);
  });
});

describe('identity vpc', () => {
  it('names a linked profile by ID or CRN; the metadata requests carry Metadata-Flavor and go nowhere near the proxy', async () => {
    const other = emu.addProfile({ name: 'vsi-reader', policies: [{ role: 'Reader', namespace: 'ns' }] });
    const vsi = await emu.addInstance({ defaultProfile: pusher, profiles: [other] });
    const machine = await newMachine(emu);
    for (const ref of [other.id, other.crn]) {
      // A proxy that refuses every connection: the metadata service is the machine's own, never proxied.
      const job = await newJob(machine, { HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9' });
      const before = emu.requests.length;
      const main = await job.main(
        keyless({ identity: 'vpc', 'metadata-endpoint': vsi.metadataUrl, 'trusted-profile': ref, clients: 'skopeo' }),
      );
      expect(main.code).toBe(0);
      expect(main.stdout).toContain(`an IAM token for trusted profile ${ref} of account ${other.accountId}`);
      const calls = emu.requests.slice(before).filter((r) => r.server === 'metadata');
      expect(calls.map((r) => [r.method, r.path, r.status])).toEqual([
        ['PUT', '/instance_identity/v1/token', 200],
        ['POST', '/instance_identity/v1/iam_token', 200],
      ]);
      // The reader profile's token pulls and may not push.
      await expectPushRefused(machine, machine.containersFile, emu.hosts[0]!, 'ns/reader:1');
      await expectNoLeaks(emu, job, [main, await job.post(main)]);
    }
  });

  it.each([
    [['2022-03-01'], ['/instance_identity/v1/token', '/instance_identity/v1/iam_token'], '2022-03-01'],
    [['2025-08-26'], ['/instance_identity/v1/token', '/identity/v1/token', '/identity/v1/iam_tokens'], '2025-08-26'],
  ] as const)('an instance that serves only API %j is asked %j and logs in', async (versions, paths, used) => {
    const vsi = await emu.addInstance({ defaultProfile: pusher, versions: [...versions] });
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const before = emu.requests.length;
    const main = await job.main(keyless({ identity: 'vpc', 'metadata-endpoint': vsi.metadataUrl, clients: 'podman' }));
    expect(main.code).toBe(0);
    expect(main.stdout).toContain(`(API ${used}).`);
    const calls = emu.requests.slice(before).filter((r) => r.server === 'metadata');
    expect(calls.map((r) => r.path)).toEqual(paths);
    await pushAndPull(machine, machine.containersFile, emu.hosts[0]!, `ns/only-${used}:1`);
    await expectNoLeaks(emu, job, [main, await job.post(main)]);
  });

  it('checks images with the profile’s token: push allowed where its policy says, denied elsewhere', async () => {
    const team = emu.addProfile({ name: 'team-a-pusher', policies: [{ role: 'Writer', region: 'us-south', namespace: 'team-a' }] });
    for (const ns of ['team-a', 'team-b']) emu.addNamespace('us-south', ns);
    const vsi = await emu.addInstance({ defaultProfile: team });
    const job = await newJob(await newMachine(emu));
    const main = await job.main(
      keyless({
        identity: 'vpc',
        'metadata-endpoint': vsi.metadataUrl,
        registry: emu.hostOf('us-south'),
        clients: 'skopeo',
        images: 'team-a/app team-b/app',
      }),
    );
    expect(main.code).toBe(1);
    expect(main.outputs['images']).toBe(`${emu.hostOf('us-south')}/team-a/app`);
    expect(main.stdout).toMatch(/::error title=images::Push to [^ ]+\/team-b\/app was denied/);
    await expectNoLeaks(emu, job, [main, await job.post(main)]);
  });

  it('rides out a metadata service that answers 503 once, as the IAM exchange would', async () => {
    const vsi = await emu.addInstance({ defaultProfile: pusher });
    const job = await newJob(await newMachine(emu), { RUNNER_DEBUG: '1' });
    emu.inject('metadata', {
      status: 503,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ errors: [{ code: 'service_unavailable', message: 'Try again.' }], status_code: 503, trace: 't' }),
    });
    const main = await job.main(keyless({ identity: 'vpc', 'metadata-endpoint': vsi.metadataUrl, clients: 'skopeo' }));
    emu.clearFaults();
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(
      /::debug::metadata service http:\/\/127\.0\.0\.1:\d+\/instance_identity\/v1\/token\?version=2022-03-01 try 1: 503 with service_unavailable: Try again\./,
    );
  });
});

describe('identity container', () => {
  it.each([
    ['CRN', () => pusher.crn],
    ['name', () => pusher.name],
  ])('names the profile by its %s', async (_what, ref) => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const main = await job.main(
      keyless({
        identity: 'container',
        'cr-token-file': await podToken(),
        'trusted-profile': ref(),
        'iam-endpoint': emu.iamUrl,
        clients: 'skopeo',
      }),
    );
    expect(main.code).toBe(0);
    expect(main.outputs['account-id']).toBe(pusher.accountId);
    await pushAndPull(machine, machine.containersFile, emu.hosts[0]!, `ns/by-${_what.toLowerCase()}:1`);
    await expectNoLeaks(emu, job, [main, await job.post(main)]);
  });
});

describe('the CLI', () => {
  async function cli(machine: Machine, args: string[], env: Record<string, string> = {}) {
    const run = await runClient(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { env: { ...machine.env, ...env } });
    expect(leaksIn(`${run.stdout}\n${run.stderr}`, secretForms(emu.secrets(), []))).toEqual([]);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    return run;
  }

  it('--identity vpc and --identity container log in with no key (an ambient IBMCLOUD_API_KEY is not read), logout undoes it', async () => {
    const vsi = await emu.addInstance({ defaultProfile: pusher });
    const machine = await newMachine(emu);
    const registry = ['--registry', emu.host];
    const ways = [
      ['--identity', 'vpc', '--metadata-endpoint', vsi.metadataUrl],
      ['--identity', 'container', '--cr-token-file', await podToken(), '--trusted-profile', pusher.name, '--iam-endpoint', emu.iamUrl],
    ];
    for (const way of ways) {
      const login = await cli(machine, [...registry, ...way, '--clients', 'podman'], { IBMCLOUD_API_KEY: emu.keys.user.key });
      expect(login.code).toBe(0);
      expect(login.stderr).toContain(`podman logged in to ${emu.host} as iambearer.`);
      expect(login.stdout).toContain(`account-id=${pusher.accountId}\n`);
      expect(login.stdout).toMatch(/^expires-at=\d{4}-\d\d-\d\dT/m);
      await pushAndPull(machine, machine.containersFile, emu.host, `ns/cli-${way[1]}:1`);
      expect((await cli(machine, ['logout'])).code).toBe(0);
      expect(await readAuths(machine.containersFile)).toEqual({});
    }
  });

  it('--api-key-stdin with --identity vpc is refused in one line, before any request (exit 2)', async () => {
    const vsi = await emu.addInstance({ defaultProfile: pusher });
    const machine = await newMachine(emu);
    const before = emu.requests.length;
    const run = await runClient(
      process.execPath,
      [
        join(ROOT, 'dist', 'cli.js'),
        '--registry',
        emu.host,
        '--identity',
        'vpc',
        '--metadata-endpoint',
        vsi.metadataUrl,
        '--api-key-stdin',
      ],
      { env: machine.env, input: emu.keys.user.key },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "icr-login: An API key was given, but identity vpc logs in with none (the virtual server's trusted profile is the identity); drop the key, or use identity api-key.\n",
    );
    expect(emu.requests.length).toBe(before);
  });
});
