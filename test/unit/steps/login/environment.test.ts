// The login's environment: main's own 0700 folder under RUNNER_TEMP (a temp folder that cannot take
// it fails in one sentence), the clients' environment without the key, and isolation's files exported,
// output and saved for post before any client runs. A fake host and a temp folder; Node alone.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Credential } from '../../../../src/iam/credential.ts';
import { readSettings } from '../../../../src/inputs/read.ts';
import { UserError } from '../../../../src/lib/errors.ts';
import { prepareEnvironment } from '../../../../src/steps/login/environment.ts';
import { readState } from '../../../../src/steps/state/reader.ts';
import { stateWriter } from '../../../../src/steps/state/writer.ts';
import { fakeRuntime } from '../../../fakes/runtime.ts';

const KEY = 'unit-test-api-key-0123456789abcdefghijkl';
const RUN = '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const CREDENTIAL: Credential = { username: 'iamapikey', secret: KEY, expiresAt: undefined };

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'icr-unit-env-'));
});
afterEach(() => rm(home, { recursive: true, force: true }));

async function prepare(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  const rt = fakeRuntime({ env: { HOME: home, RUNNER_TEMP: join(home, 'tmp'), PATH: '/usr/bin', IBMCLOUD_API_KEY: KEY, ...env } });
  const state = stateWriter(rt);
  state.begin(RUN);
  const settings = readSettings(
    (name) => ({ 'api-key': KEY, ...inputs })[name] ?? '',
    () => {},
    'no key',
  );
  const got = await prepareEnvironment(rt, state, RUN, settings, new Map([['us.icr.io', CREDENTIAL]]), ['docker', 'podman']);
  return { rt, ...got };
}

describe('prepareEnvironment', () => {
  it('makes main’s 0700 folder, marked with the run, and hands the clients an env without the key', async () => {
    const { rt, env, folder } = await prepare({});
    expect(folder).toBe(join(home, 'tmp', `icr-login-${RUN}`));
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect(await readFile(join(folder, '.icr-login-run'), 'utf8')).toBe(RUN);
    expect(env['IBMCLOUD_API_KEY']).toBeUndefined();
    expect(Object.values(env).some((v) => v?.includes(KEY))).toBe(false);
    expect(env['PATH']).toBe('/usr/bin');
    expect(env['DOCKER_CONFIG']).toBeUndefined();
    expect(rt.exports).toEqual({});
    expect(readState(rt).isolation).toBeUndefined();
  });

  it('with isolate, points every client and later step at files of this job’s own, and saves them for post', async () => {
    const { rt, env, folder } = await prepare({ isolate: 'true' });
    const isolation = readState(rt).isolation!;
    expect(isolation.dir.startsWith(`${folder}/`)).toBe(true);
    expect(isolation).toEqual({
      dir: isolation.dir,
      dockerConfig: join(isolation.dir, 'docker'),
      authFile: join(isolation.dir, 'auth.json'),
    });
    expect((await stat(isolation.dockerConfig)).mode & 0o777).toBe(0o700);
    expect({ DOCKER_CONFIG: env['DOCKER_CONFIG'], REGISTRY_AUTH_FILE: env['REGISTRY_AUTH_FILE'] }).toEqual({
      DOCKER_CONFIG: isolation.dockerConfig,
      REGISTRY_AUTH_FILE: isolation.authFile,
    });
    expect(rt.exports).toEqual({ DOCKER_CONFIG: isolation.dockerConfig, REGISTRY_AUTH_FILE: isolation.authFile });
    expect(rt.outputs).toEqual({ 'docker-config': isolation.dockerConfig, 'auth-file': isolation.authFile });
  });

  it('fails in one sentence, naming the folder, when the temp folder cannot take main’s folder', async () => {
    const blocked = join(home, 'a-file');
    await writeFile(blocked, '');
    const error = await prepare({}, { RUNNER_TEMP: blocked }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).title).toBe('RUNNER_TEMP');
    expect((error as UserError).message).toBe(
      `Could not create a private folder under ${blocked} (EEXIST); check that the temp folder (RUNNER_TEMP on GitHub, TMPDIR elsewhere) exists and is writable.`,
    );
  });
});
