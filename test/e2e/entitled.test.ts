// IBM's entitled registry (cp.icr.io): every client logged in as cp with the entitlement key, beside
// ICR's hosts or alone (then IAM is never asked); each client that pulls without a daemon pulls an IBM
// image with what it stored; post logs it out and puts back what the host held; the CLI does the same.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EntitledRegistry } from '../emulator/index.ts';
import { runClient } from '../emulator/testing/run-client.ts';
import { leaksIn, secretForms } from '../harness/leaks.ts';
import { ROOT } from '../harness/runner.ts';
import {
  emulatorInputs,
  exec,
  expectNoKeysIn,
  expectNoLeaks,
  iamCalls,
  newJob,
  newMachine,
  OLD,
  readAuths,
  type Machine,
} from './checks.ts';

const CLIENTS = ['docker', 'podman', 'buildah', 'skopeo'] as const;

let emu: Emulator;
let cp: EntitledRegistry;
let US: string;
beforeAll(async () => {
  emu = await startEmulator({ entitled: true });
  cp = emu.entitled!;
  US = emu.host;
});
afterAll(() => emu?.stop());

const MQ = (): string => `${cp.host}/cp/ibm-mq/mq:9`;
const decoded = (entry: unknown): string => Buffer.from((entry as { auth: string }).auth, 'base64').toString();

/** The digest each client's pull of IBM MQ ends with, through what the login stored. */
async function pullsWithWhatWasStored(machine: Machine): Promise<void> {
  const env = machine.env;
  const digest = cp.images[0]!.digest;
  // skopeo (and docker's file, read by skopeo: docker has no daemon here to pull with).
  for (const file of [machine.containersFile, machine.dockerFile]) {
    const { stdout } = await exec('skopeo', ['inspect', '--authfile', file, `docker://${MQ()}`], { env });
    expect((JSON.parse(stdout) as { Digest: string }).Digest).toBe(digest);
  }
  // podman and buildah pull into their own storage with the file the containers tools share.
  for (const client of ['podman', 'buildah']) {
    const pulled = await runClient(client, ['pull', '--quiet', MQ()], { env });
    expect([client, pulled.code, pulled.stderr]).toEqual([client, 0, '']);
    const inspect =
      client === 'podman'
        ? ['image', 'inspect', '--format', '{{.Digest}}']
        : ['inspect', '--type', 'image', '--format', '{{.FromImageDigest}}'];
    const { stdout } = await exec(client, [...inspect, MQ()], { env });
    expect(stdout.trim()).toBe(digest);
  }
}

