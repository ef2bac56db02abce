// The lock of a credentials file in the failure of its own mechanism: a holder killed with the lock
// held, several takers judging it stale at once (in one process and in several), takers and releasers
// killed half way, and paths at the lock that are not a lock file. Every round checks from inside
// that no two holders were in at once (lock-invariant.ts).
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockPath, withFileLock } from '../../../src/credential-files/lock/lock.ts';
import { aloneInside, deadPid } from './lock-invariant.ts';

let dir = '';
let file = '';
let markers = '';
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icr-unit-lock-'));
  file = join(dir, 'config.json');
  markers = join(dir, 'inside');
  await mkdir(markers);
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.pid && c.exitCode === null && c.signalCode === null) process.kill(c.pid, 'SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

const holder = (pid: number, token: string = randomUUID(), until = Date.now() + 3_600_000) =>
  JSON.stringify({ pid, token, since: Date.now() - 1000, until });

/** The lock a holder left when it was killed while holding it. */
const seedDeadHolder = (pid: number): Promise<void> => writeFile(lockPath(file), holder(pid));

/** What is left of the lock beside the file (nothing, once every holder is gone and a turn was taken). */
const leftovers = async (): Promise<string[]> => (await readdir(dir)).filter((n) => n.startsWith('config.json.'));

const turn = (holdMs = 4, waitMs = 5000): Promise<boolean> => withFileLock(file, waitMs, () => aloneInside(markers, holdMs));

const taker = (): ChildProcess => {
  const child = fork(join(import.meta.dirname, 'lock-taker.ts'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return child;
};

interface Answer {
  readonly round?: number;
  readonly alone?: boolean;
  readonly error?: string;
  readonly ready?: boolean;
}
const answer = (child: ChildProcess, round: number): Promise<Answer> =>
  new Promise((resolve) => {
    const heard = (m: Answer): void => {
      if (m.round !== round) return;
      child.off('message', heard);
      resolve(m);
    };
    child.on('message', heard);
  });

describe('the lock of a credentials file, left by a killed holder', () => {
  it('lets exactly one of three takers in a process take it over, round after round (200 rounds)', async () => {
    const dead = deadPid();
    const overlaps: number[] = [];
    for (let round = 0; round < 200; round++) {
      await seedDeadHolder(dead);
      const turns = await Promise.all([turn(), turn(), turn()]);
      if (turns.includes(false)) overlaps.push(round);
    }
    expect(overlaps).toEqual([]);
    expect(await leftovers()).toEqual([]);
  }, 60_000);

  it('lets exactly one of three processes take it over, round after round (200 rounds)', async () => {
    const dead = deadPid();
    const takers = [taker(), taker(), taker()];
    const overlaps: number[] = [];
    const errors: string[] = [];
    for (let round = 0; round < 200; round++) {
      await seedDeadHolder(dead);
      const answers = takers.map((t) => answer(t, round));
      for (const t of takers) t.send({ round, file, markers, waitMs: 5000, holdMs: 4 });
      for (const a of await Promise.all(answers)) {
        if (a.error) errors.push(a.error);
        else if (!a.alone) overlaps.push(round);
      }
    }
    expect(errors).toEqual([]);
    expect([...new Set(overlaps)]).toEqual([]);
    expect(await leftovers()).toEqual([]);
  }, 120_000);

  it('stays one writer at a time while takers are killed at random moments, and is taken at once after', async () => {
    const overlaps: Answer[] = [];
    let turns = 0;
    const start = async (): Promise<ChildProcess> => {
      const child = taker();
      child.on('message', (m: Answer) => {
        if (m.ready) return;
        turns += 1;
        if (!m.alone) overlaps.push(m);
      });
      const ready = new Promise((resolve) => child.once('message', resolve));
      child.send({ round: 0, file, markers, waitMs: 20_000, holdMs: 1, loop: true });
      await ready;
      return child;
    };
    const running = await Promise.all([start(), start(), start()]);
    for (let kill = 0; kill < 60; kill++) {
      await sleep(Math.random() * 40);
      const victim = running.splice(Math.floor(Math.random() * running.length), 1)[0]!;
      process.kill(victim.pid!, 'SIGKILL');
      running.push(await start());
    }
    for (const c of running) process.kill(c.pid!, 'SIGKILL');
    await Promise.all(
      running.map((c) => new Promise((resolve) => (c.exitCode === null && c.signalCode === null ? c.once('exit', resolve) : resolve(0)))),
    );
    expect(overlaps).toEqual([]);
    expect(turns).toBeGreaterThan(100);
    // Some were killed holding the lock: their markers stay, under pids no process has any more.
    expect((await readdir(markers)).length).toBeGreaterThan(0);
    // Whatever the killed takers left (their lock, a claim, a holder file), the next turn gets in well
    // within its wait and leaves nothing of the lock behind.
    expect(await turn(1, 3000)).toBe(true);
    expect(await leftovers()).toEqual([]);
  }, 120_000);

  it('never lets a release remove the lock of the taker that took over from a holder past its bound (200 rounds)', async () => {
    const path = lockPath(file);
    const lost: number[] = [];
    for (let round = 0; round < 200; round++) {
      let late: Promise<string> | undefined;
      await withFileLock(file, 5000, async () => {
        // This holder overstays: its own bound is made to have passed (same token, written whole).
        const mine = JSON.parse(await readFile(path, 'utf8')) as { token: string };
        await writeFile(`${path}.x`, holder(process.pid, mine.token, Date.now() - 1));
        await rename(`${path}.x`, path);
        // A waiter takes the lock over; it checks, holding it, that its own lock is still in place.
        late = withFileLock(file, 5000, async () => {
          await sleep(Math.random() * 6);
          const theirs = (JSON.parse(await readFile(path, 'utf8').catch(() => '{}')) as { token?: string }).token ?? 'gone';
          return theirs === mine.token ? 'still the old holder' : theirs;
        });
        await sleep(Math.random() * 6);
      });
      const seen = await late!;
      if (seen === 'gone' || seen === 'still the old holder') lost.push(round);
    }
    expect(lost).toEqual([]);
    expect(await leftovers()).toEqual([]);
  }, 60_000);
});

describe('a taker or releaser killed half way', () => {
  // What each moment of dying leaves (the files the takeover and the release write, see lock.ts), then
  // a new taker: it gets in within its wait, alone, and leaves nothing behind.
  const at = (name: string): string => `${lockPath(file)}.${name}`;
  const states: [string, (dead: number) => Promise<void>][] = [
    ['a holder file written, no lock yet (killed while waiting)', (dead) => writeFile(at(`new-${dead}-${randomUUID()}`), holder(dead))],
    ['a holder file made, killed before it was written', (dead) => writeFile(at(`new-${dead}-${randomUUID()}`), '')],
    [
      "a reaper that won the claim on a dead holder's lock, then died",
      async (dead) => {
        const token = randomUUID();
        await writeFile(lockPath(file), holder(dead, token));
        await writeFile(at(`claim-${token}`), holder(dead));
      },
    ],
    ['a reaper that removed the lock, then died before its claim', (dead) => writeFile(at(`claim-${randomUUID()}`), holder(dead))],
    [
      'a holder that won the claim on its own lock to release it, then died',
      async (dead) => {
        const token = randomUUID();
        await writeFile(lockPath(file), holder(dead, token));
        await writeFile(at(`claim-${token}`), holder(dead, token));
      },
    ],
    [
      'a reaper of a dead reaper killed too (two claims deep)',
      async (dead) => {
        const [token, reaper] = [randomUUID(), randomUUID()];
        await writeFile(lockPath(file), holder(dead, token));
        await writeFile(at(`claim-${token}`), holder(dead, reaper));
        await writeFile(at(`claim-${token}.claim-${reaper}`), holder(dead));
      },
    ],
    ['a lock file written by nobody we know (empty), a minute old', (_dead) => writeFile(lockPath(file), '').then(() => ageLock(60))],
  ];
  const ageLock = async (seconds: number): Promise<void> => {
    const then = new Date(Date.now() - seconds * 1000);
    const { utimes } = await import('node:fs/promises');
    await utimes(lockPath(file), then, then);
  };

  it.each(states)('%s', async (_name, seed) => {
    await seed(deadPid());
    const turns = await Promise.all([turn(2, 3000), turn(2, 3000), turn(2, 3000)]);
    expect(turns).toEqual([true, true, true]);
    expect(await leftovers()).toEqual([]);
  });
});

/**
 * withFileLock in a process of its own with a wait of 1 s: what it printed, or 'still waiting' when it
 * had not ended after 5 s (then it is killed by its pid).
 */
async function lockInChild(): Promise<string> {
  const script = `import('${join(import.meta.dirname, '../../../src/credential-files/lock/lock.ts')}').then((m) => m.withFileLock(${JSON.stringify(file)}, 1000, async () => 'got the lock')).then((r) => console.log(r), (e) => console.log(e.message));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const ended = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
  if (await Promise.race([ended, sleep(5000).then(() => false)])) return out.trim();
  process.kill(child.pid!, 'SIGKILL');
  return 'still waiting';
}

describe('a lock path that is not a lock file', () => {
  it('a folder there: one line naming it and what to do, at once', async () => {
    await mkdir(lockPath(file));
    expect(await lockInChild()).toBe(
      `${lockPath(file)} is a folder, not icr-login's lock file, so no job can take its turn writing the credentials file beside it; remove it and try again.`,
    );
  }, 10_000);

  it('a FIFO there: one line naming it, never a wait for a writer that never comes', async () => {
    expect(spawnSync('mkfifo', [lockPath(file)]).status).toBe(0);
    expect(await lockInChild()).toBe(
      `${lockPath(file)} is a FIFO, not icr-login's lock file, so no job can take its turn writing the credentials file beside it; remove it and try again.`,
    );
  }, 10_000);

  it('a live holder: waits at most the timeout, then names it', async () => {
    await writeFile(lockPath(file), holder(process.pid));
    expect(await lockInChild()).toBe(
      `Another icr-login job (pid ${process.pid}) kept ${file} locked for more than 1 s (${lockPath(file)}); set isolate: true where jobs share a machine, or raise input timeout.`,
    );
  }, 10_000);

  it('a logout that is told how to warn goes ahead without the lock, and says so in one line', async () => {
    await mkdir(lockPath(file));
    const heard: string[] = [];
    expect(await withFileLock(file, 1000, async () => 'wrote', { unlockedIfBlocked: (line) => heard.push(line) })).toBe('wrote');
    expect(heard).toEqual([
      `${lockPath(file)} is a folder, not icr-login's lock file, so this logout wrote ${file} without taking its turn; remove it so jobs take turns writing the file again.`,
    ]);
  });
});

