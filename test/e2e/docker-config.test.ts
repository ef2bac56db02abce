// Client docker-config: docker's config.json written by the action itself, with no docker on the
// action's PATH. The real docker CLI (`docker manifest inspect` reads the stored credentials and asks
// the registry, no daemon needed) and real skopeo (`--authfile`) then use what it wrote; post removes
// it, reads back that it is gone, and puts back what was there.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { installHelper } from '../harness/credential-helper.ts';
import type { Job, StepRun } from '../harness/runner.ts';
import {
  emulatorInputs,
  exec,
  expectNoLeaks,
  expectPushRefused,
  iamCalls,
  newJob,
  newMachine,
  OLD,
  pathWith,
  pushAndPull,
  readAuths,
  testImage,
  type Machine,
} from './checks.ts';

let emu: Emulator;
let US: string;
let EU: string;
beforeAll(async () => {
  emu = await startEmulator({ regions: ['us-south', 'eu-de'] });
  [US, EU] = [emu.hostOf('us-south'), emu.hostOf('eu-de')];
});
afterAll(() => emu?.stop());

/** The entry docker itself would write for this key. */
const ours = (): { auth: string } => ({ auth: Buffer.from(`iamapikey:${emu.keys.user.key}`).toString('base64') });

async function writeJson(path: string, value: unknown, mode = 0o600): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const text = JSON.stringify(value, null, '\t');
  await writeFile(path, text, { mode });
  return text;
}

/**
 * docker itself, reading what is stored for the image's host: the manifest of an image skopeo pushed
 * there first with `pushFile` (skopeo honours credHelpers, not credsStore).
 */
async function dockerReads(
  machine: Machine,
  image: string,
  env: Record<string, string> = {},
  pushFile = machine.dockerFile,
): Promise<void> {
  const { ref } = await testImage();
  await exec('skopeo', ['copy', '--authfile', pushFile, ref, `docker://${image}`], { env: { ...machine.env, ...env } });
  const { stdout } = await exec('docker', ['manifest', 'inspect', '--insecure', image], { env: { ...machine.env, ...env } });
  expect(stdout).toMatch(/schemaVersion/);
}

/** docker, with the credentials it finds, is refused by the registry (docker's words for ICR's 401, and for its 400: `unknown:`). */
async function dockerRefused(machine: Machine, image: string, env: Record<string, string> = {}): Promise<void> {
  await expect(exec('docker', ['manifest', 'inspect', '--insecure', image], { env: { ...machine.env, ...env } })).rejects.toThrow(
    /unauthorized|": unknown: *$/im,
  );
}

const warnings = (step: StepRun): string[] => step.stdout.split('\n').filter((l) => l.startsWith('::warning'));

/** Post ends well and leaves no entry in docker's file; nothing leaked. */
async function postLeavesNoEntry(machine: Machine, job: Job, main: StepRun): Promise<void> {
  const post = await job.post(main);
  expect(post.code).toBe(0);
  expect(warnings(post)).toEqual([]);
  expect(await readAuths(machine.dockerFile)).toEqual({});
  await expectNoLeaks(emu, job, [main, post]);
}

