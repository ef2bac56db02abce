import { describe, expect, it } from 'vitest';
import { credentialsFile, errorLine, loginArgs, notLoggedIn, type Platform } from '../../src/clients.ts';
import { childEnv } from '../../src/process.ts';
import { backoff, retryAfter } from '../../src/retry.ts';
import { decodeLogins, encodeLogins, groupBy, plan, runGrouped } from '../../src/session.ts';

const platform = (env: Record<string, string>, dirs: string[] = []): Platform => ({ env, home: '/home/u', uid: 1001, isDirectory: (p) => dirs.includes(p) });

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
});

describe('plan and grouping', () => {
  it('is hosts × clients', () => {
    expect(plan(['a', 'b'], ['docker', 'podman'])).toEqual([
      { client: 'docker', host: 'a' }, { client: 'podman', host: 'a' },
      { client: 'docker', host: 'b' }, { client: 'podman', host: 'b' },
    ]);
  });

  it('runs one group at a time per key and groups side by side', async () => {
    const log: string[] = [];
    const groups = groupBy(['a1', 'b1', 'a2', 'b2'], (s) => s[0]!);
    expect(groups).toEqual([['a1', 'a2'], ['b1', 'b2']]);
    const running = new Set<string>();
    let overlapSameKey = false;
    let overlapOtherKey = false;
    await runGrouped(groups, () => async (item) => {
      for (const r of running) (r[0] === item[0] ? (overlapSameKey = true) : (overlapOtherKey = true));
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
    const logins = [{ client: 'docker' as const, host: 'us.icr.io' }];
    expect(decodeLogins(encodeLogins(logins))).toEqual(logins);
    expect(decodeLogins('')).toEqual([]);
    expect(decodeLogins('{oops')).toEqual([]);
    expect(decodeLogins('[1, {"client": "docker"}]')).toEqual([]);
  });
});

describe('client commands', () => {
  it('puts every flag before the host and no secret on argv', () => {
    expect(loginArgs('iamapikey', 'us.icr.io')).toEqual(['login', '--username', 'iamapikey', '--password-stdin', 'us.icr.io']);
  });

  it.each([
    ['Error: logging into "h": invalid username/password\n', 'logging into "h": invalid username/password'],
    ['WARNING: something\nError response from daemon: Get "https://h/v2/": unauthorized: bad\n', 'Error response from daemon: Get "https://h/v2/": unauthorized: bad'],
    ['', 'no error message'],
  ])('finds the error line in %j', (stderr, line) => expect(errorLine(stderr, '')).toBe(line));

  it('knows "not logged in" answers', () => {
    expect(notLoggedIn('Error: not logged into us.icr.io')).toBe(true);
    expect(notLoggedIn('Error: permission denied')).toBe(false);
  });

  it('drops secret inputs and any variable holding a secret from a child env', () => {
    const env = childEnv({ PATH: '/bin', 'INPUT_API-KEY': 'k', OTHER: 'has-secret-value-inside', KEEP: 'x' }, ['INPUT_API-KEY'], ['secret-value']);
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
