// Every bad input and failure: one clear line, no stack trace, no secret, and post cleans up what did log in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startEmulator, type Emulator } from '../emulator/index.ts';
import type { StepRun } from '../harness/runner.ts';
import { emulatorInputs, expectNoLeaks, iamCalls, newJob, newMachine, pathWith, readAuths } from './checks.ts';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu?.stop());

/** The step failed with exactly one error annotation, and returns its text. */
function oneError(step: StepRun): string {
  expect(step.code).toBe(1);
  const errors = step.stdout.split('\n').filter((l) => l.startsWith('::error'));
  expect(errors).toHaveLength(1);
  expect(step.stdout + step.stderr).not.toMatch(/^\s+at /m);
  return errors[0]!;
}

describe('failures', () => {
  it('a key IAM does not know: IAM’s own code and words, no client runs', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { 'api-key': emu.unknownKey }));
    expect(oneError(main)).toMatch(
      /^::error title=IAM::IAM rejected the API key \(BXNIM0415E: Provided API key could not be found\.\); check the api-key secret/,
    );
    expect(main.summary).toContain('> IAM rejected the API key (BXNIM0415E');
    expect(main.summary).toContain('docs/troubleshooting.md');
    expect(main.outputs['logged-in']).toBe('false');
    expect(await readAuths(machine.dockerFile)).toEqual({});
    const post = await job.post(main);
    expect(post.stdout).toContain('Nothing to log out.');
    await expectNoLeaks(emu, job, [main, post], [emu.unknownKey]);
  });

  it('an empty key: one line naming the usual causes (forks, reusable workflows, environments, a misspelt name)', async () => {
    const job = await newJob(await newMachine(emu));
    const main = await job.main(emulatorInputs(emu, { 'api-key': '' }));
    const line = oneError(main);
    expect(line).toMatch(
      /^::error title=api-key::Input api-key is empty: the secret did not reach this step\. The usual causes: a pull request from a fork /,
    );
    for (const cause of [
      'guard the step with `if: ',
      'missing-key: skip',
      'without `secrets:` (or `secrets: inherit`)',
      'a job without `environment:`',
      'a misspelt secret name.',
    ])
      expect(line).toContain(cause);
    expect((await job.post(main)).code).toBe(0);
  });

  it('missing-key: skip warns, logs nothing in and says logged-in=false', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const before = iamCalls(emu);
    const main = await job.main(emulatorInputs(emu, { 'api-key': '  ', 'missing-key': 'skip' }));
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/^::warning title=api-key::Input api-key is empty and input missing-key is skip/m);
    expect(main.outputs['logged-in']).toBe('false');
    expect(iamCalls(emu)).toBe(before);
    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(post.stdout).toContain('Nothing to log out.');
    expect(await readAuths(machine.dockerFile)).toEqual({});
    expect(await readAuths(machine.containersFile)).toEqual({});
  });

  it('a listed client that is missing fails at once, without waiting out IAM', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine, { PATH: await pathWith(machine.dir, ['docker']) });
    emu.inject('iam', { delayMs: 20_000 });
    const main = await job.main(emulatorInputs(emu, { clients: 'podman' }));
    emu.clearFaults();
    expect(oneError(main)).toContain('Client podman is listed in input clients but not installed');
    expect(main.elapsedMs).toBeLessThan(15_000); // not a benchmark: the 20 s IAM answer was not waited for
  });

  it.each([
    ['surrounded by spaces and newlines', (k: string) => `\n  ${k} \r\n`],
    [
      'as the JSON key file IBM Cloud offers',
      (k: string) => JSON.stringify({ name: 'ci-pusher', description: 'pushes from CI', apikey: k }, null, 2),
    ],
  ])('a key %s logs in, and every part of it is masked', async (_what, paste) => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { 'api-key': paste(emu.keys.user.key), clients: 'skopeo' }));
    expect(main.code).toBe(0);
    expect(main.stdout).toContain(`::add-mask::${emu.keys.user.key}`);
    if (_what.startsWith('as the JSON')) expect(main.stdout).toContain('::add-mask::pushes from CI');
    const post = await job.post(main);
    await expectNoLeaks(emu, job, [main, post], ['ci-pusher', 'pushes from CI']);
  });

  it('auth-type refresh where IAM issues no refresh token (as real IAM does now): says so and what to use', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const main = await job.main(emulatorInputs(emu, { 'auth-type': 'refresh', clients: 'skopeo' }));
    expect(oneError(main)).toContain('::error title=auth-type::IAM issued no refresh token for this API key');
    expect(await readAuths(machine.containersFile)).toEqual({});
    await expectNoLeaks(emu, job, [main]);
  });

  it('an access token pasted as the key is refused with a hint, and never printed', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJpYW1faWQiOiJJQk1pZC0xIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const main = await job.main(emulatorInputs(emu, { 'api-key': token }));
    expect(oneError(main)).toContain('Input api-key holds a JWT (an IAM access token, by its shape), not an API key');
    await expectNoLeaks(emu, job, [main], [token]);
  });

  it('an unknown region: names it, suggests the nearest, lists the valid ones, before asking IAM', async () => {
    const job = await newJob(await newMachine(emu));
    const before = iamCalls(emu);
    const main = await job.main({ 'api-key': emu.keys.user.key, region: 'us-south eu-dee', 'iam-endpoint': emu.iamUrl });
    expect(oneError(main)).toContain('Unknown region "eu-dee". Did you mean "eu-de"? Valid regions: global, ap-north, jp-tok,');
    expect(iamCalls(emu)).toBe(before);
  });

  it('an unknown client', async () => {
    const job = await newJob(await newMachine(emu));
    const main = await job.main(emulatorInputs(emu, { clients: 'docker, podmann' }));
    expect(oneError(main)).toContain('Unknown client "podmann" in input clients. Did you mean "podman"?');
  });

  it('a listed client that is not installed', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine, { PATH: await pathWith(machine.dir, ['docker']) });
    const main = await job.main(emulatorInputs(emu, { clients: 'docker,podman' }));
    expect(oneError(main)).toContain('Client podman is listed in input clients but not installed (not found on PATH)');
    expect(await readAuths(machine.dockerFile)).toEqual({});
  });

  it('auto logs in every client found on PATH', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine, { PATH: await pathWith(machine.dir, ['skopeo', 'docker']) });
    const main = await job.main(emulatorInputs(emu));
    expect(main.code).toBe(0);
    expect(main.outputs['clients']).toBe('docker,skopeo');
    await job.post(main);
  });

  it('an unreachable registry: the client, the host and the client’s own error', async () => {
    const machine = await newMachine(emu);
    const job = await newJob(machine);
    const host = `127.0.0.1:${await freePort()}`;
    const main = await job.main(emulatorInputs(emu, { registry: host, clients: 'podman' }));
    expect(oneError(main)).toMatch(
      new RegExp(`^::error title=podman login::podman login to ${host.replace(/\./g, '\\.')} failed: .*connection refused`),
    );
    expect(main.summary).toContain('❌');
    // The login was saved before podman started, and its failure the moment it was known: post reads
    // the entry, finds nothing, and says the login never happened, running no client.
    const post = await job.post(main);
    expect(post.stdout).toContain(`podman: never logged in (${host}).`);
  });

  it('a client that fails after another succeeded: the step fails, post still logs the first out', async () => {
    const machine = await newMachine(emu);
    // podman cannot write its credentials file under /dev/null; docker can write its own.
    const job = await newJob(machine, { REGISTRY_AUTH_FILE: '/dev/null/auth.json' });
    const main = await job.main(emulatorInputs(emu, { clients: 'docker,podman' }));
    expect(oneError(main)).toMatch(
      /^::error title=podman login::podman login to 127\.0\.0\.1:\d+ failed: .+\. The logins that succeeded are logged out by the post step\.$/,
    );
    expect(Object.keys(await readAuths(machine.dockerFile))).toEqual([emu.host]);
    // Both logins were saved before their clients started; post logs out docker's, and podman's never happened.
    const logins = Object.entries(main.state).filter(([n]) => n.startsWith('login_'));
    expect(logins.map(([, v]) => JSON.parse(v).client).sort()).toEqual(['docker', 'podman']);
    expect(main.outputs['logged-in']).toBe('false');
    expect(main.summary).toMatch(/✅ logged in \| ❌ podman login/);
    const post = await job.post(main);
    expect(post.code).toBe(0);
    expect(post.stdout).toContain(`docker: logged out (${emu.host}).`);
    expect(post.stdout).toContain(`podman: never logged in (${emu.host}).`);
    expect(await readAuths(machine.dockerFile)).toEqual({});
    await expectNoLeaks(emu, job, [main, post]);
  });

  it.each([
    [{ logout: 'maybe' }, 'Input logout must be true or false, not "maybe".'],
    [{ 'auth-type': 'token' }, 'Input auth-type must be one of apikey, bearer, refresh, not "token".'],
    [
      { 'trusted-profile': 'Profile-1a2b3c4d-1111-2222-3333-444455556666', 'auth-type': 'bearer' },
      'Input trusted-profile works only with auth-type apikey',
    ],
    [{ 'private-endpoint': 'true' }, 'Inputs registry and private-endpoint cannot be used together'],
    [{ registry: 'us.icr.io/ns' }, 'has a path'],
    [{ registry: 'http://us.icr.io' }, 'uses http://'],
    [{ registry: 'us.icr.io,US.icr.io' }, 'Registry us.icr.io is listed twice'],
    [{ timeout: '-1' }, 'Input timeout must be a number of seconds'],
  ])('refuses %j with one line', async (inputs, message) => {
    const job = await newJob(await newMachine(emu));
    const main = await job.main(emulatorInputs(emu, inputs));
    expect(oneError(main)).toContain(message);
    expect(main.summary).toContain(message);
    await expectNoLeaks(emu, job, [main]);
  });
});
