// The CLI as other CI systems run it: a process, the key from the environment or stdin, real clients.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { runClient, type ClientResult } from '../emulator/testing/run-client.ts';
import { startConnectProxy } from '../harness/connect-proxy.ts';
import { watched } from '../harness/watch.ts';
import { ROOT } from '../harness/runner.ts';
import { newMachine, pathWith, pushAndPull, readAuths, type Machine } from './checks.ts';

// The Node that runs dist/cli.js: the one running the tests, or ICR_LOGIN_CLI_NODE (npm test runs this
// file a second time with Node 22 there, the oldest Node package.json's engines allows for the CLI).
const CLI_NODE = process.env['ICR_LOGIN_CLI_NODE'] || process.execPath;
if (!existsSync(CLI_NODE)) throw new Error(`ICR_LOGIN_CLI_NODE is ${CLI_NODE}, which does not exist`);
const CLI_NODE_VERSION = execFileSync(CLI_NODE, ['--version'], { encoding: 'utf8' }).trim();

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu?.stop());

/** Runs the CLI; every run is scanned for leaks and stack traces after the test (leak-guard.ts). */
async function cli(machine: Machine, args: string[], env: Record<string, string> = {}, stdin = ''): Promise<ClientResult> {
  const run = await runClient(CLI_NODE, [join(ROOT, 'dist', 'cli.js'), ...args], { env: { ...machine.env, ...env }, input: stdin });
  watched.texts.push({ label: `icr-login ${args[0] ?? ''}`, text: `${run.stdout}\n${run.stderr}` });
  return run;
}

const target = (): string[] => ['--registry', emu.host, '--iam-endpoint', emu.iamUrl];