describe('the entitled registry', () => {
  it('logs all four clients in as cp beside ICR; each pulls an IBM image; post logs out and puts back what the host held', async () => {
    const machine = await newMachine(emu);
    // What the user had for the entitled registry before the step: post puts it back.
    for (const file of [machine.dockerFile, machine.containersFile]) {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify({ auths: { [cp.host]: OLD } }));
    }
    const job = await newJob(machine);
    const main = await job.main(
      emulatorInputs(emu, { clients: CLIENTS.join(','), 'entitlement-key': cp.key, 'entitled-registry': cp.host }),
    );
    expect(main.code).toBe(0);
    expect(main.outputs).toMatchObject({ registry: US, registries: `${US},${cp.host}`, clients: CLIENTS.join(','), 'logged-in': 'true' });
    for (const client of ['docker', 'skopeo']) {
      expect(main.stdout).toContain(`${client} logged in to ${US} as iamapikey.`);
      expect(main.stdout).toContain(`${client} logged in to ${cp.host} as cp.`);
    }
    expect(main.stdout).toContain(`podman sees skopeo's login of ${cp.host} as cp.`);
    expect(main.stdout).toContain(`Kept aside the credentials ${cp.host} had before this step; post puts them back.`);
    for (const file of [machine.dockerFile, machine.containersFile]) {
      const auths = await readAuths(file);
      expect(decoded(auths[cp.host])).toBe(`cp:${cp.key}`);
      expect(decoded(auths[US])).toBe(`iamapikey:${emu.keys.user.key}`);
    }
    expect(main.summary).toContain(`| \`${cp.host}\` | ✅ logged in | ✅ sees skopeo's login | ✅ sees skopeo's login | ✅ logged in |`);
    expect(main.summary).toContain(`| entitled registry | \`${cp.host}\` (username \`cp\`, entitlement key) |`);
    expect(main.summary).toContain('| auth type | `apikey` (username `iamapikey`) |');
    expect(main.stdout).toContain(`::add-mask::${cp.key}`);

    await pullsWithWhatWasStored(machine);

    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(post.stdout).not.toContain('::warning');
    for (const client of ['docker', 'skopeo']) expect(post.stdout).toContain(`${client}: logged out (${cp.host}).`);
    for (const file of [machine.dockerFile, machine.containersFile]) expect(await readAuths(file)).toEqual({ [cp.host]: OLD });
    await expectNoKeysIn(emu, [machine.dockerFile, machine.containersFile]);
    await expectNoLeaks(emu, job, [main, post]);
  });

  it('with api-key empty logs in to the entitled registry alone, never asks IAM, and is no skip', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const before = iamCalls(emu);
    const main = await job.main(
      emulatorInputs(emu, { 'api-key': '', clients: 'podman,docker', 'entitlement-key': `\n${cp.key}\n`, 'entitled-registry': cp.host }),
    );
    expect(main.code).toBe(0);
    expect(iamCalls(emu)).toBe(before);
    expect(main.stdout).not.toContain('missing-key');
    expect(main.outputs).toMatchObject({ registry: cp.host, registries: cp.host, 'account-id': '', 'expires-at': '', 'logged-in': 'true' });
    expect(Object.keys(await readAuths(machine.dockerFile))).toEqual([cp.host]);
    expect(Object.keys(await readAuths(machine.containersFile))).toEqual([cp.host]);
    expect(main.summary).toContain(`| entitled registry | \`${cp.host}\``);
    expect(main.summary).not.toContain('auth type');
    const { stdout } = await exec('skopeo', ['inspect', '--authfile', machine.dockerFile, `docker://${MQ()}`], { env: machine.env });
    expect((JSON.parse(stdout) as { Digest: string }).Digest).toBe(cp.images[0]!.digest);

    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(await readAuths(machine.dockerFile)).toEqual({});
    expect(await readAuths(machine.containersFile)).toEqual({});
    await expectNoLeaks(emu, job, [main, post]);
  });

  it('checks an image named on the entitled registry there, with the entitlement key, and pull only', async () => {
    // A key entitled to MQ only: the other IBM image is denied in the entitled registry's own words.
    const mqOnly = cp.addKey({ entitles: ['cp/ibm-mq/'] });
    const other = cp.images.find((i) => !i.repository.startsWith('cp/ibm-mq/'))!;
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const before = iamCalls(emu);
    const main = await job.main(
      emulatorInputs(emu, {
        'api-key': '',
        clients: 'skopeo',
        'entitlement-key': mqOnly,
        'entitled-registry': cp.host,
        images: `${MQ()}, ${cp.host}/${other.repository}:1`,
        access: 'pull',
      }),
    );
    expect(iamCalls(emu)).toBe(before);
    expect(main.code).toBe(1);
    expect(main.outputs['images']).toBe(`${cp.host}/cp/ibm-mq/mq`);
    const errors = main.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::error title=images::Pull from ${cp.host.replace(/\./g, '\\.')}/${other.repository} was denied \\(.*\\): the entitlement key is not entitled to this image, or no longer is; `,
        ),
      ),
    ]);
    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(await readAuths(machine.containersFile)).toEqual({});
    await expectNoLeaks(emu, job, [main, post], [mqOnly]);
  });

  it('refuses a push check of the entitled registry before anything runs: it only pulls', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { 'entitlement-key': cp.key, 'entitled-registry': cp.host, images: MQ() }));
    expect(main.code).toBe(1);
    expect(main.stdout).toContain(`is on the entitled registry ${cp.host}, which only pulls; set access: pull`);
    expect(await readAuths(machine.containersFile)).toEqual({});
    await job.post(main);
  });

  it('a key the registry refuses fails those logins in the clients’ words; ICR’s still log in', async () => {
    const revoked = cp.addKey();
    cp.revokeKey(revoked);
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { clients: 'skopeo', 'entitlement-key': revoked, 'entitled-registry': cp.host }));
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(
      new RegExp(`^::error title=skopeo login::skopeo login to ${cp.host} failed: .*invalid username/password`, 'm'),
    );
    expect(main.outputs['registries']).toBe(US);
    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(await readAuths(machine.containersFile)).toEqual({});
    await expectNoLeaks(emu, job, [main, post], [revoked]);
  });

  it('tells another job’s login to the entitled registry from the user’s by its entitlement key, and leaves it in place', async () => {
    const machine = await newMachine(emu);
    const other = cp.addKey();
    const inputs = (key: string, apiKey: string) =>
      emulatorInputs(emu, { 'api-key': apiKey, clients: 'skopeo', 'entitlement-key': key, 'entitled-registry': cp.host });
    const first = await newJob(machine);
    const a = await first.main(inputs(cp.key, emu.keys.user.key));
    expect(a.code).toBe(0);
    // A second job on the same machine while the first is under way: the first's login is no user's.
    const second = await newJob(machine);
    const b = await second.main(inputs(other, emu.keys.service.key));
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/^::warning title=shared credentials file::Another icr-login job on this machine is logged in to /m);
    expect(b.stdout).toContain(`${cp.host} (${machine.containersFile})`);
    expect(b.stdout).not.toContain('Kept aside');
    // The first job's post finds the second's key at both hosts: not its own, so left alone.
    const aPost = await first.post(a);
    expect(aPost.stdout).toMatch(
      new RegExp(
        `^skopeo: left in place: another icr-login job's login \\(run [0-9a-f]{8}, pid \\d+\\) \\(${cp.host.replace(/\./g, '\\.')}\\)\\.$`,
        'm',
      ),
    );
    expect(decoded((await readAuths(machine.containersFile))[cp.host])).toBe(`cp:${other}`);
    const bPost = await second.post(b);
    expect(bPost.stdout).toContain(`skopeo: logged out (${cp.host}).`);
    expect(await readAuths(machine.containersFile)).toEqual({});
    await expectNoLeaks(emu, first, [a, aPost], [other]);
    await expectNoLeaks(emu, second, [b, bPost], [other]);
  });
});

