// Checks every end-to-end test shares: real pushes and pulls, and leak scans.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { writeOciImage, type Emulator } from '../emulator/index.ts';
import { secretForms } from '../harness/leaks.ts';
import { watched } from '../harness/watch.ts';
import type { Machine } from '../harness/machine.ts';
import type { Job, StepRun } from '../harness/runner.ts';

export const exec = promisify(execFile);
export { emulatorInputs, newJob, newMachine, pathWith, readAuths, type Machine } from '../harness/machine.ts';

/**
 * Secrets only this test knows (a user's earlier password), added to what the leak scan after the test
 * looks for (test/harness/leak-guard.ts scans every step and file of every job, and stack traces).
 * `emu`, `job` and `steps` are watched already; they stay in the call so a reader sees what is scanned.
 */
export async function expectNoLeaks(_emu: Emulator, _job: Job, _steps: readonly StepRun[], extra: readonly string[] = []): Promise<void> {
  for (const secret of extra) watched.secrets.add(secret);
}

/** How many requests IAM has answered so far: a test compares two counts. */
export const iamCalls = (emu: Emulator): number => emu.requests.filter((r) => r.server === 'iam').length;

let image: Promise<{ dir: string; ref: string }> | undefined;
/** One small OCI image per test file, pushed by every test that needs one. */
export function testImage(): Promise<{ dir: string; ref: string }> {
  image ??= mkdtemp(join(tmpdir(), 'icr-image-')).then((d) => writeOciImage(join(d, 'layout')));
  return image;
}

/**
 * Pushes and pulls a real image using only the credentials stored in `authFile` (whichever client wrote
 * it), then reads the manifest back. Returns the pushed digest.
 */
export async function pushAndPull(machine: Machine, authFile: string, host: string, repo: string): Promise<string> {
  const { ref } = await testImage();
  const env = { ...machine.env };
  const target = `docker://${host}/${repo}`;
  await exec('skopeo', ['copy', '--authfile', authFile, ref, target], { env });
  const out = join(machine.dir, `pulled-${repo.replace(/\W/g, '-')}`);
  await exec('skopeo', ['copy', '--authfile', authFile, target, `oci:${out}:pulled`], { env });
  const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const { stdout } = await exec('skopeo', ['inspect', '--authfile', authFile, target], { env });
  const digest = (JSON.parse(stdout) as { Digest: string }).Digest;
  expect(index.manifests[0]?.digest).toBe(digest);
  return digest;
}

/**
 * Proves the credentials cannot be used any more (e.g. after post): refused as a 401/403 would be, or
 * with the 400 Bad Request ICR answers bad credentials with (skopeo: `invalid status code from registry 400`).
 */
export async function expectPushRefused(machine: Machine, authFile: string, host: string, repo: string): Promise<void> {
  const { ref } = await testImage();
  await expect(exec('skopeo', ['copy', '--authfile', authFile, ref, `docker://${host}/${repo}`], { env: machine.env })).rejects.toThrow(
    /unauthori|denied|authentication required|invalid status code from registry 400 \(Bad Request\)/i,
  );
}

/** No secret the emulator knows, in any form, in these files (credentials files after post). */
export async function expectNoKeysIn(emu: Emulator, files: readonly string[]): Promise<void> {
  const forms = secretForms(emu.secrets(), [emu.profileId]);
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    expect(
      forms.filter((f) => text.includes(f)),
      file,
    ).toEqual([]);
  }
}

/** An entry the user had before the step, in a credentials file: what post must put back. */
export const OLD = { auth: Buffer.from('olduser:old-password-1234').toString('base64') };
