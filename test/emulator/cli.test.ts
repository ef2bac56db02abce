// The emulator's command line: usage on request, one line and the usage for a mistake (never a stack
// trace), one JSON line once ready, a clean stop on SIGTERM; and on a Node that cannot run TypeScript
// (Node 20; here Node with type stripping off) still its usage, and one line saying what it needs.
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { runClient } from './testing/run-client.ts';
import { pidAlive } from './testing/test-client.ts';

const CLI = 'test/emulator/cli.ts';
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
const cli = (args: string[], nodeFlags: string[] = []) => runClient(process.execPath, [...nodeFlags, CLI, ...args], { env });
const NO_TYPESCRIPT = ['--no-experimental-strip-types'];

describe('node test/emulator/cli.ts', () => {
  it.each([[[]], [NO_TYPESCRIPT]])('--help prints the usage and exits 0 (node flags %j)', async (flags) => {
    for (const help of ['--help', '-h']) {
      const run = await cli([help], flags);
      expect([run.code, run.stderr]).toEqual([0, '']);
      expect(run.stdout).toMatch(/^Usage: node test\/emulator\/cli\.ts \[options\]\n/);
      for (const option of ['--regions', '--hosts', '--no-registry', '--refresh-tokens', '--entitled', '--help']) {
        expect(run.stdout).toContain(option);
      }
    }
  });

  it.each([
    [['--bogus'], "icr-emulator: Unknown option '--bogus'"],
    [['--hosts', '0'], 'icr-emulator: --hosts needs a positive integer, got 0'],
    [['--regions'], "icr-emulator: Option '--regions <value>' argument missing"],
  ])('%j: one line, the usage, exit 2, no stack trace', async (args, line) => {
    for (const flags of [[], NO_TYPESCRIPT]) {
      const run = await cli(args, flags);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.split('\n')[0]).toBe(line);
      expect(run.stderr).toContain('Usage: node test/emulator/cli.ts');
      expect(run.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it('without type stripping: one line saying what it needs, exit 1', async () => {
    const run = await cli([], NO_TYPESCRIPT);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `icr-emulator: this Node (${process.version}) does not run TypeScript; the emulator needs Node 22.18 or later, with type stripping on.\n`,
    );
  });

  it('prints one JSON line once ready (with the entitled registry on request) and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, '--no-registry', '--regions', 'us-south,eu-de', '--entitled'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
        });
        child.once('exit', () => reject(new Error(`cli exited before it was ready: ${stderr}`)));
      });
      const ready = JSON.parse(line) as Record<string, unknown> & { entitled: { host: string; key: string; registryPid: number } };
      expect(Object.keys(ready)).toEqual(['regions', 'hosts', 'iamUrl', 'caFile', 'accounts', 'keys', 'profileId', 'entitled']);
      expect(ready.hosts).toHaveLength(2);
      expect(ready.entitled).toMatchObject({ name: 'cp.icr.io', username: 'cp' });
      expect(pidAlive(ready.entitled.registryPid)).toBe(true);
      if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
      expect(await exited).toBe(0);
      expect(pidAlive(ready.entitled.registryPid)).toBe(false);
      expect(stderr).toBe('');
    } finally {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
    }
  }, 60_000);
});
