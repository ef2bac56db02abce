import { chmod, mkdir, mkdtemp, realpath, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsFile, pinnedTo, podmanRuntimeFile, type Platform } from '../../../src/credential-files/paths.ts';
import { platformOf } from '../../../src/credential-files/platform.ts';

const platform = (env: Record<string, string>, dirs: string[] = [], os: NodeJS.Platform = 'linux'): Platform => ({
  os,
  env,
  home: os === 'win32' ? 'C:\\Users\\u' : '/home/u',
  uid: 1001,
  isDirectory: (p) => dirs.includes(p),
  isPrivateFolder: (p) => dirs.includes(p),
  realPath: (p) => p,
});

describe('credentials files', () => {
  it.each([
    ['docker', {}, [], '/home/u/.docker/config.json'],
    ['docker', { DOCKER_CONFIG: '/cfg' }, [], '/cfg/config.json'],
    ['podman', { REGISTRY_AUTH_FILE: '/a.json', DOCKER_CONFIG: '/cfg' }, [], '/a.json'],
    ['buildah', { DOCKER_CONFIG: '/cfg', XDG_RUNTIME_DIR: '/run/user/1001' }, ['/run/user/1001'], '/cfg/config.json'],
    ['skopeo', { XDG_RUNTIME_DIR: '/run/user/1001' }, ['/run/user/1001'], '/run/user/1001/containers/auth.json'],
    ['podman', { XDG_RUNTIME_DIR: '/run/user/1001' }, [], '/run/containers/1001/auth.json'],
    // XDG_RUNTIME_DIR unset, not root: podman's own runtime folder, for skopeo and buildah too.
    ['podman', {}, ['/tmp/podman-run-1001'], '/tmp/podman-run-1001/containers/auth.json'],
    ['skopeo', {}, ['/tmp/podman-run-1001'], '/tmp/podman-run-1001/containers/auth.json'],
    ['buildah', { TMPDIR: '/var/tmp' }, ['/var/tmp/podman-run-1001'], '/var/tmp/podman-run-1001/containers/auth.json'],
    ['skopeo', {}, ['/run/user/1001', '/tmp/podman-run-1001'], '/run/user/1001/containers/auth.json'],
    ['skopeo', {}, ['/home/u/rundir'], '/home/u/rundir/containers/auth.json'],
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

  it("pins the containers tools to podman's runtime folder only where podman and skopeo would disagree", () => {
    const p = (env: Record<string, string>, uid = 1001, dirs: string[] = ['/tmp/podman-run-1001']): Platform => ({
      ...platform(env, dirs),
      uid,
    });
    expect(podmanRuntimeFile(p({}))).toBe('/tmp/podman-run-1001/containers/auth.json');
    expect(podmanRuntimeFile(p({}, 1001, ['/run/user/1001', '/tmp/podman-run-1001']))).toBe('/run/user/1001/containers/auth.json');
    expect(podmanRuntimeFile(p({}, 0))).toBeUndefined(); // root: /run/containers/0 for all three
    expect(podmanRuntimeFile(p({ XDG_RUNTIME_DIR: '/run/user/1001' }))).toBeUndefined();
    expect(podmanRuntimeFile(p({ REGISTRY_AUTH_FILE: '/a.json' }))).toBeUndefined();
    expect(podmanRuntimeFile(p({ DOCKER_CONFIG: '/cfg' }))).toBeUndefined();
    expect(podmanRuntimeFile({ ...p({}), os: 'darwin' })).toBeUndefined();
  });

  it("goes past runtime folders that are not the user's own, as podman 4.3 does, to HOME/rundir with HOME's links resolved", () => {
    const asked: string[] = [];
    const p: Platform = {
      ...platform({}),
      // /run/user/1001 cannot be made; /tmp/podman-run-1001 belongs to someone else: only the fallback is private.
      isPrivateFolder: (d) => (asked.push(d), d === '/data/u/rundir'),
      realPath: (d) => (d === '/home/u' ? '/data/u' : d),
    };
    expect(podmanRuntimeFile(p)).toBe('/data/u/rundir/containers/auth.json');
    expect(asked).toEqual(['/run/user/1001', '/tmp/podman-run-1001', '/data/u/rundir']);
  });

  it("refuses, in one line, a fallback that is not the user's own with mode 0700", () => {
    expect(() => podmanRuntimeFile(platform({}))).toThrow(
      "With XDG_RUNTIME_DIR unset, rootless podman keeps its credentials in /home/u/rundir, which is not a folder of this user's own with mode 0700 (others could read them); set XDG_RUNTIME_DIR or REGISTRY_AUTH_FILE to a place of this user's own.",
    );
  });

  it('counts a folder as private only when it is a real folder of the user with mode 0700, making it when missing', async () => {
    const root = await mkdtemp(join(tmpdir(), 'icr-unit-paths-'));
    try {
      const { isPrivateFolder, realPath } = platformOf({ HOME: root }, 'linux');
      expect(isPrivateFolder(join(root, 'made'))).toBe(true);
      expect((await stat(join(root, 'made'))).mode & 0o777).toBe(0o700);
      await mkdir(join(root, 'open'), { mode: 0o755 });
      await chmod(join(root, 'open'), 0o755);
      expect(isPrivateFolder(join(root, 'open'))).toBe(false);
      await symlink(join(root, 'made'), join(root, 'link'));
      expect(isPrivateFolder(join(root, 'link'))).toBe(false);
      expect(realPath(join(root, 'link'))).toBe(join(await realpath(root), 'made'));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
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
