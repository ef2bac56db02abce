// IAM under load, broken answers, slow networks and proxies: retried where it may pass, clear where it cannot.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { startConnectProxy, type ConnectProxy } from '../harness/connect-proxy.ts';
import type { StepRun } from '../harness/runner.ts';
import { installSpy } from '../harness/spy.ts';
import { emulatorInputs, expectNoLeaks, iamCalls, newJob, newMachine } from './checks.ts';

let emu: Emulator;
let proxy: ConnectProxy;
beforeAll(async () => {
  emu = await startEmulator({ registry: false });
  proxy = await startConnectProxy();
});
afterEach(() => emu?.clearFaults());
afterAll(async () => {
  await proxy?.stop();
  await emu?.stop();
});

async function step(inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<{ main: StepRun; calls: number }> {
  const before = iamCalls(emu);
  const machine = await newMachine(emu);
  const job = await newJob(machine, env);
  const main = await job.main(emulatorInputs(emu, { clients: 'skopeo', ...inputs }));
  const post = await job.post(main);
  await expectNoLeaks(emu, job, [main, post]);
  return { main, calls: iamCalls(emu) - before };
}

const errorLine = (s: StepRun): string => s.stdout.split('\n').find((l) => l.startsWith('::error')) ?? '';

describe('IAM retries', () => {
  it('waits out 429 with Retry-After and gets through', async () => {
    emu.inject(
      'iam',
      { status: 429, headers: { 'Retry-After': '0' }, body: '{"errorCode":"BXNIM0429E","errorMessage":"Too many requests"}' },
      { status: 429, headers: { 'Retry-After': '1' } },
    );
    const { main, calls } = await step();
    expect(main.code).toBe(0);
    expect(calls).toBe(3);
  });

  it('backs off from 5xx and a reset connection, then gets through', async () => {
    emu.inject('iam', { status: 503, body: 'busy' }, { reset: true }, { status: 502, headers: { 'Retry-After': '0' } });
    const { main, calls } = await step();
    expect(main.code).toBe(0);
    expect(calls).toBe(4);
  });

  it('gives up after 4 retries and says what each try saw, in one line', async () => {
    const busy = { status: 500, headers: { 'Retry-After': '0' }, body: '{"errorCode":"BXNIM0500E","errorMessage":"Internal error"}' };
    emu.inject('iam', busy, busy, busy, busy, busy);
    const { main, calls } = await step();
    expect(calls).toBe(5);
    expect(errorLine(main)).toMatch(
      /^::error title=IAM::Could not get a token from IAM at https:\/\/127\.0\.0\.1:\d+ \(try 1: 500 with BXNIM0500E: Internal error; try 2: .*; try 5: 500 with BXNIM0500E: Internal error\); check the runner's network/,
    );
  });

  it.each([400, 401, 403])('never retries a %i that refuses the key', async (status) => {
    emu.inject('iam', {
      status,
      headers: { 'Content-Type': 'application/json' },
      body: '{"errorCode":"BXNIM0415E","errorMessage":"Provided API key could not be found."}',
    });
    const { main, calls } = await step();
    expect(calls).toBe(1);
    expect(errorLine(main)).toContain('IAM rejected the API key (BXNIM0415E: Provided API key could not be found.)');
  });

  it('does not retry 501', async () => {
    emu.inject('iam', { status: 501, body: 'not implemented' });
    const { main, calls } = await step();
    expect(calls).toBe(1);
    expect(errorLine(main)).toContain('IAM answered 501 with a body that is not IAM JSON');
  });

  it('bounds each request and the whole exchange by the timeout input', async () => {
    emu.inject('iam', { delayMs: 4000 }, { delayMs: 4000 }, { delayMs: 4000 });
    const started = Date.now();
    // bearer needs IAM, so IAM out of reach still fails it (apikey would warn and log in: e2e/iam-reach).
    const { main } = await step({ timeout: '2', 'auth-type': 'bearer' });
    expect(errorLine(main)).toMatch(/Could not get a token from IAM .*\(try 1: no answer in time/);
    expect(Date.now() - started).toBeLessThan(15_000); // not a benchmark: proves the bound ended the wait
  });
});

describe('answers that are not IAM', () => {
  it.each([
    [
      'an HTML page from a proxy',
      { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<!DOCTYPE html><html><body>Sign in to the proxy</body></html>' },
      'IAM answered 200 with an HTML page (a proxy or captive portal answering instead of IAM?)',
    ],
    [
      'truncated JSON',
      { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"access_token":"eyJhbGciOi' },
      'IAM answered 200 with a body that is not IAM JSON',
    ],
    [
      'JSON without access_token',
      { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"token_type":"Bearer","expires_in":3600}' },
      'IAM answered 200 with JSON without an access_token',
    ],
  ])('%s is a clear error, never a crash', async (_name, fault, message) => {
    emu.inject('iam', fault);
    const { main } = await step();
    expect(main.code).toBe(1);
    expect(errorLine(main)).toContain(message);
    expect(main.stdout).not.toMatch(/Unexpected error/);
  });
});

describe('answers larger than 1 MiB', () => {
  // 520 MiB: the size that crashed main with a stack trace when answers were read whole.
  const huge = { bodyBytes: 520 * 2 ** 20 };
  const noStack = (run: StepRun): void => expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

  it("from IAM's token endpoint: cut off, one line naming the host and the cap, never retried", async () => {
    emu.inject('iam', huge, huge);
    const { main, calls } = await step({ 'auth-type': 'bearer' });
    expect(main.code).toBe(1);
    const host = new URL(emu.iamUrl).host;
    expect(errorLine(main)).toBe(
      `::error title=icr-login::The answer from ${host} passed 1 MiB, far more than any answer icr-login reads, so it stopped reading it; check that ${host} is the service meant and that no proxy or portal answers in its place.`,
    );
    expect(calls).toBe(1);
    noStack(main);
  });

  it("from a registry's token service (the access check): cut off, one line, the logins still logged out", async () => {
    emu.addNamespace(emu.regions[0]!.name, 'team-a');
    // Only the access check asks for a repository's scope: the client's own login takes no fault.
    const fault = { ...huge, urlIncludes: 'scope=repository' };
    emu.inject('token', fault, fault, fault, fault, fault);
    const { main } = await step({ images: 'team-a/app' });
    expect(main.code).toBe(1);
    const lines = main.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`The access check of ${emu.host}/team-a/app failed: The answer from ${emu.host} passed 1 MiB`);
    expect(main.stdout).toContain(`skopeo logged in to ${emu.host}`);
    noStack(main);
  });
});

describe('proxies', () => {
  it.each(['HTTPS_PROXY', 'https_proxy'])(
    '%s carries the IAM exchange through a real CONNECT proxy, and clients inherit it',
    async (name) => {
      proxy.tunnels.length = 0;
      const machine = await newMachine(emu);
      const spy = await installSpy(machine.dir, ['skopeo']);
      const { main } = await step({}, { [name]: proxy.url, NO_PROXY: '', PATH: `${spy.bin}:${machine.env['PATH']}` });
      expect(main.code).toBe(0);
      expect(proxy.tunnels).toContain(new URL(emu.iamUrl).host);
      const calls = await spy.calls();
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) expect(call.env).toContain(`${name}=${proxy.url}\n`);
    },
  );

  it('NO_PROXY bypasses it', async () => {
    proxy.tunnels.length = 0;
    const { main } = await step({}, { HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1,localhost' });
    expect(main.code).toBe(0);
    expect(proxy.tunnels).toEqual([]);
  });

  it('a proxy that refuses the tunnel is a clear, retried network error', async () => {
    const { main } = await step({ timeout: '5', 'auth-type': 'bearer' }, { HTTPS_PROXY: 'http://127.0.0.1:9' });
    expect(errorLine(main)).toMatch(/Could not get a token from IAM .*\(try 1: .*ECONNREFUSED.*; try 2: /);
  });
});

describe('debug logging', () => {
  it('RUNNER_DEBUG=1 prints more and leaks nothing, retries included', async () => {
    emu.inject('iam', { status: 503, headers: { 'Retry-After': '0' } });
    const { main } = await step({ 'auth-type': 'bearer' }, { RUNNER_DEBUG: '1' });
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/^::debug::/m);
  });
});
