// Post kills only the process groups it can prove main started: a group with a process that carries
// the run's mark (its leader gone or not), never one whose id another process now holds. Real
// processes in groups of their own (Linux /proc); each stopped by its PID.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { killOurGroups, RUN_MARK } from '../../../src/clients/groups.ts';
import { groupsNow, startTime } from '../../../src/clients/processes.ts';
import { stopGroups } from '../../harness/wrappers.ts';

const RUN = '7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9';
const started: number[] = [];
afterEach(() => stopGroups(started));

/** A process group of its own running `script` in sh; returns its id (the leader's pid). */
function group(script: string, env: NodeJS.ProcessEnv): number {
  const child = spawn('sh', ['-c', script], { env: { PATH: process.env['PATH'], ...env }, detached: true, stdio: 'ignore' });
  child.unref();
  started.push(child.pid!);
  return child.pid!;
}

const members = (pgid: number): number[] => groupsNow()?.get(pgid) ?? [];
const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe('killOurGroups', () => {
  it('kills a group that carries the run’s mark, also when its leader is gone, and spares a group that does not', async () => {
    const ours = group('exec sleep 60', { [RUN_MARK]: RUN });
    // The leader exits at once; its child lives on in the group, with the mark it inherited.
    const orphaned = group('sleep 60 & exit 0', { [RUN_MARK]: RUN });
    // Saved by main as if it were a client's group, but another process holds that id now.
    const reused = group('exec sleep 60', {});
    const otherRun = group('exec sleep 60', { [RUN_MARK]: 'another-run-0000' });
    await until(() => members(orphaned).length === 1 && !members(orphaned).includes(orphaned) && members(ours).length > 0);
    expect(members(orphaned)).not.toContain(orphaned);

    const { killed, spared } = await killOurGroups([ours, orphaned, reused, otherRun], RUN);
    expect(killed).toEqual([ours, orphaned]);
    expect(spared).toEqual([reused, otherRun]);
    expect(members(ours)).toEqual([]);
    expect(members(orphaned)).toEqual([]);
    expect(members(reused).length).toBeGreaterThan(0);
    expect(members(otherRun).length).toBeGreaterThan(0);
  });

  it('kills nothing for groups that are gone, and reads a process’s start time', async () => {
    expect(await killOurGroups([999_999_999], RUN, 0)).toEqual({ killed: [], spared: [] });
    expect(startTime(process.pid)).toMatch(/^\d+$/);
    expect(startTime(999_999_999)).toBeUndefined();
  });
});
