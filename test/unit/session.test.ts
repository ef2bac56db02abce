import { describe, expect, it } from 'vitest';
import { credentialsFile, errorLine, loginArgs, notLoggedIn, pinnedTo, type Platform } from '../../src/clients.ts';
import { platformOf } from '../../src/env.ts';
import { childEnv } from '../../src/process.ts';
import { backoff, retryAfter, sleep } from '../../src/retry.ts';
import { exchangeApiKey } from '../../src/iam.ts';
import { createServer } from 'node:http';
import { Slots } from '../../src/slots.ts';
import { decodeLogins, encodeLogins, groupBy, plan, runGrouped, writeThenConfirm } from '../../src/session.ts';

const platform = (env: Record<string, string>, dirs: string[] = [], os: NodeJS.Platform = 'linux'): Platform => ({
  os,
  env,
  home: os === 'win32' ? 'C:\\Users\\u' : '/home/u',
  uid: 1001,
  isDirectory: (p) => dirs.includes(p),
});

describe('credentials files', () => {
  it.each([
    ['docker', {}, [], '/home/u/.docker/config.json'],
    ['docker', { DOCKER_CONFIG: '/cfg' }, [], '/cfg/config.json'],
    ['podman', { REGISTRY_AUTH_FILE: '/a.json', DOCKER_CONFIG: '/cfg' }, [], '/a.json'],
    ['buildah', { DOCKER_CONFIG: '/cfg', XDG_RUNTIME_DIR: '/run/user/1001' }, ['/run/user/1001'], '/cfg/config.json'],
    ['skopeo', { XDG_RUNTIME_DIR: '/run/user/1001' }, ['/run/user/1001'], '/run/user/1001/containers/auth.json'],
    ['podman', { XDG_RUNTIME_DIR: '/run/user/1001' }, [], '/run/containers/1001/auth.json'],
    ['podman', {}, [], '/run/containers/1001/auth.json'],
  ] as const)('%s with %j writes %s', (client, env, dirs, file) => {
    expect(credentialsFile(client, platform({ ...env }, [...dirs]))).toBe(file);
  });

  it.each([
    ['docker', 'darwin', {}, '/home/u/.docker/config.json'],
    ['podman', 'darwin', { XDG_RUNTIME_DIR: '/run/user/1001' }, '/home/u/.config/containers/auth.json'],
    ['skopeo', 'darwin', { REGISTRY_AUTH_FILE: '/a.json' }, '/a.json'],
  ] as const)('on %s… %s (%s) writes %s', (client, os, env, file) => {
    expect(credentialsFile(client, platform({ ...env }, ['/run/user/1001'], os))).toBe(file);
  });

  it('uses the Windows home folder on Windows', () => {
    const file = credentialsFile('docker', platform({}, [], 'win32'));
    expect(file.replace(/\\/g, '/')).toBe('C:/Users/u/.docker/config.json');
  });

  it('reads home from USERPROFILE on Windows and HOME elsewhere, as the clients do', () => {
    const env = { HOME: '/msys/home/u', USERPROFILE: 'C:\\Users\\u' };
    expect(platformOf(env, 'win32').home).toBe('C:\\Users\\u');
    expect(platformOf(env, 'linux').home).toBe('/msys/home/u');
  });

  it.each([
    ['docker', '/cfg/config.json', { DOCKER_CONFIG: '/cfg' }],
    ['podman', '/run/user/1/containers/auth.json', { REGISTRY_AUTH_FILE: '/run/user/1/containers/auth.json' }],
  ] as const)('pins %s to %s for post', (client, file, env) => {
    expect(pinnedTo(client, file)).toEqual(env);
  });
});

