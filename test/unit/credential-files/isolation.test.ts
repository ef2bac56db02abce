// isolate: true on temp files: a new private folder per step, and the variables that point the clients at it.
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIsolation, isolationEnv } from '../../../src/credential-files/isolation.ts';

let parent: string;
beforeEach(async () => {
  parent = join(await mkdtemp(join(tmpdir(), 'icr-unit-isolation-')), 'runner-temp');
});
afterEach(() => rm(join(parent, '..'), { recursive: true, force: true }));

const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

describe('createIsolation', () => {
  it('makes a 0700 folder with a 0700 docker folder in it, under a parent it creates', async () => {
    const isolation = await createIsolation(parent, join(parent, 'no-docker'));
    expect(isolation.dir.startsWith(join(parent, 'icr-login-'))).toBe(true);
    expect(isolation.dockerConfig).toBe(join(isolation.dir, 'docker'));
    expect(isolation.authFile).toBe(join(isolation.dir, 'auth.json'));
    expect(await mode(isolation.dir)).toBe(0o700);
    expect(await mode(isolation.dockerConfig)).toBe(0o700);
    // The auth file is the clients' to create.
    expect(await readdir(isolation.dir)).toEqual(['docker']);
  });

  it('gives each step a folder of its own', async () => {
    const [a, b] = await Promise.all([
      createIsolation(parent, join(parent, 'no-docker')),
      createIsolation(parent, join(parent, 'no-docker')),
    ]);
    expect(a.dir).not.toBe(b.dir);
  });

  it('points docker and the containers tools at it', async () => {
    const isolation = await createIsolation(parent, join(parent, 'no-docker'));
    expect(isolationEnv(isolation)).toEqual({ DOCKER_CONFIG: isolation.dockerConfig, REGISTRY_AUTH_FILE: isolation.authFile });
  });
});