describe('docker-config without docker', () => {
  it("writes the entry docker would, keeps the user's other entries and settings; docker and skopeo use it; post puts the file back", async () => {
    const machine = await newMachine(emu);
    const LEGACY = { auth: Buffer.from('legacyuser:legacy-password-5678').toString('base64') };
    const user = {
      auths: { [US]: OLD, [`https://${EU}`]: LEGACY, 'other.example': LEGACY },
      psFormat: 'table {{.ID}}',
      credHelpers: { 'x.example': 'pass' },
      'x-some-tool': { setting: 1 },
    };
    await writeJson(machine.dockerFile, user, 0o644);
    const job = await newJob(machine, { PATH: await pathWith(machine.dir, []) });
    const main = await job.main(emulatorInputs(emu, { clients: 'docker-config' }));
    expect(main.code).toBe(0);
    expect(main.outputs).toMatchObject({ clients: 'docker-config', registries: `${US},${EU}`, 'logged-in': 'true' });
    for (const host of [US, EU]) expect(main.stdout).toContain(`docker-config logged in to ${host} as iamapikey.`);
    const written = JSON.parse(await readFile(machine.dockerFile, 'utf8')) as typeof user;
    expect(written).toEqual({ ...user, auths: { ...user.auths, [US]: ours(), [EU]: ours() } });
    // The user's mode is kept, as docker keeps it.
    expect((await stat(machine.dockerFile)).mode & 0o777).toBe(0o644);

    await pushAndPull(machine, machine.dockerFile, EU, 'ns/docker-config:1');
    await dockerReads(machine, `${US}/ns/docker-config:2`);

    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(warnings(post)).toEqual([]);
    for (const host of [US, EU]) expect(post.stdout).toContain(`docker-config: logged out (${host}).`);
    expect(JSON.parse(await readFile(machine.dockerFile, 'utf8'))).toEqual(user);
    await expectPushRefused(machine, machine.dockerFile, EU, 'ns/docker-config:3');
    await dockerRefused(machine, `${US}/ns/docker-config:2`);
    await expectNoLeaks(emu, job, [main, post], ['old-password-1234', 'legacy-password-5678']);
  });

  it('creates ~/.docker (0700) and config.json (0600) where there was none; post leaves no entry', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine, { PATH: await pathWith(machine.dir, []) });
    const main = await job.main(emulatorInputs(emu, { clients: 'docker-config', registry: US }));
    expect(main.code).toBe(0);
    expect((await stat(dirname(machine.dockerFile))).mode & 0o777).toBe(0o700);
    expect((await stat(machine.dockerFile)).mode & 0o777).toBe(0o600);
    expect(await readAuths(machine.dockerFile)).toEqual({ [US]: ours() });
    await dockerReads(machine, `${US}/ns/docker-config-new:1`);
    await postLeavesNoEntry(machine, job, main);
  });

  it('through credHelpers: the secret goes to the helper, docker and skopeo read it there; post puts back what it held', async () => {
    const machine = await newMachine(emu);
    const helper = await installHelper(machine.dir, 'icrtest');
    const earlier = { Username: 'olduser', Secret: 'old-helper-secret-99' };
    await helper.write({ [US]: earlier });
    const user = await writeJson(machine.dockerFile, { credHelpers: { [US]: 'icrtest' } });
    const withHelper = { PATH: `${helper.bin}:${machine.env['PATH']}` };
    const job = await newJob(machine, { PATH: `${helper.bin}:${await pathWith(machine.dir, [])}` });
    const main = await job.main(emulatorInputs(emu, { clients: 'docker-config', registry: US }));
    expect(main.code).toBe(0);
    expect((await helper.read())[US]).toEqual({ Username: 'iamapikey', Secret: emu.keys.user.key });
    // As docker leaves it: an empty entry, the secret in the helper only.
    expect(await readAuths(machine.dockerFile)).toEqual({ [US]: {} });
    await pushAndPull({ ...machine, env: { ...machine.env, ...withHelper } }, machine.dockerFile, US, 'ns/docker-config-helper:1');
    await dockerReads(machine, `${US}/ns/docker-config-helper:2`, withHelper);

    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(warnings(post)).toEqual([]);
    expect(await helper.read()).toEqual({ [US]: earlier });
    expect(JSON.parse(await readFile(machine.dockerFile, 'utf8'))).toEqual({ ...JSON.parse(user), auths: {} });
    // The helper was told the secret on stdin only: its arguments are the protocol's verb, its
    // environment holds no secret (the clients' own, without the key's variables).
    const calls = await helper.calls();
    expect(calls.map((c) => c.argv[0])).toEqual(expect.arrayContaining(['get', 'store', 'erase']));
    for (const call of calls) {
      expect(call.argv).toHaveLength(1);
      const env = JSON.stringify(call.env);
      for (const secret of emu.secrets()) expect(env.includes(secret), 'a secret in the helper’s environment').toBe(false);
      expect(Object.keys(call.env)).not.toContain('INPUT_API-KEY');
    }
    await expectNoLeaks(emu, job, [main, post], ['old-helper-secret-99']);
  });

  it('through credsStore, with a helper whose erase forgets nothing: post reads back and warns that the login is still there', async () => {
    const machine = await newMachine(emu);
    const helper = await installHelper(machine.dir, 'icrtest', { idle: 'erase' });
    await writeJson(machine.dockerFile, { credsStore: 'icrtest' });
    const withHelper = { PATH: `${helper.bin}:${machine.env['PATH']}` };
    const job = await newJob(machine, { PATH: `${helper.bin}:${await pathWith(machine.dir, [])}` });
    const main = await job.main(emulatorInputs(emu, { clients: 'docker-config', registry: US }));
    expect(main.code).toBe(0);
    expect(Object.keys(await helper.read())).toEqual([US]);
    expect(await readAuths(machine.dockerFile)).toEqual({ [US]: {} });
    // A file of skopeo's own that names the helper: skopeo honours credHelpers, not credsStore.
    const pushFile = join(machine.dir, 'push-auth.json');
    await writeJson(pushFile, { credHelpers: { [US]: 'icrtest' } });
    await dockerReads(machine, `${US}/ns/docker-config-store:1`, withHelper, pushFile);

    const post = await job.post(main);
    expect(post.code).toBe(0);
    // The helper answered erase with 0, so only reading back shows the login is still there.
    expect(warnings(post)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::warning title=docker-config logout::docker-config: could not be removed: docker-credential-icrtest still holds the login icr-login stored for ${US.replace(/\./g, '\\.')} \\(docker-config logout exited 0 but left it; docker-credential-icrtest erase exited 0 but left it\\); to remove it by hand, run \`echo ${US.replace(/\./g, '\\.')} \\| docker-credential-icrtest erase\`\\.$`,
        ),
      ),
    ]);
  });

  it('isolate: true writes the isolated config.json and leaves the user’s file alone; a later step’s docker reads it', async () => {
    const machine = await newMachine(emu);
    const user = await writeJson(machine.dockerFile, { auths: { [US]: OLD }, credsStore: 'osxkeychain', psFormat: 'table' });
    const job = await newJob(machine, { PATH: await pathWith(machine.dir, []) });
    const main = await job.main(emulatorInputs(emu, { clients: 'docker-config', registry: US, isolate: 'true' }));
    expect(main.code).toBe(0);
    const isolated = join(main.exported['DOCKER_CONFIG']!, 'config.json');
    expect(main.outputs['docker-config']).toBe(main.exported['DOCKER_CONFIG']);
    expect(JSON.parse(await readFile(isolated, 'utf8'))).toEqual({ psFormat: 'table', auths: { [US]: ours() } });
    expect(await readFile(machine.dockerFile, 'utf8')).toBe(user);
    await dockerReads({ ...machine, dockerFile: isolated }, `${US}/ns/docker-config-isolated:1`, main.exported);
    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(await readFile(machine.dockerFile, 'utf8')).toBe(user);
    await expectNoLeaks(emu, job, [main, post], ['old-password-1234']);
  });

  it('waits for the file’s lock like any writer: held by another live job, the login fails in one line and the file is untouched', async () => {
    const machine = await newMachine(emu);
    const user = await writeJson(machine.dockerFile, { auths: { [US]: OLD } });
    const now = Date.now();
    await writeFile(
      `${machine.dockerFile}.icr-login.lock`,
      JSON.stringify({ pid: process.pid, token: randomUUID(), since: now, until: now + 600_000 }),
    );
    const job = await newJob(machine, { PATH: await pathWith(machine.dir, []) });
    const main = await job.main(emulatorInputs(emu, { clients: 'docker-config', registry: US, timeout: '2' }));
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(
      new RegExp(
        `::error title=docker-config login::Another icr-login job \\(pid ${process.pid}\\) kept ${machine.dockerFile.replace(/\./g, '\\.')} locked`,
      ),
    );
    expect(await readFile(machine.dockerFile, 'utf8')).toBe(user);
    const post = await job.post(main);
    expect(post.code).toBe(0);
  });

  it('clients: docker,docker-config is refused in one line before IAM: both would write docker’s config.json', async () => {
    const machine = await newMachine(emu);
    const before = iamCalls(emu);
    const main = await (await newJob(machine)).main(emulatorInputs(emu, { clients: 'docker,docker-config' }));
    expect(main.code).toBe(1);
    const errors = main.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toEqual([
      expect.stringMatching(
        /^::error title=clients::Input clients names docker and docker-config, which both write docker's config\.json; /,
      ),
    ]);
    expect(iamCalls(emu)).toBe(before);
  });
});

