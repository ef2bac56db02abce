// One "runner machine": its own HOME and XDG_RUNTIME_DIR, trusting the emulator, with the real
// clients on PATH. Used by the end-to-end tests, `npm start` and the benchmarks.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Emulator } from '../emulator/index.ts';
import { Job } from './runner.ts';
import { watched } from './watch.ts';

export interface Machine {
  readonly dir: string;
  readonly home: string;
  readonly runtimeDir: string;
  readonly env: Record<string, string>;
  /** docker's credentials file. */
  readonly dockerFile: string;
  /** The file podman, buildah and skopeo share here. */
  readonly containersFile: string;
}

export async function newMachine(emu: Emulator, extraEnv: Record<string, string> = {}): Promise<Machine> {
  const dir = await mkdtemp(join(tmpdir(), 'icr-machine-'));
  const home = join(dir, 'home');
  const runtimeDir = join(dir, 'run');
  await mkdir(home, { recursive: true });
  await mkdir(runtimeDir, { mode: 0o700 });
  await emu.trust(home);
  watched.emulators.add(emu);
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    XDG_RUNTIME_DIR: runtimeDir,
    NODE_EXTRA_CA_CERTS: emu.caFile,
    LANG: 'C.UTF-8',
    ...extraEnv,
  };
  return {
    dir,
    home,
    runtimeDir,
    env,
    dockerFile: join(home, '.docker', 'config.json'),
    containersFile: join(runtimeDir, 'containers', 'auth.json'),
  };
}

export function newJob(machine: Machine, env: Record<string, string> = {}): Promise<Job> {
  return Job.create({ env: { ...machine.env, ...env } });
}

/** The inputs that point the action at the emulator. */
export function emulatorInputs(emu: Emulator, inputs: Record<string, string> = {}): Record<string, string> {
  return { 'api-key': emu.keys.user.key, registry: emu.hosts.join(','), 'iam-endpoint': emu.iamUrl, ...inputs };
}

export async function readAuths(file: string): Promise<Record<string, unknown>> {
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as { auths?: Record<string, unknown> };
    return json.auths ?? {};
  } catch {
    return {};
  }
}

/** Where a client is installed on this machine. */
export async function clientPath(client: string): Promise<string> {
  const { stdout } = await promisify(execFile)('sh', ['-c', `command -v ${client}`]);
  return stdout.trim();
}

/** A folder holding only the named clients, to use as the whole PATH ("not installed" cases). */
export async function pathWith(dir: string, clients: readonly string[]): Promise<string> {
  const bin = join(dir, `bin-${clients.join('-') || 'none'}`);
  await mkdir(bin, { recursive: true });
  for (const c of clients) await symlink(await clientPath(c), join(bin, c));
  return bin;
}
