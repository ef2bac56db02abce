// What the process table says about processes, read from Linux's /proc: which processes are in a
// group, whether one was started with a given variable, when one started. Where there is no /proc
// (macOS, Windows) it says nothing, and its callers act on nothing. Adapter over node:fs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Whether this machine has a /proc to read. */
export const HAS_PROC = process.platform === 'linux' && existsSync('/proc/self/stat');

/** The fields of /proc/PID/stat after `(comm)` (which may hold spaces): state, ppid, pgrp, … */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** When a process started (clock ticks since boot, field 22 of stat), as text; undefined when it is gone or there is no /proc. */
export function startTime(pid: number): string | undefined {
  return HAS_PROC ? statFields(pid)?.[19] : undefined;
}

/** Whether a process has ended and waits only for its parent to collect it (false when there is no /proc to say). */
export function ended(pid: number): boolean {
  const state = HAS_PROC ? statFields(pid)?.[0] : undefined;
  return state === 'Z' || state === 'X';
}

/** The live (not zombie) processes of each group; undefined without /proc. */
export function groupsNow(): Map<number, number[]> | undefined {
  if (!HAS_PROC) return undefined;
  const groups = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(Number(name));
    if (!fields || fields[0] === 'Z' || fields[0] === 'X') continue;
    const pgid = Number(fields[2]);
    groups.set(pgid, [...(groups.get(pgid) ?? []), Number(name)]);
  }
  return groups;
}

/** Whether a process was started with `name=value` in its environment (false when it cannot be read: not ours to read). */
export function startedWith(pid: number, name: string, value: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`${name}=${value}`);
  } catch {
    return false;
  }
}

/** Whether a process runs (one of another user's counts: EPERM), and has not ended awaiting its parent. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !ended(pid);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