describe('a turn in this process', () => {
  it('where no lock can be made (its folder cannot be), runs the work without one', async () => {
    await writeFile(join(dir, 'plain'), '');
    expect(await withFileLock(join(dir, 'plain', 'config.json'), 1000, async () => 'wrote')).toBe('wrote');
  });

  it('releases the lock when the work throws, and passes the error on', async () => {
    await expect(withFileLock(file, 1000, () => Promise.reject(new Error('client failed')))).rejects.toThrow('client failed');
    expect(await leftovers()).toEqual([]);
    expect(await turn(2, 1000)).toBe(true);
  });

  it.each<[string, () => Promise<unknown>, string, string]>([
    [
      'a live holder',
      () => writeFile(lockPath(file), holder(process.pid)),
      'credentials file locked',
      `Another icr-login job (pid ${process.pid}) kept FILE locked for more than 1 s (FILE.icr-login.lock); set isolate: true where jobs share a machine, or raise input timeout.`,
    ],
    [
      'a folder at the lock path',
      () => mkdir(lockPath(file)),
      'credentials file lock',
      "FILE.icr-login.lock is a folder, not icr-login's lock file, so no job can take its turn writing the credentials file beside it; remove it and try again.",
    ],
  ])('%s: refused in one line, the work never run, its holder file gone', async (_what, seed, title, message) => {
    await seed();
    let ran = false;
    const error = await withFileLock(file, 1000, async () => (ran = true)).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(error).toMatchObject({ title, message: message.replaceAll('FILE', file) });
    // What was there stays; the turn's own holder file is gone.
    expect(await leftovers()).toEqual(['config.json.icr-login.lock']);
  });
});