describe('clients: auto', () => {
  it('with only podman on PATH: podman and docker-config, so docker’s config.json is logged in too; post logs both out', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine, { PATH: await pathWith(machine.dir, ['podman']) });
    const main = await job.main(emulatorInputs(emu, { registry: US }));
    expect(main.code).toBe(0);
    expect(main.outputs['clients']).toBe('podman,docker-config');
    expect(await readAuths(machine.dockerFile)).toEqual({ [US]: ours() });
    expect(Object.keys(await readAuths(machine.containersFile))).toEqual([US]);
    await pushAndPull(machine, machine.dockerFile, US, 'ns/auto-podman:1');
    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(await readAuths(machine.dockerFile)).toEqual({});
    expect(await readAuths(machine.containersFile)).toEqual({});
    await expectNoLeaks(emu, job, [main, post]);
  });

  it('with none of the four on PATH: docker-config alone', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine, { PATH: await pathWith(machine.dir, []) });
    const main = await job.main(emulatorInputs(emu, { registry: US }));
    expect(main.code).toBe(0);
    expect(main.outputs['clients']).toBe('docker-config');
    await dockerReads(machine, `${US}/ns/auto-none:1`);
    await postLeavesNoEntry(machine, job, main);
  });

  it('with docker on PATH: docker itself, and no docker-config', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine, { PATH: await pathWith(machine.dir, ['docker', 'podman']) });
    const main = await job.main(emulatorInputs(emu, { registry: US }));
    expect(main.code).toBe(0);
    expect(main.outputs['clients']).toBe('docker,podman');
    expect(main.stdout).toContain(`docker logged in to ${US} as iamapikey.`);
    expect(main.stdout).not.toContain('docker-config');
    await job.post(main);
  });
});
