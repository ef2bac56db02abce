// `icr-login logout` on a shared machine: a login still under way is not logged out (nor its clients
// killed) from under it; a login that was killed, or lost its terminal (SIGHUP), is undone by the next
// logout. The CLI bundle as a process, real clients (behind slow wrappers) against the emulator.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { runClient, type ClientResult } from '../emulator/testing/run-client.ts';
import { leaksIn, secretForms } from '../harness/leaks.ts';
import { ROOT } from '../harness/runner.ts';
import { alive, installWrappers, waitFor, type Wrappers } from '../harness/wrappers.ts';
import { expectNoKeysIn, newMachine, readAuths, type Machine } from './checks.ts';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu?.stop());

const CLI = join(ROOT, 'dist', 'cli.js');
const clean = (r: ClientResult): ClientResult => {
  expect(leaksIn(`${r.stdout}\n${r.stderr}`, secretForms(emu.secrets(), [emu.profileId]))).toEqual([]);
  return r;
};

/** `icr-login login` into the emulator with skopeo, started and left running (its client waits 3 s first). */
async function startLogin(machine: Machine): Promise<{ pid: number; wrappers: Wrappers; done: Promise<ClientResult> }> {
  const wrappers = await installWrappers(machine.dir, ['skopeo'], 'sleep 3');
  const env = { ...machine.env, PATH: `${wrappers.bin}:${machine.env['PATH']}`, IBMCLOUD_API_KEY: emu.keys.user.key };
  const child = spawn(process.execPath, [CLI, '--registry', emu.host, '--iam-endpoint', emu.iamUrl, '--clients', 'skopeo'], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<ClientResult>((resolve) =>
    child.once('close', (code, signal) => resolve(clean({ code, signal, stdout, stderr, elapsedMs: 0 }))),
  );
  expect(await waitFor(async () => (await wrappers.pids()).length > 0, 20_000), 'the login’s client started').toBe(true);
  return { pid: child.pid!, wrappers, done };
}

const logout = async (machine: Machine): Promise<ClientResult> =>
  clean(await runClient(process.execPath, [CLI, 'logout'], { env: machine.env }));
const sessions = (machine: Machine): Promise<string[]> =>
  readdir(join(machine.home, '.local', 'state', 'icr-login', 'sessions')).catch(() => []);

describe('icr-login logout beside another icr-login login', () => {
  it('leaves a login that is still running alone: its client lives, its login lands, a later logout undoes it', async () => {
    const machine = await newMachine(emu);
    const login = await startLogin(machine);
    const early = await logout(machine);
    expect(early.code).toBe(0);
    expect(early.stderr).toContain(
      `warning: icr-login login (pid ${login.pid}) is still running; its logins are left for a later icr-login logout.`,
    );
    const [client] = await login.wrappers.pids();
    expect(alive(-client!), 'the running login’s client').toBe(true);
    const done = await login.done;
    expect(done.code).toBe(0);
    expect(Object.keys(await readAuths(machine.containersFile))).toEqual([emu.host]);
    const later = await logout(machine);
    expect(later.code).toBe(0);
    expect(later.stderr).toContain(`skopeo: logged out (${emu.host}).`);
    expect(await readAuths(machine.containersFile)).toEqual({});
    expect(await sessions(machine)).toEqual([]);
  });

  it.each(['SIGKILL', 'SIGHUP'] as const)('a login that got %s: the next logout stops its client and undoes it', async (signal) => {
    const machine = await newMachine(emu);
    const login = await startLogin(machine);
    process.kill(login.pid, signal);
    const done = await login.done;
    const [client] = await login.wrappers.pids();
    if (signal === 'SIGHUP') {
      // The terminal went away: the login stops its clients and records that it stopped, as for SIGINT.
      expect(done.code).toBe(129);
      expect(done.stderr).toContain('icr-login: This login was stopped (SIGHUP) and stopped its clients; `icr-login logout` logs out');
      expect(await waitFor(() => !alive(-client!), 1000), 'the login’s client').toBe(true);
    } else expect(alive(-client!), 'the orphaned client').toBe(true);
    const after = await logout(machine);
    expect(after.code).toBe(0);
    expect(after.stderr).not.toContain('still running');
    expect(alive(-client!), 'the login’s client').toBe(false);
    expect(await sessions(machine)).toEqual([]);
    await expectNoKeysIn(emu, [machine.containersFile]);
  });
});
