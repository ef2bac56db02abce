// A self-hosted runner run as a service under its own user: no XDG_RUNTIME_DIR, rootless podman keeps
// its credentials in a runtime folder of its own, and skopeo cannot create /run/containers/UID (issue 10).
import { execFile } from 'node:child_process';
import { chmod, chown, copyFile, mkdir, mkdtemp, readdir, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { Job } from '../harness/runner.ts';
import { emulatorInputs, expectNoKeysIn, expectNoLeaks } from './checks.ts';

const exec = promisify(execFile);
const root = process.getuid?.() === 0;

let emu: Emulator;
let home = '';
let name = '';
/** Another user on the machine, who made the runner user's /tmp/podman-run-UID before any job ran. */
let other = '';
let user = { uid: -1, gid: -1 };
let env: Record<string, string> = {};

/** Every process the test user still runs (podman may leave a pause process), ended by PID. */
async function endUserProcesses(): Promise<void> {
  const { stdout } = await exec('ps', ['-o', 'pid=', '-u', String(user.uid)]).catch(() => ({ stdout: '' }));
  for (const pid of stdout
    .split('\n')
    .map(Number)
    .filter((n) => n > 0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ended already
    }
  }
}

beforeAll(async () => {
  if (!root) return;
  emu = await startEmulator({ hostCount: 1 });
  home = await mkdtemp(join(tmpdir(), 'icr-rootless-'));
  name = `icr${process.pid}`;
  await exec('useradd', ['-M', '-d', home, '-s', '/bin/sh', name]);
  other = `icro${process.pid}`;
  await exec('useradd', ['-M', '-d', '/nonexistent', '-s', '/bin/sh', other]);
  user = { uid: Number((await exec('id', ['-u', name])).stdout), gid: Number((await exec('id', ['-g', name])).stdout) };
  await emu.trust(home);
  const ca = join(home, 'ca.pem');
  await copyFile(emu.caFile, ca);
  await exec('chown', ['-R', `${user.uid}:${user.gid}`, home]);
  await chmod(home, 0o700);
  // As a runner service's account: HOME, PATH, no XDG_RUNTIME_DIR, no TMPDIR.
  env = { HOME: home, PATH: process.env['PATH'] ?? '/usr/bin:/bin', NODE_EXTRA_CA_CERTS: ca, LANG: 'C.UTF-8' };
}, 60_000);

afterAll(async () => {
  if (!root) return;
  if (user.uid >= 0) {
    await endUserProcesses();
    await exec('userdel', [name]).catch(() => undefined);
    for (const d of [`/tmp/podman-run-${user.uid}`, `/tmp/containers-user-${user.uid}`, `/tmp/storage-run-${user.uid}`])
      await rm(d, { recursive: true, force: true });
    await exec('userdel', [other]).catch(() => undefined);
  }
  if (home) await rm(home, { recursive: true, force: true });
  await emu?.stop();
});

/** A later step's client, run as the runner's user with the job's env and what the step exported. */
const later = (exported: Record<string, string>, ...args: string[]) =>
  exec(args[0]!, args.slice(1), { env: { ...env, ...exported }, uid: user.uid, gid: user.gid, cwd: home }).then(
    (r) => r.stdout.trim(),
    (e: { stderr?: string }) => `failed: ${e.stderr ?? ''}`,
  );

describe.skipIf(!root)('rootless podman, XDG_RUNTIME_DIR unset', () => {
  it("logs podman and skopeo into podman's own file, exports it for later steps, and post logs out of it", async () => {
    const job = await Job.create({ env, user });
    await chown(job.dir, user.uid, user.gid);
    const main = await job.main(emulatorInputs(emu, { clients: 'podman,skopeo' }));
    expect(main.stdout.split('\n').filter((l) => l.startsWith('::error'))).toEqual([]);
    expect(main.code).toBe(0);
    const file = `/tmp/podman-run-${user.uid}/containers/auth.json`;
    expect(main.exported['REGISTRY_AUTH_FILE']).toBe(file);
    // A later step: skopeo with what the step exported, and podman, see the login.
    expect(await later(main.exported, 'skopeo', 'login', '--get-login', emu.host)).toBe('iamapikey');
    expect(await later(main.exported, 'podman', 'login', '--get-login', emu.host)).toBe('iamapikey');
    expect(await later({}, 'podman', 'login', '--get-login', emu.host)).toBe('iamapikey');

    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(await later(main.exported, 'skopeo', 'login', '--get-login', emu.host)).toMatch(/^failed: .*not logged in/i);
    expect(await later({}, 'podman', 'login', '--get-login', emu.host)).toMatch(/^failed: .*not logged in/i);
    await expectNoLeaks(emu, job, [main, post]);
  }, 120_000);

  /**
   * No credentials file and no key in `dir`. podman may still keep its own runtime state there: its
   * database remembers the folders of its first run (the first test's), as after a reboot that emptied
   * /tmp while the user's ~/.local/share/containers stayed; that is podman's, and holds no credential.
   */
  async function expectNothingOfOursIn(dir: string): Promise<void> {
    const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
    expect(files.filter((f) => f.endsWith('auth.json'))).toEqual([]);
    await expectNoKeysIn(emu, files);
  }

  it("never writes into a /tmp/podman-run-UID another user made: the login lands in podman's own fallback, HOME/rundir", async () => {
    await endUserProcesses();
    const foreign = `/tmp/podman-run-${user.uid}`;
    await rm(foreign, { recursive: true, force: true });
    await rm(join(home, 'rundir'), { recursive: true, force: true });
    // Made by someone else, open to all: today's pin would write the key there, where its owner reads it.
    await mkdir(foreign);
    await chmod(foreign, 0o777);
    await exec('chown', [`${other}:${other}`, foreign]);
    const job = await Job.create({ env, user });
    await chown(job.dir, user.uid, user.gid);
    const main = await job.main(emulatorInputs(emu, { clients: 'podman,skopeo' }));
    expect(main.stdout.split('\n').filter((l) => l.startsWith('::error'))).toEqual([]);
    expect(main.code).toBe(0);
    expect(main.exported['REGISTRY_AUTH_FILE']).toBe(join(await realpath(home), 'rundir', 'containers', 'auth.json'));
    await expectNothingOfOursIn(foreign);
    // podman itself, with nothing the step exported, looks exactly there (it too refuses the foreign folder).
    expect(await later({}, 'podman', 'login', '--get-login', emu.host)).toBe('iamapikey');
    expect(await later(main.exported, 'skopeo', 'login', '--get-login', emu.host)).toBe('iamapikey');

    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(await later({}, 'podman', 'login', '--get-login', emu.host)).toMatch(/^failed: .*not logged in/i);
    await expectNothingOfOursIn(foreign);
    await expectNoLeaks(emu, job, [main, post]);
  }, 120_000);

  it("leaves podman's folders alone when no containers tool logs in: a docker-only job goes on where podman could not", async () => {
    await endUserProcesses();
    const foreign = `/tmp/podman-run-${user.uid}`;
    await rm(foreign, { recursive: true, force: true });
    await mkdir(foreign);
    await chmod(foreign, 0o777);
    await exec('chown', [`${other}:${other}`, foreign]);
    // podman's last fallback, open to others: a containers tool's login would stop the step here.
    const rundir = join(home, 'rundir');
    await rm(rundir, { recursive: true, force: true });
    await mkdir(rundir, { mode: 0o755 });
    await chmod(rundir, 0o755);
    await chown(rundir, user.uid, user.gid);
    const job = await Job.create({ env, user });
    await chown(job.dir, user.uid, user.gid);
    const main = await job.main(emulatorInputs(emu, { clients: 'docker' }));
    expect(main.stdout.split('\n').filter((l) => l.startsWith('::error'))).toEqual([]);
    expect(main.code).toBe(0);
    expect(main.exported['REGISTRY_AUTH_FILE']).toBeUndefined();
    expect(await readdir(rundir)).toEqual([]);
    const post = await job.post(main);
    expect(post.code).toBe(0);
    await rm(rundir, { recursive: true, force: true });
    await expectNoLeaks(emu, job, [main, post]);
  }, 120_000);
});
