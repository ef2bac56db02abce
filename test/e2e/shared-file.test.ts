// Shared runners without isolate: jobs on one HOME write one credentials file. Writers never overlap,
// and a login another job stored is never put back as the user's own.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { emulatorInputs, expectNoKeysIn, newJob, newMachine, readAuths, OLD } from './checks.ts';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ hostCount: 2 });
});
afterAll(() => emu?.stop());

const userOf = (entry: unknown): string =>
  Buffer.from((entry as { auth: string }).auth, 'base64')
    .toString()
    .split(':')[1]!;

describe('two jobs on one HOME without isolate', () => {
  it('logging in to different hosts at once: no login vanishes while a job runs, no key left after both posts (10 rounds)', async () => {
    const [one, two] = emu.hosts as [string, string];
    for (let round = 0; round < 10; round++) {
      const machine = await newMachine(emu);
      const [a, b] = await Promise.all([newJob(machine), newJob(machine)]);
      const clients = 'docker,podman';
      const [mainA, mainB] = await Promise.all([
        a.main(emulatorInputs(emu, { registry: one, clients })),
        b.main(emulatorInputs(emu, { registry: two, clients, 'api-key': emu.keys.service.key })),
      ]);
      expect([mainA.code, mainB.code], `round ${round}`).toEqual([0, 0]);
      for (const file of [machine.dockerFile, machine.containersFile]) {
        const auths = await readAuths(file);
        expect(userOf(auths[one]), `round ${round}: ${file}`).toBe(emu.keys.user.key);
        expect(userOf(auths[two]), `round ${round}: ${file}`).toBe(emu.keys.service.key);
      }
      // A's post runs while B is still at work: B's logins stay.
      const postA = await a.post(mainA);
      expect(postA.code).toBe(0);
      for (const file of [machine.dockerFile, machine.containersFile]) {
        expect(Object.keys(await readAuths(file)), `round ${round}: ${file}`).toEqual([two]);
      }
      await b.post(mainB);
      for (const file of [machine.dockerFile, machine.containersFile]) expect(await readAuths(file)).toEqual({});
      await expectNoKeysIn(emu, [machine.dockerFile, machine.containersFile]);
    }
  });

  it.each(['A', 'B'])(
    'logging in to the same host: B warns and keeps nothing of A aside; with post %s first, the user’s entry is back and no key left',
    async (first) => {
      const machine = await newMachine(emu);
      for (const file of [machine.dockerFile, machine.containersFile]) {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, JSON.stringify({ auths: { [emu.host]: OLD } }), { mode: 0o600 });
      }
      const [a, b] = await Promise.all([newJob(machine), newJob(machine)]);
      const mainA = await a.main(emulatorInputs(emu, { registry: emu.host, clients: 'docker,skopeo' }));
      const mainB = await b.main(emulatorInputs(emu, { registry: emu.host, clients: 'docker,skopeo', 'api-key': emu.keys.service.key }));
      expect([mainA.code, mainB.code]).toEqual([0, 0]);
      expect(mainA.stdout).not.toContain('::warning');
      const warnings = mainB.stdout.split('\n').filter((l) => l.startsWith('::warning'));
      expect(warnings).toEqual([
        expect.stringMatching(
          /^::warning title=shared credentials file::Another icr-login job on this machine is logged in to .*set isolate: true/,
        ),
      ]);
      // B kept nothing aside: A's login is not B's user's.
      expect(mainB.state['earlier']).toBeUndefined();
      const order = first === 'A' ? [() => a.post(mainA), () => b.post(mainB)] : [() => b.post(mainB), () => a.post(mainA)];
      const posts = [];
      for (const post of order) {
        const run = await post();
        expect(run.code).toBe(0);
        posts.push(run);
      }
      if (first === 'A') {
        // A's post finds B's live login where its own was: it is not A's, but the user's entry outranks it,
        // and A says so instead of calling it left in place.
        const postA = posts[0]!;
        expect(postA.stdout).toMatch(/^docker: left in place: another icr-login job's login \(run [0-9a-f]{8}, pid \d+\) /m);
        expect(postA.stdout).toMatch(
          /^::warning title=earlier credentials::127\.0\.0\.1:\d+: earlier credentials put back \(.*\) over another icr-login job's login \(run [0-9a-f]{8}, pid \d+\), which replaced this job's login since; that job is no longer logged in to 127\.0\.0\.1:\d+ and must log in again; set isolate: true where jobs share a machine\.$/m,
        );
        expect(postA.summary).toContain('⚠️ put back over another icr-login job');
      }
      for (const file of [machine.dockerFile, machine.containersFile]) expect(await readAuths(file), file).toEqual({ [emu.host]: OLD });
      await expectNoKeysIn(emu, [machine.dockerFile, machine.containersFile]);
    },
  );
});