describe('plan and grouping', () => {
  it('is hosts × clients', () => {
    expect(plan(['a', 'b'], ['docker', 'podman'])).toEqual([
      { client: 'docker', host: 'a' },
      { client: 'podman', host: 'a' },
      { client: 'docker', host: 'b' },
      { client: 'podman', host: 'b' },
    ]);
  });

  it('runs one group at a time per key and groups side by side', async () => {
    const log: string[] = [];
    const groups = groupBy(['a1', 'b1', 'a2', 'b2'], (s) => s[0]!);
    expect(groups).toEqual([
      ['a1', 'a2'],
      ['b1', 'b2'],
    ]);
    const running = new Set<string>();
    let overlapSameKey = false;
    let overlapOtherKey = false;
    await runGrouped(groups, () => async (item) => {
      for (const r of running) {
        if (r[0] === item[0]) overlapSameKey = true;
        else overlapOtherKey = true;
      }
      running.add(item);
      await new Promise((r) => setTimeout(r, 20));
      running.delete(item);
      log.push(item);
    });
    expect(overlapSameKey).toBe(false);
    expect(overlapOtherKey).toBe(true);
    expect(log.sort()).toEqual(['a1', 'a2', 'b1', 'b2']);
  });

  it('round-trips logins through state and ignores junk', () => {
    const logins = [{ client: 'docker' as const, host: 'us.icr.io', file: '/home/u/.docker/config.json' }];
    expect(decodeLogins(encodeLogins(logins))).toEqual(logins);
    expect(decodeLogins('')).toEqual([]);
    expect(decodeLogins('{oops')).toEqual([]);
    expect(decodeLogins('[1, {"client": "docker"}, {"client": "docker", "host": "h"}]')).toEqual([]);
  });
});

describe('client commands', () => {
  it('puts every flag before the host and no secret on argv', () => {
    expect(loginArgs('iamapikey', 'us.icr.io')).toEqual(['login', '--username', 'iamapikey', '--password-stdin', 'us.icr.io']);
  });

  it.each([
    ['Error: logging into "h": invalid username/password\n', 'logging into "h": invalid username/password'],
    [
      'WARNING: something\nError response from daemon: Get "https://h/v2/": unauthorized: bad\n',
      'Error response from daemon: Get "https://h/v2/": unauthorized: bad',
    ],
    ['', 'no error message'],
  ])('finds the error line in %j', (stderr, line) => expect(errorLine(stderr, '')).toBe(line));

  it('knows "not logged in" answers', () => {
    expect(notLoggedIn('Error: not logged into us.icr.io')).toBe(true);
    expect(notLoggedIn('Error: permission denied')).toBe(false);
  });

  it('drops secret inputs and any variable holding a secret from a child env', () => {
    const env = childEnv(
      { PATH: '/bin', 'INPUT_API-KEY': 'k', OTHER: 'has-secret-value-inside', KEEP: 'x' },
      ['INPUT_API-KEY'],
      ['secret-value'],
    );
    expect(env).toEqual({ PATH: '/bin', KEEP: 'x' });
  });
});

