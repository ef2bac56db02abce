// Each auth type logs in every real client; what each client stored pushes and pulls a real image
// through the emulator to a real registry; post removes exactly what main added; nothing leaks.
import { availableParallelism } from 'node:os';
import { installSpy } from '../harness/spy.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import {
  emulatorInputs,
  exec,
  expectNoLeaks,
  expectPushRefused,
  iamCalls,
  newJob,
  newMachine,
  pushAndPull,
  readAuths,
  testImage,
} from './checks.ts';

const CLIENTS = ['docker', 'podman', 'buildah', 'skopeo'] as const;
const USERNAME = { apikey: 'iamapikey', bearer: 'iambearer', refresh: 'iamrefresh' } as const;

let emu: Emulator;
beforeAll(async () => {
  // Two regions (two registries). refreshTokens: IAM issues API-key grants real refresh tokens, as it
  // does only for registered clients today: auth-type refresh needs one (failures.test.ts covers the default).
  emu = await startEmulator({ regions: ['us-south', 'eu-de'], refreshTokens: true });
});
afterAll(() => emu?.stop());

const usernameIn = (entry: unknown): string =>
  Buffer.from((entry as { auth: string }).auth, 'base64')
    .toString()
    .split(':')[0]!;

describe.each(['apikey', 'bearer', 'refresh'] as const)('auth-type %s', (authType) => {
  it.each(CLIENTS)('%s logs in to both hosts, its stored credentials push and pull, post logs it out', async (client) => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { clients: client, 'auth-type': authType }));
    expect(main.stderr).toBe('');
    expect(main.code).toBe(0);

    expect(main.outputs).toMatchObject({
      registry: emu.hosts[0],
      registries: emu.hosts.join(','),
      clients: client,
      'account-id': emu.keys.user.accountId,
      'logged-in': 'true',
    });
    const expiresAt = main.outputs['expires-at']!;
    if (authType === 'apikey') expect(expiresAt).toBe('');
    else expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now() + (authType === 'bearer' ? 3000_000 : 3600_000));

    const file = client === 'docker' ? machine.dockerFile : machine.containersFile;
    const auths = await readAuths(file);
    expect(Object.keys(auths).sort()).toEqual([...emu.hosts].sort());
    for (const host of emu.hosts) expect(usernameIn(auths[host])).toBe(USERNAME[authType]);

    await pushAndPull(machine, file, emu.hosts[1]!, `ns/${client}-${authType}:1`);
    if (client === 'docker') {
      // Regions are separate registries: docker itself reads what it stored for the other host, where
      // that image is first copied (an image pushed to one region is not in another).
      const image = `${emu.hosts[0]}/ns/${client}-${authType}:1`;
      const { ref } = await testImage();
      await exec('skopeo', ['copy', '--authfile', file, ref, `docker://${image}`], { env: machine.env });
      const { stdout } = await exec('docker', ['manifest', 'inspect', '--insecure', image], {
        env: machine.env,
      }).catch(async () => exec('docker', ['manifest', 'inspect', image], { env: machine.env }));
      expect(stdout).toMatch(/schemaVersion/);
    }

    expect(main.stdout).toContain('IAM accepted the API key');
    expect(main.summary).toContain(`| \`${emu.hosts[0]}\` | ✅ logged in |`);
    expect(main.summary).toContain(`\`${authType}\``);

    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(await readAuths(file)).toEqual({});
    await expectPushRefused(machine, file, emu.hosts[1]!, `ns/${client}-${authType}:2`);
    await expectNoLeaks(emu, job, [main, post]);
  });
});

describe('every client at once', () => {
  it('logs all four into two hosts in one step with one IAM exchange, and out again in post', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const before = iamCalls(emu);
    const main = await job.main(emulatorInputs(emu, { clients: 'docker podman buildah skopeo' }));
    expect(main.code).toBe(0);
    expect(iamCalls(emu) - before).toBe(1);
    expect(main.outputs['clients']).toBe('docker,podman,buildah,skopeo');
    expect(Object.keys(main.state).filter((n) => n.startsWith('login_'))).toHaveLength(8);
    // skopeo (the quickest) writes the file the containers tools share; podman and buildah confirm they see it.
    for (const host of emu.hosts) {
      expect(main.stdout).toContain(`docker logged in to ${host} as iamapikey.`);
      expect(main.stdout).toContain(`skopeo logged in to ${host} as iamapikey.`);
      expect(main.stdout).toContain(`buildah sees skopeo's login of ${host} as iamapikey.`);
      expect(main.stdout).toContain(`podman sees skopeo's login of ${host} as iamapikey.`);
      expect(main.summary).toContain(`| \`${host}\` | ✅ logged in | ✅ sees skopeo's login | ✅ sees skopeo's login | ✅ logged in |`);
    }
    // What podman and buildah confirmed is real: the shared file pushes.
    await pushAndPull(machine, machine.containersFile, emu.hosts[1]!, 'ns/all-four:1');

    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(post.stdout).not.toContain('::warning');
    expect(await readAuths(machine.dockerFile)).toEqual({});
    expect(await readAuths(machine.containersFile)).toEqual({});
    await expectNoLeaks(emu, job, [main, post]);
  });

  it('logs in as a trusted profile with a service ID key, and the assume grant refuses a user key for it', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const main = await job.main(
      emulatorInputs(emu, { 'api-key': emu.keys.service.key, 'trusted-profile': emu.profileId, clients: 'podman,docker' }),
    );
    expect(main.code).toBe(0);
    const auths = await readAuths(machine.containersFile);
    expect(usernameIn(auths[emu.hosts[0]!])).toBe(emu.profileId);
    await pushAndPull(machine, machine.containersFile, emu.hosts[0]!, 'ns/profile:1');
    const post = await job.post(main);
    await expectNoLeaks(emu, job, [main, post]);

    const refused = await (await newJob(machine)).main(emulatorInputs(emu, { 'trusted-profile': emu.profileId, clients: 'podman' }));
    expect(refused.code).toBe(1);
    // IAM's assume grant refuses it before any client runs (its code is the emulator's stand-in: only the shape counts).
    expect(refused.stdout).toContain(`::error title=IAM::IAM refused the key's service ID as trusted profile ${emu.profileId} (BXNIM`);
  });
});

