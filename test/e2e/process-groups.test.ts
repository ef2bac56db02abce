// Post kills only process groups it can prove main started: a saved group id that another process
// holds by now survives post; a real client main left running when it was SIGKILLed is still killed,
// also once the client is gone and only a child it left is in its group.
import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { alive, installWrappers, stopGroups, waitFor } from '../harness/wrappers.ts';
import { emulatorInputs, expectNoKeysIn, newJob, newMachine, readAuths } from './checks.ts';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu?.stop());

const strangers: number[] = [];
afterEach(() => stopGroups(strangers));

describe('process groups main saved for post', () => {
  it('a saved group id that now belongs to an unrelated process: that process survives post', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { clients: 'docker' }));
    expect(main.code).toBe(0);
    // Another job's process, in a group of its own, holding an id main might have saved.
    const stranger = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' });
    stranger.unref();
    strangers.push(stranger.pid!);
    // As if main had saved that group and been killed before it saw its clients end.
    const groups = Object.keys(main.state).filter((n) => n.startsWith('pgid_')).length;
    const { stopped: _stopped, ...state } = main.state;
    const post = await job.post({ ...main, state: { ...state, [`pgid_${groups}`]: `${main.state['run']}:${stranger.pid}` } });
    expect(post.code).toBe(0);
    expect(post.stdout).toContain(`docker: logged out (${emu.host}).`);
    expect(alive(stranger.pid!), 'the unrelated process').toBe(true);
  });

  it('main SIGKILLed mid-login: post kills the client it left, and the child the client left after it ended', async () => {
    const machine = await newMachine(emu);
    // Each client starts a long-lived child in its group, waits 2 s, then runs the real client.
    const wrappers = await installWrappers(machine.dir, ['podman'], 'sleep 600 & echo $! >> "$PIDS"\nsleep 2');
    const job = await newJob(machine, { PATH: `${wrappers.bin}:${machine.env['PATH']}` });
    const main = await job.startMain(emulatorInputs(emu, { clients: 'podman' }));
    expect(await waitFor(async () => (await wrappers.pids()).length === 2, 20_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    main.signal('SIGKILL');
    const run = await main.done;
    const [leader, child] = (await wrappers.pids()) as [number, number];
    // The orphaned client logs in and ends; its child lives on in the group, without its leader.
    expect(await waitFor(() => !alive(leader), 20_000)).toBe(true);
    expect(Object.keys(await readAuths(machine.containersFile))).toEqual([emu.host]);
    expect(alive(child)).toBe(true);
    const post = await job.post(run);
    expect(post.code).toBe(0);
    expect(alive(-leader), 'the client’s group').toBe(false);
    expect(post.stdout).toContain(`podman: logged out (${emu.host}).`);
    await expectNoKeysIn(emu, [machine.containersFile]);
  });
});
