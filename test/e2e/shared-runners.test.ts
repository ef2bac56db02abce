// Self-hosted and shared runners: earlier credentials put back, isolated jobs side by side on one HOME,
// docker credential helpers, private file modes, and clients that hang or stumble.
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { installHelper } from '../harness/credential-helper.ts';
import { installSpy } from '../harness/spy.ts';
import { emulatorInputs, expectNoLeaks, newJob, newMachine, pushAndPull, readAuths, OLD } from './checks.ts';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterEach(() => emu?.clearFaults());
afterAll(() => emu?.stop());

const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(value), { mode: 0o600 });
}

describe('earlier credentials', () => {
  it('are kept aside in a 0600 file under RUNNER_TEMP and put back by post, other keys untouched', async () => {
    const machine = await newMachine(emu);
    await writeJson(machine.dockerFile, { auths: { [emu.host]: OLD, 'other.example': OLD }, psFormat: 'table {{.ID}}' });
    await writeJson(machine.containersFile, { auths: { [emu.host]: OLD } });
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { clients: 'docker,podman' }));
    expect(main.code).toBe(0);
    // One host named once, though two files held it.
    expect(main.stdout).toContain(`Kept aside the credentials ${emu.host} had before this step;`);
    expect((await readAuths(machine.dockerFile))[emu.host]).not.toEqual(OLD);

    const backup = main.state['earlier']!;
    expect(backup.startsWith(job.runnerTemp)).toBe(true);
    expect(await mode(backup)).toBe(0o600);
    expect(await mode(dirname(backup))).toBe(0o700);

    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(await readAuths(machine.dockerFile)).toEqual({ [emu.host]: OLD, 'other.example': OLD });
    expect(JSON.parse(await readFile(machine.dockerFile, 'utf8')).psFormat).toBe('table {{.ID}}');
    expect(await readAuths(machine.containersFile)).toEqual({ [emu.host]: OLD });
    await expect(stat(dirname(backup))).rejects.toThrow(/ENOENT/);
    await expectNoLeaks(emu, job, [main, post], ['old-password-1234']);
  });

  it('are deleted, not restored, with logout: false', async () => {
    const machine = await newMachine(emu);
    await writeJson(machine.dockerFile, { auths: { [emu.host]: OLD } });
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { clients: 'docker', logout: 'false' }));
    const post = await job.post(main);
    expect(post.stdout).toContain('Input logout is false');
    expect((await readAuths(machine.dockerFile))[emu.host]).not.toEqual(OLD);
    await expect(stat(dirname(main.state['earlier']!))).rejects.toThrow(/ENOENT/);
  });
});

describe('docker credential helpers', () => {
  it('logs in and out through the helper, and puts back what the helper held before', async () => {
    const machine = await newMachine(emu);
    const helper = await installHelper(machine.dir, 'icrtest');
    await helper.write({ [emu.host]: { Username: 'olduser', Secret: 'old-helper-secret-99' } });
    await writeJson(machine.dockerFile, { auths: {}, credsStore: 'icrtest' });
    const job = await newJob(machine, { PATH: `${helper.bin}:${machine.env['PATH']}` });
    const main = await job.main(emulatorInputs(emu, { clients: 'docker' }));
    expect(main.code).toBe(0);
    expect((await helper.read())[emu.host]).toEqual({ Username: 'iamapikey', Secret: emu.keys.user.key });
    expect(JSON.stringify(await readAuths(machine.dockerFile))).not.toContain('auth"');

    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect((await helper.read())[emu.host]).toEqual({ Username: 'olduser', Secret: 'old-helper-secret-99' });
    await expectNoLeaks(emu, job, [main, post], ['old-helper-secret-99']);
  });

  it('names the missing docker-credential-* helper before any client runs', async () => {
    const machine = await newMachine(emu);
    await writeJson(machine.dockerFile, { auths: {}, credsStore: 'osxkeychain' });
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { clients: 'docker,podman' }));
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(
      /^::error title=docker credential helper::docker hands 127\.0\.0\.1:\d+ credentials to docker-credential-osxkeychain \(credsStore in .*config\.json\), which is not on PATH; install docker-credential-osxkeychain/m,
    );
    expect(await readAuths(machine.containersFile)).toEqual({});
  });
});