describe('what a client is handed', () => {
  it('gets the secret on stdin only, in main and in post: not in argv, not in its environment', async () => {
    const machine = await newMachine(emu);
    const spy = await installSpy(machine.dir, CLIENTS);
    const job = await newJob(machine, {
      PATH: `${spy.bin}:${machine.env['PATH']}`,
      IBMCLOUD_API_KEY: emu.keys.user.key,
      OTHER_NAME: emu.keys.user.key,
    });
    const main = await job.main(emulatorInputs(emu, { clients: CLIENTS.join(','), 'auth-type': 'bearer' }));
    expect(main.code).toBe(0);
    const post = await job.post(main);
    expect(post.code).toBe(0);
    const calls = await spy.calls();
    const logins = calls.filter((c) => c.argv[1] === '--username');
    const logouts = calls.filter((c) => c.argv[0] === 'logout');
    expect(logins.length).toBe(2 * emu.hosts.length); // docker and skopeo, each host
    expect(logouts.length).toBe(2 * emu.hosts.length);
    for (const call of calls) {
      for (const s of emu.secrets()) {
        expect(call.argv.join(' ').includes(s), `${call.client} argv holds a secret`).toBe(false);
        expect(call.env.includes(s), `${call.client} env holds a secret`).toBe(false);
      }
      expect(call.env).not.toMatch(/^(INPUT_API-KEY|IBMCLOUD_API_KEY|OTHER_NAME)=/m);
    }
    for (const call of logins) expect(call.argv.slice(0, 4)).toEqual(['login', '--username', 'iambearer', '--password-stdin']);
  });

  it('confirms once per client and credentials file, whatever the number of hosts', async () => {
    const machine = await newMachine(emu);
    const spy = await installSpy(machine.dir, CLIENTS);
    const job = await newJob(machine, { PATH: `${spy.bin}:${machine.env['PATH']}` });
    const main = await job.main(emulatorInputs(emu, { clients: CLIENTS.join(',') }));
    expect(main.code).toBe(0);
    expect(emu.hosts.length).toBeGreaterThan(1);
    const checks = (await spy.calls()).filter((c) => c.argv[1] === '--get-login').map((c) => c.client);
    // skopeo writes the shared file; podman and buildah each check it once, for the first host only.
    expect(checks.sort()).toEqual(['buildah', 'podman']);
    for (const host of emu.hosts) {
      for (const client of ['podman', 'buildah']) expect(main.stdout).toContain(`${client} sees skopeo's login of ${host}`);
    }
    await job.post(main);
  });

  it('never runs two writers of one credentials file at once', async () => {
    const machine = await newMachine(emu);
    const spy = await installSpy(machine.dir, CLIENTS, { timing: true });
    const job = await newJob(machine, { PATH: `${spy.bin}:${machine.env['PATH']}` });
    const main = await job.main(emulatorInputs(emu, { clients: CLIENTS.join(',') }));
    expect(main.code).toBe(0);
    const post = await job.post(main);
    expect(post.code).toBe(0);
    const writers = (await spy.calls()).filter((c) => c.argv[1] === '--username' || c.argv[0] === 'logout');
    const fileOf = (c: { client: string }): string => (c.client === 'docker' ? 'docker' : 'containers');
    for (const a of writers) {
      for (const b of writers) {
        if (a === b || fileOf(a) !== fileOf(b)) continue;
        const overlap = a.start < b.end && b.start < a.end;
        expect(overlap, `${a.client} ${a.argv.join(' ')} overlaps ${b.client} ${b.argv.join(' ')}`).toBe(false);
      }
    }
    // Writers of different files did run side by side at least once (given a second core).
    if (availableParallelism() > 1) {
      expect(writers.some((a) => writers.some((b) => fileOf(a) !== fileOf(b) && a.start < b.end && b.start < a.end))).toBe(true);
    }
  });
});
