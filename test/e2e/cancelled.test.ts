// Cancelled and killed jobs, and time limits that hold: whatever moment main is stopped at, post
// leaves no key of ours and puts back what the user had; no client outlives its step.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { installHelper } from '../harness/credential-helper.ts';
import { alive, installWrappers, waitFor } from '../harness/wrappers.ts';
import { emulatorInputs, expectNoKeysIn, newJob, newMachine, readAuths, type Machine, OLD } from './checks.ts';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterEach(() => emu?.clearFaults());
afterAll(() => emu?.stop());

async function withEarlier(machine: Machine): Promise<void> {
  for (const file of [machine.dockerFile, machine.containersFile]) {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify({ auths: { [emu.host]: OLD } }), { mode: 0o600 });
  }
}

/** No emulator secret, in any form, in either credentials file; the user's entry back in both. */
async function expectUsersOwnBack(machine: Machine): Promise<void> {
  await expectNoKeysIn(emu, [machine.dockerFile, machine.containersFile]);
  for (const file of [machine.dockerFile, machine.containersFile]) expect(await readAuths(file), file).toEqual({ [emu.host]: OLD });
}

describe('a cancelled or killed main', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)(
    '%s during the IAM exchange: main ends at once, post leaves all as it was',
    async (signal) => {
      const machine = await newMachine(emu);
      await withEarlier(machine);
      const job = await newJob(machine);
      emu.inject('iam', { delayMs: 10_000 });
      const main = await job.startMain(emulatorInputs(emu, { clients: 'docker,podman' }));
      await new Promise((r) => setTimeout(r, 1000));
      const signalled = performance.now();
      main.signal(signal);
      const run = await main.done;
      expect(performance.now() - signalled).toBeLessThan(3000); // not a benchmark: the 10 s IAM answer is not waited for
      if (signal !== 'SIGKILL') expect(run.stdout).toContain(`::error title=cancelled::This step was stopped (${signal})`);
      const post = await job.post(run);
      expect(post.code).toBe(0);
      await expectUsersOwnBack(machine);
    },
  );

  it.each([
    ['SIGINT', 'at once'],
    ['SIGTERM', 'at once'],
    ['SIGKILL', 'at once'],
    ['SIGKILL', 'after the orphaned client wrote its login'],
  ] as const)('%s during a login, post %s: no key left, the earlier entry back, no client left', async (signal, when) => {
    const machine = await newMachine(emu);
    await withEarlier(machine);
    // Slow clients: each login starts, then waits 2 s before the real client runs and writes.
    const wrappers = await installWrappers(machine.dir, ['docker', 'podman', 'skopeo'], 'sleep 2');
    const job = await newJob(machine, { PATH: `${wrappers.bin}:${machine.env['PATH']}` });
    const main = await job.startMain(emulatorInputs(emu, { clients: 'docker,podman,skopeo' }));
    expect(await waitFor(async () => (await wrappers.pids()).length > 0, 20_000)).toBe(true);
    // A moment for the clients started alongside to be recorded: a SIGKILL inside spawn() itself
    // orphans a client main never saw, which cannot log in (its password never came) but lives on a while.
    await new Promise((r) => setTimeout(r, 300));
    main.signal(signal);
    const run = await main.done;
    const pids = await wrappers.pids();
    if (signal === 'SIGKILL') {
      // Main could not stop its clients: they live on, orphaned.
      expect(pids.some((p) => alive(-p))).toBe(true);
      if (when !== 'at once') expect(await waitFor(() => !pids.some((p) => alive(-p)), 20_000)).toBe(true);
    } else {
      // Main stopped them before it exited.
      expect(await waitFor(() => !pids.some((p) => alive(-p)), 1000)).toBe(true);
    }
    const post = await job.post(run);
    expect(post.code).toBe(0);
    for (const pid of pids) expect(alive(-pid), `process group ${pid}`).toBe(false);
    await expectUsersOwnBack(machine);
  });
});

describe('time limits that hold', () => {
  it('a docker credential helper whose store hangs: stopped at the limit with everything it started', async () => {
    const machine = await newMachine(emu);
    const helper = await installHelper(machine.dir, 'hangs', { hang: 'store' });
    await mkdir(dirname(machine.dockerFile), { recursive: true });
    await writeFile(machine.dockerFile, JSON.stringify({ auths: {}, credsStore: 'hangs' }));
    const job = await newJob(machine, { PATH: `${helper.bin}:${machine.env['PATH']}` });
    const main = await job.main(emulatorInputs(emu, { clients: 'docker', timeout: '2' }));
    expect(main.code).toBe(1);
    expect(main.elapsedMs).toBeLessThan(8000); // not a benchmark: a hung helper used to hold the step forever
    const errors = main.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toEqual([
      expect.stringMatching(
        new RegExp(`^::error title=docker login::docker login to ${emu.host.replace(/\./g, '\\.')} did not finish within 2 s`),
      ),
    ]);
    const pids = await helper.pids();
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) expect(alive(pid), `helper ${pid}`).toBe(false);
    await job.post(main);
  });

  it.each([
    ['a client that hangs', true],
    ['a client that finishes', false],
  ])('a wrapper that leaves a child holding the pipes, around %s: the step ends promptly, nothing left', async (_what, hang) => {
    const machine = await newMachine(emu);
    const wrappers = await installWrappers(machine.dir, ['podman'], 'sleep 600 & echo $! >> "$PIDS"');
    const job = await newJob(machine, { PATH: `${wrappers.bin}:${machine.env['PATH']}` });
    if (hang) emu.inject('v2', { delayMs: 20_000 });
    const main = await job.main(emulatorInputs(emu, { clients: 'podman', timeout: '2' }));
    expect(main.elapsedMs).toBeLessThan(8000); // not a benchmark: the child sleeps 600 s
    if (hang) expect(main.stdout).toMatch(/^::error title=podman login::podman login to 127\.0\.0\.1:\d+ did not finish within 2 s/m);
    else expect(main.code).toBe(0);
    const pids = await wrappers.pids();
    expect(pids.length).toBe(2);
    // SIGKILL is sent before main ends; on a loaded machine the kernel may take a moment to finish the process.
    for (const pid of pids) expect(await waitFor(() => !alive(pid), 3000), `process ${pid}`).toBe(true);
    await job.post(main);
  });
});
