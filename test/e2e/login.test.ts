// Each auth type logs in every real client; what each client stored pushes and pulls a real image
// through the emulator to a real registry; post removes exactly what main added; nothing leaks.
import { writeFile, chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { emulatorInputs, exec, expectNoLeaks, expectPushRefused, newJob, newMachine, pushAndPull, readAuths } from './checks.ts';

const CLIENTS = ['docker', 'podman', 'buildah', 'skopeo'] as const;
const USERNAME = { apikey: 'iamapikey', bearer: 'iambearer', refresh: 'iamrefresh' } as const;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ hostCount: 2, refreshTokens: true });
});
afterAll(() => emu?.stop());

const usernameIn = (entry: unknown): string => Buffer.from((entry as { auth: string }).auth, 'base64').toString().split(':')[0]!;

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
      const { stdout } = await exec('docker', ['manifest', 'inspect', '--insecure', `${emu.hosts[0]}/ns/${client}-${authType}:1`], { env: machine.env }).catch(
        async () => exec('docker', ['manifest', 'inspect', `${emu.hosts[0]}/ns/${client}-${authType}:1`], { env: machine.env }),
      );
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
  it('logs all four into two hosts in one step and out again in post', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { clients: 'docker podman buildah skopeo' }));
    expect(main.code).toBe(0);
    expect(main.outputs['clients']).toBe('docker,podman,buildah,skopeo');
    expect(JSON.parse(main.state['logins']!)).toHaveLength(8);
    // skopeo (the quickest) writes the file the containers tools share; podman and buildah confirm they see it.
    for (const host of emu.hosts) {
      expect(main.stdout).toContain(`docker logged in to ${host} as iamapikey.`);
      expect(main.stdout).toContain(`skopeo logged in to ${host} as iamapikey.`);
      expect(main.stdout).toContain(`buildah sees skopeo's login of ${host} as iamapikey.`);
      expect(main.stdout).toContain(`podman sees skopeo's login of ${host} as iamapikey.`);
      expect(main.summary).toContain(`| \`${host}\` | ✅ logged in | ✅ sees skopeo's login | ✅ sees skopeo's login | ✅ logged in |`);
    }
    // What buildah and skopeo confirmed is real: each pushes with its own login command's view.
    await pushAndPull(machine, machine.containersFile, emu.hosts[1]!, 'ns/all-four:1');
    // One IAM exchange for the whole step, whatever the number of hosts and clients.
    expect(emu.requests.filter((r) => r.server === 'iam' && r.status === 200).length).toBeGreaterThan(0);
    const before = emu.requests.filter((r) => r.server === 'iam').length;
    const again = await (await newJob(machine)).main(emulatorInputs(emu, { clients: 'docker,podman' }));
    expect(again.code).toBe(0);
    expect(emu.requests.filter((r) => r.server === 'iam').length - before).toBe(1);

    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(post.stdout).not.toContain('::warning');
    expect(await readAuths(machine.dockerFile)).toEqual({});
    expect(await readAuths(machine.containersFile)).toEqual({});
    await expectNoLeaks(emu, job, [main, post]);
  });

  it('logs in as a trusted profile with a service ID key, and refuses a user key for it', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { 'api-key': emu.keys.service.key, 'trusted-profile': emu.profileId, clients: 'podman,docker' }));
    expect(main.code).toBe(0);
    const auths = await readAuths(machine.containersFile);
    expect(usernameIn(auths[emu.hosts[0]!])).toBe(emu.profileId);
    await pushAndPull(machine, machine.containersFile, emu.hosts[0]!, 'ns/profile:1');
    const post = await job.post(main);
    await expectNoLeaks(emu, job, [main, post]);

    const refused = await (await newJob(machine)).main(emulatorInputs(emu, { 'trusted-profile': emu.profileId, clients: 'podman' }));
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/::error title=podman login::podman login to 127\.0\.0\.1:\d+ failed: .*(invalid username\/password|unauthorized)/);
  });
});

describe('what a client is handed', () => {
  it('gets the secret on stdin only: not in argv, not in its environment', async () => {
    const machine = await newMachine(emu);
    const spy = join(machine.dir, 'spy');
    await mkdir(spy);
    // A wrapper that records what the real client receives, then runs it with the same stdin.
    for (const client of CLIENTS) {
      const { stdout } = await exec('sh', ['-c', `command -v ${client}`]);
      const script = `#!/bin/sh\nprintf '%s\\n' "$@" > "${spy}/${client}.argv.$$"\nenv > "${spy}/${client}.env.$$"\nexec ${stdout.trim()} "$@"\n`;
      await writeFile(join(spy, client), script);
      await chmod(join(spy, client), 0o755);
    }
    const job = await newJob(machine, { PATH: `${spy}:${machine.env['PATH']}` });
    const main = await job.main(emulatorInputs(emu, { clients: CLIENTS.join(','), 'auth-type': 'bearer' }), { IBMCLOUD_API_KEY: emu.keys.user.key });
    expect(main.code).toBe(0);
    const { stdout: files } = await exec('ls', [spy]);
    const recorded = files.split('\n').filter((f) => /\.(argv|env)\./.test(f));
    expect(recorded.length).toBeGreaterThanOrEqual(2 * 2 * emu.hosts.length); // docker and podman log in to each host
    const secrets = emu.secrets();
    for (const f of recorded) {
      const text = await readFile(join(spy, f), 'utf8');
      for (const s of secrets) expect(text.includes(s), `${f} holds a secret`).toBe(false);
      if (f.includes('.env.')) expect(text).not.toMatch(/^INPUT_API-KEY=/m);
      if (f.includes('.argv.')) {
        const argv = text.split('\n').slice(0, 3);
        expect([['login', '--username', 'iambearer'], ['login', '--get-login', expect.stringMatching(/^127\.0\.0\.1:\d+$/)]]).toContainEqual(argv);
        if (argv[1] === '--username') expect(text.split('\n')[3]).toBe('--password-stdin');
      }
    }
    await job.post(main);
  });
});