describe(`icr-login CLI on Node ${CLI_NODE_VERSION}`, () => {
  it('logs in with IBMCLOUD_API_KEY, prints outputs, and `logout` undoes it', async () => {
    const machine = await newMachine(emu);
    const login = await cli(machine, [...target(), '--clients', 'podman', '--client', 'docker'], { IBMCLOUD_API_KEY: emu.keys.user.key });
    expect(login.code).toBe(0);
    expect(login.stderr).toContain(`podman logged in to ${emu.host} as iamapikey.`);
    expect(login.stdout).toContain(`registry=${emu.host}\n`);
    expect(login.stdout).toContain('clients=podman,docker\n');
    expect(login.stdout).toContain(`account-id=${emu.keys.user.accountId}\n`);
    await pushAndPull(machine, machine.containersFile, emu.host, 'ns/cli:1');
    const dir = join(machine.home, '.local', 'state', 'icr-login', 'sessions');
    const sessions = await readdir(dir);
    expect(sessions).toHaveLength(1);
    expect((await stat(join(dir, sessions[0]!))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, sessions[0]!), 'utf8')).not.toContain(emu.keys.user.key);

    const logout = await cli(machine, ['logout']);
    expect(logout.code).toBe(0);
    expect(await readAuths(machine.containersFile)).toEqual({});
    expect(await readAuths(machine.dockerFile)).toEqual({});
    expect(await readdir(dir)).toEqual([]);
  });

  it('--clients docker-config writes docker’s config.json with no docker on PATH; `logout` removes it', async () => {
    const machine = await newMachine(emu);
    const entry = { auth: Buffer.from('olduser:old-password-1234').toString('base64') };
    await mkdir(dirname(machine.dockerFile), { recursive: true });
    await writeFile(machine.dockerFile, JSON.stringify({ auths: { 'other.example': entry }, psFormat: 'x' }), { mode: 0o600 });
    const env = { IBMCLOUD_API_KEY: emu.keys.user.key, PATH: await pathWith(machine.dir, []) };
    const login = await cli(machine, [...target(), '--clients', 'docker-config'], env);
    expect(login.code).toBe(0);
    expect(login.stdout).toContain('clients=docker-config\n');
    await pushAndPull(machine, machine.dockerFile, emu.host, 'ns/cli-docker-config:1');
    const logout = await cli(machine, ['logout'], { PATH: env.PATH });
    expect(logout.code).toBe(0);
    expect(JSON.parse(await readFile(machine.dockerFile, 'utf8'))).toEqual({ auths: { 'other.example': entry }, psFormat: 'x' });
  });

  it('reads the key from stdin with --api-key-stdin (ICR_API_KEY works too), quietly with --quiet', async () => {
    const machine = await newMachine(emu);
    const run = await cli(machine, [...target(), '--clients', 'skopeo', '--quiet', '--api-key-stdin'], {}, `${emu.keys.user.key}\n`);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const other = await cli(machine, [...target(), '--clients', 'skopeo', '--auth-type', 'bearer'], { ICR_API_KEY: emu.keys.service.key });
    expect(other.code).toBe(0);
    expect(other.stdout).toMatch(/^expires-at=\d{4}-/m);
    await cli(machine, ['logout']);
  });

  it.each([
    [['--api-key', 'abc'], 2, /never taken from the command line/],
    [['--api-key=abc'], 2, /never taken from the command line/],
    [['--bogus'], 2, /Unknown option --bogus/],
    [['push'], 2, /Unknown command "push"/],
    [['--region', 'us-sout'], 2, /Unknown region "us-sout"\. Did you mean "us-south"\?/],
    [['logout', '--region', 'us-south'], 2, /takes no login options/],
  ])('refuses %j with exit %i', async (args, code, message) => {
    const run = await cli(await newMachine(emu), args, { IBMCLOUD_API_KEY: emu.keys.user.key });
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('fails with exit 1 and IAM’s own words for a bad key; no key at all is a usage error', async () => {
    const machine = await newMachine(emu);
    const bad = await cli(machine, [...target()], { IBMCLOUD_API_KEY: emu.unknownKey });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('icr-login: IAM rejected the API key (BXNIM0415E');
    const none = await cli(machine, [...target()]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('No API key: set IBMCLOUD_API_KEY');
  });

  it('names its own flags in what it says, not the action’s inputs', async () => {
    const machine = await newMachine(emu);
    const run = await cli(machine, [...target(), '--timeout', 'soon'], { IBMCLOUD_API_KEY: emu.keys.user.key });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('icr-login: --timeout must be a number of seconds between 1 and 3600, not "soon".\n');
  });

  it('keeps every login as a session of its own: two isolated logins at once, one logout undoes both', async () => {
    const machine = await newMachine(emu);
    const env = { IBMCLOUD_API_KEY: emu.keys.user.key, TMPDIR: machine.dir };
    const [first, second] = await Promise.all([
      cli(machine, [...target(), '--clients', 'skopeo', '--isolate'], env),
      cli(machine, [...target(), '--clients', 'podman', '--isolate'], env),
    ]);
    expect([first.code, second.code]).toEqual([0, 0]);
    const files = [first, second].map((r) => /^auth-file=(.+)$/m.exec(r.stdout)![1]!);
    expect(files[0]).not.toBe(files[1]);
    for (const f of files) expect(Object.keys(await readAuths(f))).toEqual([emu.host]);
    const logout = await cli(machine, ['logout'], env);
    expect(logout.code).toBe(0);
    for (const f of files) await expect(stat(dirname(f))).rejects.toThrow(/ENOENT/);
  });

  it('after a failed logout, a second one removes what is left and never what was put back', async () => {
    const machine = await newMachine(emu);
    const old = { auth: Buffer.from('olduser:old-password-1234').toString('base64') };
    await mkdir(dirname(machine.containersFile), { recursive: true });
    await writeFile(machine.containersFile, JSON.stringify({ auths: { [emu.hosts[0]!]: old } }));
    const login = await cli(machine, [...target(), '--clients', 'skopeo,docker'], { IBMCLOUD_API_KEY: emu.keys.user.key });
    expect(login.code).toBe(0);
    // docker is gone for the first logout: its login stays; skopeo's is removed and the earlier entry put back.
    const first = await cli(machine, ['logout'], { PATH: await pathWith(machine.dir, ['skopeo']) });
    expect(first.code).toBe(1);
    expect(await readAuths(machine.containersFile)).toEqual({ [emu.hosts[0]!]: old });
    expect(Object.keys(await readAuths(machine.dockerFile))).toEqual([emu.host]);
    const second = await cli(machine, ['logout']);
    expect(second.code).toBe(0);
    expect(await readAuths(machine.containersFile)).toEqual({ [emu.hosts[0]!]: old });
    expect(await readAuths(machine.dockerFile)).toEqual({});
  });

  it('logs in even where it cannot record the session, and says logout will not know of it', async () => {
    const machine = await newMachine(emu);
    const blocker = join(machine.dir, 'not-a-folder');
    await writeFile(blocker, '');
    const run = await cli(machine, [...target(), '--clients', 'skopeo'], { IBMCLOUD_API_KEY: emu.keys.user.key, XDG_STATE_HOME: blocker });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: could not record this login in .* \(ENOTDIR\); icr-login logout cannot undo it\./);
    const bad = await cli(machine, ['--region', 'nowhere'], { IBMCLOUD_API_KEY: emu.keys.user.key, XDG_STATE_HOME: blocker });
    expect(bad.code).toBe(2);
  });

  it('exits 1 when a logout could not be done, and says why', async () => {
    const machine = await newMachine(emu);
    const login = await cli(machine, [...target(), '--clients', 'podman'], { IBMCLOUD_API_KEY: emu.keys.user.key });
    expect(login.code).toBe(0);
    const logout = await cli(machine, ['logout'], { PATH: '/nonexistent' });
    expect(logout.code).toBe(1);
    expect(logout.stderr).toContain(
      `warning: podman: could not be removed: ${machine.containersFile} still holds the login icr-login stored for ${emu.host} (podman is no longer on PATH); to remove it by hand, run \`podman logout --authfile ${machine.containersFile} ${emu.host}\``,
    );
    // The session stays, so a later logout can finish the job.
    const again = await cli(machine, ['logout']);
    expect(again.code).toBe(0);
    expect(await readAuths(machine.containersFile)).toEqual({});
  });

  it('carries the IAM exchange through HTTPS_PROXY (Node’s own proxy support)', async () => {
    const proxy = await startConnectProxy();
    try {
      const machine = await newMachine(emu);
      const run = await cli(machine, [...target(), '--clients', 'skopeo'], {
        IBMCLOUD_API_KEY: emu.keys.user.key,
        HTTPS_PROXY: proxy.url,
        NO_PROXY: '',
      });
      expect(run.code).toBe(0);
      expect(proxy.tunnels).toContain(new URL(emu.iamUrl).host);
      expect(Object.keys(await readAuths(machine.containersFile))).toEqual([emu.host]);
      expect((await cli(machine, ['logout'])).code).toBe(0);
    } finally {
      await proxy.stop();
    }
  });

  it('prints help and its version, and is the package’s bin', async () => {
    const machine = await newMachine(emu);
    const help = await cli(machine, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: icr-login [login] [options]');
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
    expect((await cli(machine, ['-v'])).stdout.trim()).toBe(pkg.version);
    expect(pkg.bin['icr-login']).toBe('dist/cli.js');
    expect((await readFile(join(ROOT, 'dist', 'cli.js'), 'utf8')).startsWith('#!/usr/bin/env node')).toBe(true);
  });
});