describe('isolate: true', () => {
  it('keeps credentials in 0600 files of this job under RUNNER_TEMP, exports them, and post deletes them', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { isolate: 'true' }));
    expect(main.code).toBe(0);
    const dockerConfig = main.outputs['docker-config']!;
    const authFile = main.outputs['auth-file']!;
    expect(dockerConfig.startsWith(job.runnerTemp)).toBe(true);
    expect(authFile.startsWith(job.runnerTemp)).toBe(true);
    expect(main.exported).toEqual({ DOCKER_CONFIG: dockerConfig, REGISTRY_AUTH_FILE: authFile });
    expect(await mode(dirname(authFile))).toBe(0o700);
    expect(await mode(dockerConfig)).toBe(0o700);
    expect(await mode(join(dockerConfig, 'config.json'))).toBe(0o600);
    expect(await mode(authFile)).toBe(0o600);
    // Nothing landed in the shared HOME or runtime folder.
    expect(await readAuths(machine.dockerFile)).toEqual({});
    expect(await readAuths(machine.containersFile)).toEqual({});
    // A later step, with the exported variables, pushes with what the action wrote.
    await pushAndPull(machine, authFile, emu.host, 'ns/isolated:1');
    await pushAndPull(machine, join(dockerConfig, 'config.json'), emu.host, 'ns/isolated:2');

    const post = await job.post(main);
    expect(post.code).toBe(0);
    await expect(stat(dirname(authFile))).rejects.toThrow(/ENOENT/);
    await expectNoLeaks(emu, job, [main, post]);
  });

  it('lets two jobs on one HOME run at once without seeing or removing each other’s logins', async () => {
    const machine = await newMachine(emu);
    const [a, b] = await Promise.all([newJob(machine), newJob(machine)]);
    const inputs = emulatorInputs(emu, { isolate: 'true', clients: 'docker,podman,skopeo' });
    const [mainA, mainB] = await Promise.all([a.main(inputs), b.main({ ...inputs, 'api-key': emu.keys.service.key })]);
    expect([mainA.code, mainB.code]).toEqual([0, 0]);
    const fileA = mainA.outputs['auth-file']!;
    const fileB = mainB.outputs['auth-file']!;
    expect(fileA).not.toBe(fileB);
    const userOf = async (file: string): Promise<string> =>
      Buffer.from(((await readAuths(file))[emu.host] as { auth: string }).auth, 'base64')
        .toString()
        .split(':')[1]!;
    expect(await userOf(fileA)).toBe(emu.keys.user.key);
    expect(await userOf(fileB)).toBe(emu.keys.service.key);

    const postA = await a.post(mainA);
    expect(postA.code).toBe(0);
    // B is untouched by A's post and can still push.
    expect(await userOf(fileB)).toBe(emu.keys.service.key);
    await pushAndPull(machine, fileB, emu.host, 'ns/job-b:1');
    await b.post(mainB);
    expect(await readAuths(machine.dockerFile)).toEqual({});
    expect(await readAuths(machine.containersFile)).toEqual({});
    await expectNoLeaks(emu, a, [mainA, postA]);
  });
});

describe('clients that hang or stumble', () => {
  it('kills a hung client at the timeout and names client and host', async () => {
    const machine = await newMachine(emu);
    const spy = await installSpy(machine.dir, ['podman']);
    const job = await newJob(machine, { PATH: `${spy.bin}:${machine.env['PATH']}` });
    emu.inject('v2', { delayMs: 8000 }, { delayMs: 8000 }, { delayMs: 8000 });
    const main = await job.main(emulatorInputs(emu, { clients: 'podman', timeout: '2' }));
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(
      new RegExp(`::error title=podman login::podman login to ${emu.host.replace(/\./g, '\\.')} did not finish within 2 s and was stopped`),
    );
    // The limit holds for the login, retries included: a try that timed out is not tried again.
    expect(main.elapsedMs).toBeLessThan(8000); // not a benchmark: 3 tries of 2 s plus backoff would pass 8 s
    // Every podman we started (the wrapper execs it, so these are podman's own PIDs) is gone.
    const pids = (await spy.calls()).map((c) => c.pid);
    expect(pids.length).toBe(1);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });

  it('retries a login that met a transient 503, and succeeds', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    emu.inject('v2', { status: 503, body: 'Service Unavailable' });
    const before = emu.requests.length;
    const main = await job.main(emulatorInputs(emu, { clients: 'skopeo' }), { RUNNER_DEBUG: '1' });
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/::debug::skopeo login to .* failed: .*503.* Trying again\./);
    expect(emu.requests.slice(before).some((r) => r.status === 503)).toBe(true);
    await job.post(main);
  });

  it('never retries a login the registry refused', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const before = emu.requests.length;
    // A user key for a trusted profile with IAM out of reach: the step goes on, ICR refuses the pair.
    await emu.setIamReachability('refuse');
    const main = await job.main(emulatorInputs(emu, { clients: 'skopeo', 'trusted-profile': emu.profileId }));
    await emu.setIamReachability('up');
    expect(main.code).toBe(1);
    expect(emu.requests.slice(before).filter((r) => r.path.startsWith('/oauth/token'))).toHaveLength(1);
  });
});

