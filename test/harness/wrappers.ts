// Wrapper scripts around real clients that misbehave as real setups do: slow to start, or leaving a
// long-lived child that holds the client's output pipes. Each records its PID (its process group).
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientPath } from './machine.ts';

export interface Wrappers {
  /** Folder to put first on PATH. */
  readonly bin: string;
  /** PIDs of every wrapper started (each execs the client, so also the client's PID), and of children they left. */
  pids(): Promise<number[]>;
}

/** `before` is shell run ahead of `exec CLIENT "$@"`; `$PIDS` names the file where it may record PIDs. */
export async function installWrappers(dir: string, clients: readonly string[], before: string): Promise<Wrappers> {
  const bin = join(dir, 'wrapper-bin');
  const pids = join(dir, 'wrapper-pids');
  await mkdir(bin, { recursive: true });
  for (const client of clients) {
    const script = ['#!/bin/sh', `PIDS="${pids}"`, 'echo $$ >> "$PIDS"', before, `exec ${await clientPath(client)} "$@"`].join('\n');
    await writeFile(join(bin, client), `${script}\n`);
    await chmod(join(bin, client), 0o755);
  }
  return {
    bin,
    pids: async () =>
      (await readFile(pids, 'utf8').catch(() => ''))
        .split('\n')
        .filter((l) => l !== '')
        .map(Number),
  };
}

/** Processes that still run (not zombies: a killed orphan may wait a while to be reaped), by /proc. */
function running(): { pid: number; pgid: number }[] {
  const found: { pid: number; pgid: number }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces, so read after its closing parenthesis.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state !== 'Z' && state !== 'X') found.push({ pid: Number(name), pgid: Number(pgrp) });
  }
  return found;
}

/** Whether a process (or, for a negative number, any process of that group) still runs. */
export function alive(pid: number): boolean {
  return running().some((p) => (pid < 0 ? p.pgid === -pid : p.pid === pid));
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

/** Stops, by id, the process groups a test started itself (its own, in groups of their own); quiet for those already gone. */
export function stopGroups(pgids: number[]): void {
  for (const pgid of pgids.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}
