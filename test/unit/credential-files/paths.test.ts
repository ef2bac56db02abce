import { describe, expect, it } from 'vitest';
import { credentialsFile, pinnedTo, podmanRuntimeFile, type Platform } from '../../../src/credential-files/paths.ts';
import { platformOf } from '../../../src/credential-files/platform.ts';

const platform = (env: Record<string, string>, dirs: string[] = [], os: NodeJS.Platform = 'linux'): Platform => ({
  os,
  env,
  home: os === 'win32' ? 'C:\\Users\\u' : '/home/u',
  uid: 1001,
  isDirectory: (p) => dirs.includes(p),
  isOwnDirectory: (p) => dirs.includes(p),
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
    ['podman', {}, [], '/tmp/podman-run-1001/containers/auth.json'],
    ['skopeo', {}, [], '/tmp/podman-run-1001/containers/auth.json'],
    ['buildah', { TMPDIR: '/var/tmp' }, [], '/var/tmp/podman-run-1001/containers/auth.json'],
    ['skopeo', {}, ['/run/user/1001'], '/run/user/1001/containers/auth.json'],
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
    const p = (env: Record<string, string>, uid = 1001, dirs: string[] = []): Platform => ({ ...platform(env, dirs), uid });
    expect(podmanRuntimeFile(p({}))).toBe('/tmp/podman-run-1001/containers/auth.json');
    // /run/user/UID counts only when it belongs to the user.
    const foreign = { ...p({}, 1001, ['/run/user/1001']), isOwnDirectory: () => false };
    expect(podmanRuntimeFile(foreign)).toBe('/tmp/podman-run-1001/containers/auth.json');
    expect(podmanRuntimeFile(p({}, 1001, ['/run/user/1001']))).toBe('/run/user/1001/containers/auth.json');
    expect(podmanRuntimeFile(p({}, 0))).toBeUndefined(); // root: /run/containers/0 for all three
    expect(podmanRuntimeFile(p({ XDG_RUNTIME_DIR: '/run/user/1001' }))).toBeUndefined();
    expect(podmanRuntimeFile(p({ REGISTRY_AUTH_FILE: '/a.json' }))).toBeUndefined();
    expect(podmanRuntimeFile(p({ DOCKER_CONFIG: '/cfg' }))).toBeUndefined();
    expect(podmanRuntimeFile({ ...p({}), os: 'darwin' })).toBeUndefined();
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
