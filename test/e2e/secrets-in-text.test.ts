// Our own text never carries a secret: a client that echoes its password in its error must not put it
// into the ::error:: line, its title, the job summary, the outputs or the CLI's stderr.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { secretForms } from '../harness/leaks.ts';
import { ROOT } from '../harness/runner.ts';
import { installEchoingClient } from '../harness/spy.ts';
import { emulatorInputs, newJob, newMachine } from './checks.ts';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu?.stop());

/** Every line of `text` that holds a secret in any form, outside the mask commands that must carry them. */
function secretLines(text: string): string[] {
  const forms = secretForms(emu.secrets(), [emu.profileId]);
  return text.split('\n').filter((l) => !l.startsWith('::add-mask::') && forms.some((f) => l.includes(f)));
}

describe('a client that echoes the password in its error', () => {
  for (const authType of ['apikey', 'bearer']) {
    it(`leaves no trace of the ${authType} secret in the error, the summary or the outputs`, async () => {
      const machine = await newMachine(emu);
      const bin = await installEchoingClient(machine.dir, 'skopeo');
      const job = await newJob(machine, { PATH: `${bin}:${machine.env['PATH']}` });
      const main = await job.main(emulatorInputs(emu, { clients: 'skopeo', 'auth-type': authType }), { RUNNER_DEBUG: '1' });
      expect(main.code).toBe(1);
      // The client's words are still there, with the secret and its base64 form replaced.
      const error = main.stdout.split('\n').filter((l) => l.startsWith('::error'));
      expect(error).toHaveLength(1);
      expect(error[0]).toMatch(
        /^::error title=skopeo login::skopeo login to \S+ failed: logging in as iam\w+ with password \*\*\* \(\*\*\*\) failed/,
      );
      expect(main.summary).toContain('with password *** (***)');
      expect(secretLines(main.stdout)).toEqual([]);
      expect(secretLines(main.summary)).toEqual([]);
      expect(secretLines(Object.values(main.outputs).join('\n'))).toEqual([]);
      await job.post(main);
    });
  }

  it('leaves no trace of it in the CLI’s stderr', async () => {
    const machine = await newMachine(emu);
    const bin = await installEchoingClient(machine.dir, 'skopeo');
    const args = ['--registry', emu.host, '--iam-endpoint', emu.iamUrl, '--clients', 'skopeo'];
    const env = {
      ...machine.env,
      PATH: `${bin}:${machine.env['PATH']}`,
      IBMCLOUD_API_KEY: emu.keys.user.key,
      XDG_STATE_HOME: join(machine.dir, 'state'),
    };
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^icr-login: skopeo login to \S+ failed: logging in as iamapikey with password \*\*\* \(\*\*\*\) failed/m);
    expect(secretLines(`${stdout}\n${stderr}`)).toEqual([]);
  });
});
