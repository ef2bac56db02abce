// State that post can trust: only what this job's main wrote, nothing twice, and linear in the logins.
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { emulatorInputs, newJob, newMachine, readAuths, OLD } from './checks.ts';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu?.stop());

describe('state that post can trust', () => {
  it('ignores STATE_* values an earlier step exported: deletes no folder of the user, runs no other program, logs out no other host', async () => {
    const machine = await newMachine(emu);
    await mkdir(dirname(machine.dockerFile), { recursive: true });
    await writeFile(machine.dockerFile, JSON.stringify({ auths: { 'other.example': OLD } }));
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { clients: 'docker' }));
    expect(main.code).toBe(0);
    const planted = join(machine.dir, 'planted');
    const file = machine.dockerFile;
    // As an earlier step writing NAME=value lines to GITHUB_ENV would: names main did not save.
    const post = await job.post(main, {
      STATE_isolated: JSON.stringify({ dir: machine.home, dockerConfig: dirname(file), authFile: file }),
      STATE_earlier: file,
      STATE_login_1: JSON.stringify({ run: 'guessed', client: 'docker', host: 'other.example', file }),
      STATE_login_2: JSON.stringify({ run: main.state['run'], client: 'sh', host: `-c "touch ${planted}"`, file }),
      STATE_pgid_1: `guessed:${process.pid}`,
    });
    expect(post.code).toBe(0);
    expect(post.stdout).toContain(`docker: logged out (${emu.host}).`);
    expect(post.stdout).not.toContain('other.example');
    expect(await readAuths(file)).toEqual({ 'other.example': OLD });
    expect((await stat(machine.home)).isDirectory()).toBe(true);
    await expect(stat(planted)).rejects.toThrow(/ENOENT/);
  });

  it('changes nothing when post runs a second time', async () => {
    const machine = await newMachine(emu);
    for (const f of [machine.dockerFile, machine.containersFile]) {
      await mkdir(dirname(f), { recursive: true });
      await writeFile(f, JSON.stringify({ auths: { [emu.host]: OLD } }), { mode: 0o600 });
    }
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { clients: 'docker,podman' }));
    await job.post(main);
    const after = await Promise.all([machine.dockerFile, machine.containersFile].map((f) => readFile(f, 'utf8')));
    const again = await job.post(main);
    expect(again.code).toBe(0);
    expect(await Promise.all([machine.dockerFile, machine.containersFile].map((f) => readFile(f, 'utf8')))).toEqual(after);
    expect(await readAuths(machine.dockerFile)).toEqual({ [emu.host]: OLD });
  });

  it('logs 200 hosts × 4 clients in and out, with state that grows linearly', async () => {
    const machine = await newMachine(emu);
    // Clients that just succeed: the scale is the point here, the real clients are proven elsewhere.
    const bin = join(machine.dir, 'fake-bin');
    await mkdir(bin);
    for (const client of ['docker', 'podman', 'buildah', 'skopeo']) {
      await writeFile(join(bin, client), '#!/bin/sh\ncat > /dev/null\nexit 0\n');
      await chmod(join(bin, client), 0o755);
    }
    const job = await newJob(machine, { PATH: `${bin}:${machine.env['PATH']}` });
    const hosts = (n: number): string => Array.from({ length: n }, (_, i) => `h${i}.example.com`).join(',');
    const sizes: number[] = [];
    for (const n of [100, 200]) {
      const main = await job.main(emulatorInputs(emu, { registry: hosts(n), clients: 'docker,podman,buildah,skopeo' }));
      expect(main.code).toBe(0);
      sizes.push(main.files['GITHUB_STATE']!.length);
      const post = await job.post(main);
      expect(post.code).toBe(0);
      expect(post.stdout.split('\n').filter((l) => /: logged out( with \w+)? \(h\d+\.example\.com\)\.$/.test(l))).toHaveLength(n * 4);
    }
    // Twice the hosts, about twice the state (not four times): under 1 KB per login and its processes
    // (the runner's delimiters included), where re-saving the whole list took ~76 KB per login at 300 hosts.
    expect(sizes[1]! / sizes[0]!).toBeLessThan(2.2);
    expect(sizes[1]! / 800).toBeLessThan(1000);
    expect(await readdir(job.runnerTemp)).toEqual([]);
  }, 300_000);
});