describe('retry timing', () => {
  it('backs off exponentially from 1 s with jitter, capped', () => {
    const p = { retries: 4, baseMs: 1000, capMs: 30_000 };
    expect([0, 1, 2, 3].map((n) => backoff(p, n, 0))).toEqual([500, 1000, 2000, 4000]);
    expect([0, 1, 2, 3].map((n) => backoff(p, n, 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoff(p, 10, 1)).toBe(30_000);
  });

  it('reads Retry-After as seconds or an HTTP date, capped', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(retryAfter('2', 30_000, now)).toBe(2000);
    expect(retryAfter('Tue, 24 Nov 2026 10:00:05 GMT', 30_000, now)).toBe(5000);
    expect(retryAfter('Tue, 24 Nov 2026 09:00:00 GMT', 30_000, now)).toBe(0);
    expect(retryAfter('3600', 30_000, now)).toBe(30_000);
    expect(retryAfter('soon', 30_000, now)).toBeUndefined();
    expect(retryAfter(undefined, 30_000, now)).toBeUndefined();
  });
});

describe('one credentials file: write, then confirm', () => {
  type T = { client: 'docker' | 'podman' | 'buildah' | 'skopeo'; host: string };
  const group: T[] = [
    { client: 'podman', host: 'a' },
    { client: 'buildah', host: 'a' },
    { client: 'skopeo', host: 'a' },
    { client: 'podman', host: 'b' },
    { client: 'buildah', host: 'b' },
    { client: 'skopeo', host: 'b' },
  ];
  const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

  it('writes once per host, confirms the rest, and never lets two writers overlap', async () => {
    const events: string[] = [];
    let writing = 0;
    const outcomes = await writeThenConfirm(
      group,
      () => true,
      async (t) => {
        expect(writing).toBe(0);
        writing++;
        events.push(`write ${t.client} ${t.host}`);
        await tick();
        events.push(`written ${t.client} ${t.host}`);
        writing--;
        return { ...t, ok: true, detail: 'logged in' };
      },
      async (t, writer) => {
        events.push(`confirm ${t.client} ${t.host}`);
        await tick();
        return { ...t, ok: true, detail: `sees ${writer}'s login` };
      },
    );
    expect(events.filter((e) => e.startsWith('write'))).toEqual(['write podman a', 'write podman b']);
    // Host a's confirmations start after host a is written, and before host b is.
    expect(events.indexOf('confirm buildah a')).toBeGreaterThan(events.indexOf('written podman a'));
    expect(events.indexOf('confirm buildah a')).toBeLessThan(events.indexOf('written podman b'));
    expect(outcomes.map((o) => `${o.client} ${o.host} ${o.detail}`)).toEqual([
      'podman a logged in',
      'podman b logged in',
      "buildah a sees podman's login",
      "skopeo a sees podman's login",
      "buildah b sees podman's login",
      "skopeo b sees podman's login",
    ]);
  });

  it('lets a client that cannot confirm log in on its own, and the next client write when a writer failed', async () => {
    const writes: string[] = [];
    const outcomes = await writeThenConfirm(
      group,
      () => true,
      async (t) => {
        writes.push(`${t.client} ${t.host}`);
        return { ...t, ok: !(t.client === 'podman' && t.host === 'b'), detail: 'x' };
      },
      async (t) => (t.client === 'skopeo' ? undefined : { ...t, ok: true, detail: 'seen' }),
    );
    expect(writes).toEqual(['podman a', 'podman b', 'buildah b', 'skopeo a', 'skopeo b']);
    expect(outcomes).toHaveLength(6);
  });

  it('never shares what a client cannot share', async () => {
    const writes: string[] = [];
    await writeThenConfirm(
      [
        { client: 'docker', host: 'a' },
        { client: 'docker', host: 'b' },
      ] as T[],
      (t) => t.client !== 'docker',
      async (t) => (writes.push(t.host), { ...t, ok: true, detail: 'logged in' }),
      async () => expect.unreachable(),
    );
    expect(writes).toEqual(['a', 'b']);
  });
});

describe('slots', () => {
  it('never runs more than its count, and serves lower priority numbers first', async () => {
    const slots = new Slots(2);
    let running = 0;
    let most = 0;
    const order: string[] = [];
    const task = (name: string) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 10));
      order.push(name);
      running--;
    };
    await Promise.all([
      slots.run(1, task('confirm-1')),
      slots.run(1, task('confirm-2')),
      slots.run(1, task('confirm-3')),
      slots.run(0, task('write-1')),
      slots.run(1, task('confirm-4')),
      slots.run(0, task('write-2')),
    ]);
    expect(most).toBe(2);
    // The first two took the free slots; after them the writers go before the waiting confirmations.
    expect(order.slice(2, 4).sort()).toEqual(['write-1', 'write-2']);
  });

  it('frees its slot when a task throws', async () => {
    const slots = new Slots(1);
    await expect(slots.run(0, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await slots.run(0, async () => 'next')).toBe('next');
  });
});

describe('cancelling the IAM exchange', () => {
  it('stops at once, mid-backoff, without waiting out the delay', async () => {
    // A server that always answers 503: the exchange backs off for a minute unless cancelled.
    const server = createServer((_req, res) => res.writeHead(503).end('busy'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 100);
    try {
      await expect(
        exchangeApiKey(url, 'key', { policy: { retries: 4, baseMs: 60_000, capMs: 60_000 }, signal: cancel.signal }),
      ).rejects.toThrow('The IAM token exchange was cancelled.');
    } finally {
      await new Promise((r) => server.close(r));
    }
  }, 5_000);

  it('does not sleep at all when already cancelled', async () => {
    const cancel = new AbortController();
    cancel.abort();
    await sleep(60_000, cancel.signal); // the 5 s test timeout fails this if it waits
  }, 5_000);
});