describe('a later step that moves the credentials files', () => {
  it('does not mislead post: it logs out of the files main wrote and puts back what they held', async () => {
    const machine = await newMachine(emu);
    await writeJson(machine.dockerFile, { auths: { [emu.host]: OLD } });
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { clients: 'docker,skopeo' }));
    expect(main.code).toBe(0);
    // As a later step exporting DOCKER_CONFIG and REGISTRY_AUTH_FILE elsewhere would.
    const elsewhere = join(machine.dir, 'elsewhere');
    await mkdir(elsewhere);
    const post = await job.post(main, { DOCKER_CONFIG: elsewhere, REGISTRY_AUTH_FILE: join(elsewhere, 'auth.json') });
    expect(post.code).toBe(0);
    expect(await readAuths(machine.dockerFile)).toEqual({ [emu.host]: OLD });
    expect(await readAuths(machine.containersFile)).toEqual({});
  });
});

describe('a later step that moves DOCKER_CONFIG, with nothing to put back', () => {
  it('still has post remove docker’s login from the file main wrote', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { clients: 'docker' }));
    expect(Object.keys(await readAuths(machine.dockerFile))).toEqual([emu.host]);
    const elsewhere = join(machine.dir, 'elsewhere-docker');
    await mkdir(elsewhere);
    const post = await job.post(main, { DOCKER_CONFIG: elsewhere });
    expect(post.code).toBe(0);
    expect(await readAuths(machine.dockerFile)).toEqual({});
  });
});

describe('a copy of earlier credentials that cannot be put back', () => {
  it('is a warning naming the host, and every other logout still happens', async () => {
    const machine = await newMachine(emu);
    await writeJson(machine.containersFile, { auths: { [emu.host]: OLD } });
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { clients: 'docker,skopeo' }));
    expect(main.code).toBe(0);
    // The folder of the shared file turns into a file: skopeo's logout and the restore both fail.
    await rm(dirname(machine.containersFile), { recursive: true });
    await writeFile(dirname(machine.containersFile), 'not a folder');
    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(
      /::warning title=earlier credentials::could not put the earlier credentials for 127\.0\.0\.1:\d+ back into .*auth\.json \(ENOTDIR\); the file is as it was, without them: log in to 127\.0\.0\.1:\d+ again\./,
    );
    // No file can be where the folder was: nothing of this job's is left there either.
    expect(post.stdout).toContain(`skopeo: logged out (${emu.host}).`);
    expect(post.stdout).toContain(`docker: logged out (${emu.host}).`);
    expect(await readAuths(machine.dockerFile)).toEqual({});
    await expect(stat(dirname(main.state['earlier']!))).rejects.toThrow(/ENOENT/);
  });
});

describe('files of ours', () => {
  it('leaves nothing of ours in RUNNER_TEMP after post', async () => {
    const machine = await newMachine(emu);
    await writeJson(machine.dockerFile, { auths: { [emu.host]: OLD } });
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { isolate: 'true' }));
    expect((await readdir(job.runnerTemp)).length).toBeGreaterThan(0);
    await job.post(main);
    expect(await readdir(job.runnerTemp)).toEqual([]);
  });
});