describe('the CLI and the entitled registry', () => {
  const cli = async (machine: Machine, args: string[], env: Record<string, string> = {}, stdin = '') => {
    const run = await runClient(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], {
      env: { ...machine.env, ...env },
      input: stdin,
    });
    expect(leaksIn(`${run.stdout}\n${run.stderr}`, secretForms(emu.secrets()))).toEqual([]);
    return run;
  };

  it('logs in with IBM_ENTITLEMENT_KEY (or stdin) and --entitled-registry, and `logout` undoes it', async () => {
    const machine = await newMachine(emu);
    const login = await cli(machine, ['--entitled-registry', cp.host, '--clients', 'podman'], { IBM_ENTITLEMENT_KEY: cp.key });
    expect([login.code, login.stderr]).toEqual([0, `podman logged in to ${cp.host} as cp.\n`]);
    expect(login.stdout).toContain(`registries=${cp.host}\n`);
    expect(decoded((await readAuths(machine.containersFile))[cp.host])).toBe(`cp:${cp.key}`);
    const logout = await cli(machine, ['logout']);
    expect(logout.code).toBe(0);
    expect(await readAuths(machine.containersFile)).toEqual({});

    const piped = await cli(
      machine,
      ['--entitled-registry', cp.host, '--clients', 'skopeo', '--entitlement-key-stdin', '-q'],
      {},
      `${cp.key}\n`,
    );
    expect([piped.code, piped.stderr]).toEqual([0, '']);
    expect((await cli(machine, ['logout'])).code).toBe(0);
    expect(await readAuths(machine.containersFile)).toEqual({});

    const argv = await cli(machine, ['--entitlement-key', cp.key]);
    expect(argv.code).toBe(2);
    expect(argv.stderr).toMatch(/^icr-login: The entitlement key is never taken from the command line/);
  });
});
