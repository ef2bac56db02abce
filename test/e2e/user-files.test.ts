// The user's own credentials files, as a hostile or merely old machine has them: legacy `https://HOST`
// keys, credHelpers in the containers auth file, a file that is not JSON, and a RUNNER_TEMP emptied
// before post, the user's docker plugins and settings under isolate: true, and a folder or a FIFO
// where the lock of their file goes.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { installHelper } from '../harness/credential-helper.ts';
import { Job } from '../harness/runner.ts';
import { installSpy } from '../harness/spy.ts';
import { emulatorInputs, exec, expectNoLeaks, newJob, newMachine, readAuths } from './checks.ts';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu?.stop());

const entry = (pair: string): { auth: string } => ({ auth: Buffer.from(pair).toString('base64') });
const OLD = entry('olduser:old-password-1234');
const LEGACY = entry('legacyuser:legacy-password-5678');

async function writeText(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, { mode: 0o600 });
}

describe('legacy https://HOST keys', () => {
  it('keeps aside every key docker’s logout removes, and post puts each back as it was', async () => {
    const machine = await newMachine(emu);
    const h = emu.host;
    const docker = { [h]: OLD, [`https://${h}`]: LEGACY, [`http://${h}`]: OLD, [`https://${h}/v1/`]: LEGACY, 'other.example': OLD };
    await writeText(machine.dockerFile, JSON.stringify({ auths: docker, psFormat: 'table {{.ID}}' }));
    await writeText(machine.containersFile, JSON.stringify({ auths: { [`https://${h}`]: LEGACY } }));
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { clients: 'docker,podman' }), { RUNNER_DEBUG: '1' });
    expect(main.code).toBe(0);
    const post = await job.post(main, { RUNNER_DEBUG: '1' });
    expect(post.code).toBe(0);
    // Without the keeping aside, docker's logout would have erased HOST, https://HOST and http://HOST.
    expect(await readAuths(machine.dockerFile)).toEqual(docker);
    expect(await readAuths(machine.containersFile)).toEqual({ [`https://${h}`]: LEGACY });
    await expectNoLeaks(emu, job, [main, post], ['old-password-1234', 'legacy-password-5678']);
  });

  it('puts back what docker’s credential helper held under https://HOST, which docker’s logout erases too', async () => {
    const machine = await newMachine(emu);
    const helper = await installHelper(machine.dir, 'icrtest');
    const held = { [`https://${emu.host}`]: { Username: 'legacyuser', Secret: 'legacy-helper-secret-77' } };
    await helper.write(held);
    await writeText(machine.dockerFile, JSON.stringify({ auths: {}, credsStore: 'icrtest' }));
    const job = await newJob(machine, { PATH: `${helper.bin}:${machine.env['PATH']}` });
    const main = await job.main(emulatorInputs(emu, { clients: 'docker' }));
    expect(main.code).toBe(0);
    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(await helper.read()).toEqual(held);
    await expectNoLeaks(emu, job, [main, post], ['legacy-helper-secret-77']);
  });
});

describe('credHelpers in the containers auth file', () => {
  it('are honoured as docker’s are: what the helper held is put back into it', async () => {
    const machine = await newMachine(emu);
    const helper = await installHelper(machine.dir, 'icrtest');
    const earlier = { Username: 'olduser', Secret: 'old-helper-secret-99' };
    await helper.write({ [emu.host]: earlier });
    await writeText(machine.containersFile, JSON.stringify({ auths: {}, credHelpers: { [emu.host]: 'icrtest' } }));
    const job = await newJob(machine, { PATH: `${helper.bin}:${machine.env['PATH']}` });
    const main = await job.main(emulatorInputs(emu, { clients: 'podman,skopeo' }), { RUNNER_DEBUG: '1' });
    expect(main.code).toBe(0);
    // containers/image hands the login to the helper, not to the file.
    expect((await helper.read())[emu.host]).toEqual({ Username: 'iamapikey', Secret: emu.keys.user.key });
    expect(await readAuths(machine.containersFile)).toEqual({});
    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect((await helper.read())[emu.host]).toEqual(earlier);
    await expectNoLeaks(emu, job, [main, post], ['old-helper-secret-99']);
  });
});

describe('a credentials file that is not JSON', () => {
  it('is refused before any client runs, in one line naming the file and where it breaks; nothing touched', async () => {
    const machine = await newMachine(emu);
    const broken = `{\n  "auths": {\n    "${emu.host}": ${JSON.stringify(OLD)},\n  }\n}\n`;
    await writeText(machine.dockerFile, broken);
    const spy = await installSpy(machine.dir, ['docker', 'podman']);
    const job = await newJob(machine, { PATH: `${spy.bin}:${machine.env['PATH']}` });
    const main = await job.main(emulatorInputs(emu, { clients: 'docker,podman' }), { RUNNER_DEBUG: '1' });
    expect(main.code).toBe(1);
    const errors = main.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toEqual([
      `::error title=credentials file::The credentials file ${machine.dockerFile} is not valid JSON (it breaks at line 4, column 3); fix or remove it. icr-login changed nothing and ran no client.`,
    ]);
    expect(await readFile(machine.dockerFile, 'utf8')).toBe(broken);
    expect(await spy.calls()).toEqual([]);
    expect(await readAuths(machine.containersFile)).toEqual({});
    const post = await job.post(main);
    expect(await readFile(machine.dockerFile, 'utf8')).toBe(broken);
    await expectNoLeaks(emu, job, [main, post], ['old-password-1234']);
  });
});

