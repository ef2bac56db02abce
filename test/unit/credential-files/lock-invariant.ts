// What "one writer at a time" means, checked from inside the lock: every holder leaves a marker named
// after its pid while it holds, and looks for a marker of another live holder when it starts and
// again before it leaves. Two holders that overlap for any moment both see the other's marker.
import { spawnSync } from 'node:child_process';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processAlive } from '../../../src/clients/processes.ts';

// A killed holder is dead from the moment it is killed, zombie or not, as the lock itself judges it
// (clients/processes.ts): its marker then no longer counts.
const alive = (pid: number): boolean => processAlive(pid);

/** A pid that no process has any more: a holder killed before it could release its lock. */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid;
}

let taken = 0;

/** Holds for `holdMs`; false when another holder was inside at the same time. A killed holder's marker does not count. */
export async function aloneInside(markers: string, holdMs: number): Promise<boolean> {
  const me = `${process.pid}-${(taken += 1)}`;
  await writeFile(join(markers, me), '');
  const others = async (): Promise<boolean> => (await readdir(markers)).some((name) => name !== me && alive(Number(name.split('-')[0])));
  let alone = !(await others());
  await sleep(holdMs);
  alone = !(await others()) && alone;
  await rm(join(markers, me));
  return alone;
}