describe('a folder or a FIFO at the lock path', () => {
  const make = {
    'a folder': (path: string) => mkdir(path),
    'a FIFO': async (path: string) => void expect(spawnSync('mkfifo', [path]).status).toBe(0),
  };
  const kinds = Object.keys(make) as (keyof typeof make)[];
  const line = (lock: string, what: string): string =>
    `${lock} is ${what}, not icr-login's lock file, so no job can take its turn writing the credentials file beside it; remove it and try again.`;
  const errors = (out: string, kind: string): string[] => out.split('\n').filter((l) => l.startsWith(`::${kind}`));

  it.each(kinds)(
    'is %s before main: main ends at once with one line naming it, and changes nothing',
    async (what) => {
      const machine = await newMachine(emu);
      const before = JSON.stringify({ auths: { 'other.example': OLD } });
      await writeText(machine.dockerFile, before);
      const lock = `${machine.dockerFile}.icr-login.lock`;
      await make[what](lock);
      // A step that hangs (busy on the folder, blocked on the FIFO) is killed at 30 s and fails the test.
      const job = await Job.create({ env: machine.env, stepTimeoutMs: 30_000 });
      const main = await job.main(emulatorInputs(emu, { clients: 'docker', timeout: '600' }));
      expect(main.code).toBe(1);
      expect(errors(main.stdout, 'error')).toEqual([`::error title=docker login::${line(lock, what)}`]);
      const post = await job.post(main);
      expect(post.code).toBe(0);
      expect(await readFile(machine.dockerFile, 'utf8')).toBe(before);
      await expectNoLeaks(emu, job, [main, post], ['old-password-1234']);
    },
    60_000,
  );

  it.each(kinds)(
    'is %s made by a later step: post ends at once, logs out anyway, and says so in one warning',
    async (what) => {
      const machine = await newMachine(emu);
      const job = await Job.create({ env: machine.env, stepTimeoutMs: 30_000 });
      const main = await job.main(emulatorInputs(emu, { clients: 'docker', timeout: '600' }));
      expect(main.code).toBe(0);
      const lock = `${machine.dockerFile}.icr-login.lock`;
      await make[what](lock);
      const post = await job.post(main);
      expect(post.code).toBe(0);
      // A key of ours left in the file would be worse than a turn not taken: post writes without the lock.
      expect(errors(post.stdout, 'warning')).toEqual([
        `::warning title=logout::${lock} is ${what}, not icr-login's lock file, so this logout wrote ${machine.dockerFile} without taking its turn; remove it so jobs take turns writing the file again.`,
      ]);
      expect(await readAuths(machine.dockerFile)).toEqual({});
      await expectNoLeaks(emu, job, [main, post]);
    },
    60_000,
  );
});

describe('RUNNER_TEMP emptied by a later step', () => {
  it('has post warn that the earlier credentials of the named hosts are gone, and still log out', async () => {
    const machine = await newMachine(emu);
    await writeText(machine.dockerFile, JSON.stringify({ auths: { [emu.host]: OLD } }));
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { clients: 'docker,skopeo' }), { RUNNER_DEBUG: '1' });
    expect(main.code).toBe(0);
    expect(main.state['earlier-hosts']).toBe(JSON.stringify([emu.host]));
    for (const name of await readdir(job.runnerTemp)) await rm(join(job.runnerTemp, name), { recursive: true });
    const post = await job.post(main, { RUNNER_DEBUG: '1' });
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(
      new RegExp(
        `^::warning title=earlier credentials::The copy of the credentials ${emu.host.replace(/\./g, '\\.')} had before this job is gone from .*; log in to it again by hand\\.$`,
        'm',
      ),
    );
    expect(post.stdout).toContain(`docker: logged out (${emu.host}).`);
    expect(await readAuths(machine.dockerFile)).toEqual({});
    expect(await readAuths(machine.containersFile)).toEqual({});
    await expectNoLeaks(emu, job, [main, post], ['old-password-1234']);
  });
});

describe('isolate: true and the user’s docker setup', () => {
  it('keeps docker’s user plugins, settings and contexts working, and copies nobody’s credentials', async () => {
    const machine = await newMachine(emu);
    const userDocker = dirname(machine.dockerFile);
    const plugin = join(userDocker, 'cli-plugins', 'docker-buildx');
    await writeText(
      plugin,
      `#!/bin/sh\n[ "$1" = docker-cli-plugin-metadata ] && { echo '{"SchemaVersion":"0.1.0","Vendor":"test","Version":"v9.9.9"}'; exit 0; }\necho "fake buildx $*"\n`,
    );
    await chmod(plugin, 0o755);
    await exec('docker', ['context', 'create', 'elsewhere', '--docker', 'host=unix:///nonexistent.sock'], { env: machine.env });
    const settings = {
      psFormat: 'table {{.ID}}',
      proxies: { default: { httpsProxy: 'http://127.0.0.1:9' } },
      aliases: { builder: 'buildx' },
    };
    const user = JSON.stringify({
      auths: { [emu.host]: OLD, 'other.example': LEGACY },
      credsStore: 'osxkeychain',
      credHelpers: { 'x.example': 'pass' },
      currentContext: 'elsewhere',
      ...settings,
    });
    await writeText(machine.dockerFile, user);
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { clients: 'docker', isolate: 'true' }), { RUNNER_DEBUG: '1' });
    expect(main.code).toBe(0);
    const later = { env: { ...machine.env, ...main.exported } };
    // A later step, with the exported DOCKER_CONFIG, finds the user's plugin, alias and context.
    expect((await exec('docker', ['buildx', 'version'], later)).stdout).toBe('fake buildx buildx version\n');
    expect((await exec('docker', ['builder', 'version'], later)).stdout).toBe('fake buildx buildx version\n');
    expect((await exec('docker', ['context', 'show'], later)).stdout).toBe('elsewhere\n');
    const isolated = JSON.parse(await readFile(join(main.exported['DOCKER_CONFIG']!, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(isolated).toMatchObject(settings);
    expect(Object.keys(isolated['auths'] as object)).toEqual([emu.host]);
    expect(isolated).not.toHaveProperty('credsStore');
    expect(isolated).not.toHaveProperty('credHelpers');

    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(await readFile(machine.dockerFile, 'utf8')).toBe(user);
    expect((await readdir(join(userDocker, 'cli-plugins'))).length).toBe(1);
    expect((await exec('docker', ['context', 'show'], { env: machine.env })).stdout).toBe('elsewhere\n');
    expect(await readdir(job.runnerTemp)).toEqual([]);
    await expectNoLeaks(emu, job, [main, post], ['old-password-1234', 'legacy-password-5678']);
  });
});

describe('DOCKER_CONFIG shared by docker and the containers tools', () => {
  it('is refused before any client runs when the file holds what podman, buildah and skopeo would drop', async () => {
    const machine = await newMachine(emu);
    const helper = await installHelper(machine.dir, 'icrtest');
    const dockerConfig = join(machine.dir, 'docker-config');
    const file = join(dockerConfig, 'config.json');
    const text = JSON.stringify({ auths: {}, credsStore: 'icrtest', psFormat: 'table {{.ID}}' });
    await writeText(file, text);
    const spy = await installSpy(machine.dir, ['docker', 'skopeo']);
    const job = await newJob(machine, { DOCKER_CONFIG: dockerConfig, PATH: `${spy.bin}:${helper.bin}:${machine.env['PATH']}` });
    const main = await job.main(emulatorInputs(emu, { clients: 'docker,skopeo' }));
    expect(main.code).toBe(1);
    expect(main.stdout.split('\n').filter((l) => l.startsWith('::error'))).toEqual([
      `::error title=credentials file::DOCKER_CONFIG makes docker and podman, buildah and skopeo write one file, ${file}, and they drop its "credsStore", "psFormat" whenever they write it (docker's credential helper and settings); set REGISTRY_AUTH_FILE to a file of the containers tools' own, log in one of the two (clients: docker, or the containers tools), or set isolate: true.`,
    ]);
    expect(await spy.calls()).toEqual([]);
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(await helper.read()).toEqual({});
    // docker alone keeps the file as docker does: nothing to refuse.
    const alone = await newJob(machine, { DOCKER_CONFIG: dockerConfig, PATH: `${helper.bin}:${machine.env['PATH']}` });
    const ok = await alone.main(emulatorInputs(emu, { clients: 'docker' }));
    expect(ok.code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8')).credsStore).toBe('icrtest');
    await alone.post(ok);
    expect(await helper.read()).toEqual({});
  });
});

describe('a later step’s own login in place of this job’s', () => {
  it('is left where it is, and the earlier credentials are not put back over it, with a warning', async () => {
    const machine = await newMachine(emu);
    await writeText(machine.dockerFile, JSON.stringify({ auths: { [emu.host]: OLD } }));
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { clients: 'docker' }));
    expect(main.code).toBe(0);
    // A later step logs docker in to the same host with credentials of its own.
    const NEWER = entry('newuser:newer-password-9876');
    await writeText(machine.dockerFile, JSON.stringify({ auths: { [emu.host]: NEWER } }));
    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(post.stdout).toContain(`docker: left in place: a login no icr-login run on this machine made (${emu.host}).`);
    expect(post.stdout).toMatch(
      /^::warning title=earlier credentials::did not put back the credentials .* had before into .*config\.json: it now holds a login no icr-login run on this machine made, which replaced this job's login since and is newer; /m,
    );
    expect(await readAuths(machine.dockerFile)).toEqual({ [emu.host]: NEWER });
    await expectNoLeaks(emu, job, [main, post], ['old-password-1234', 'newer-password-9876']);
  });
});
