// IBM Cloud's IAM as users meet it: out of reach behind a firewall, trusted profiles of another
// account, refusals in both error shapes, keys that are disabled, expired or locked (issue 10).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { iamErrorFault, startEmulator, type Emulator } from '../emulator/index.ts';
import type { StepRun } from '../harness/runner.ts';
import pkg from '../../package.json' with { type: 'json' };
import { emulatorInputs, expectNoLeaks, expectPushRefused, iamCalls, newJob, newMachine, pushAndPull, type Machine } from './checks.ts';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ hostCount: 1 });
});
afterEach(async () => {
  emu?.clearFaults();
  await emu?.setIamReachability('up');
});
afterAll(async () => emu?.stop());

const errorLine = (s: StepRun): string => s.stdout.split('\n').find((l) => l.startsWith('::error')) ?? '';
const warningLines = (s: StepRun): string[] => s.stdout.split('\n').filter((l) => l.startsWith('::warning'));
const tokenRequests = (from: number): number => emu.requests.slice(from).filter((r) => r.path.startsWith('/oauth/token')).length;

/** Runs main with skopeo, and post; checks for leaks. */
async function step(inputs: Record<string, string>): Promise<{ main: StepRun; machine: Machine; post: () => Promise<StepRun> }> {
  const machine = await newMachine(emu);
  const job = await newJob(machine);
  const main = await job.main(emulatorInputs(emu, { clients: 'skopeo', ...inputs }));
  const post = async (): Promise<StepRun> => {
    const run = await job.post(main);
    await expectNoLeaks(emu, job, [main, run]);
    return run;
  };
  return { main, machine, post };
}

describe('IAM out of reach', () => {
  it.each(['refuse', 'reset', 'silent'] as const)(
    'IAM unreachable (%s): warns in one line, logs in anyway, account-id empty',
    async (how) => {
      await emu.setIamReachability(how);
      const { main, machine, post } = await step({ timeout: '4' });
      expect(main.code).toBe(0);
      const warnings = warningLines(main);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /^::warning title=IAM::IAM at https:\/\/127\.0\.0\.1:\d+ could not be reached, so the API key goes to the registry unchecked/,
      );
      expect(main.outputs['account-id']).toBe('');
      expect(main.outputs['logged-in']).toBe('true');
      await emu.setIamReachability('up');
      await pushAndPull(machine, machine.containersFile, emu.host, `ns/unreached-${how}:1`);
      await post();
      await expectPushRefused(machine, machine.containersFile, emu.host, `ns/unreached-${how}:2`);
    },
  );

  it('a trusted profile logs in too when IAM is out of reach', async () => {
    await emu.setIamReachability('refuse');
    const { main, machine, post } = await step({ 'api-key': emu.keys.foreign.key, 'trusted-profile': emu.profileId, timeout: '4' });
    expect(main.code).toBe(0);
    expect(warningLines(main)).toHaveLength(1);
    expect(main.outputs['account-id']).toBe('');
    await pushAndPull(machine, machine.containersFile, emu.host, 'ns/unreached-profile:1');
    await post();
  });

  it('IAM that answers 503 on every try is an outage: the step fails naming IAM and the status', async () => {
    const busy = { status: 503, headers: { 'Retry-After': '0' }, body: 'busy' };
    emu.inject('iam', busy, busy, busy, busy, busy);
    const before = emu.requests.length;
    const { main, post } = await step({});
    expect(main.code).toBe(1);
    expect(errorLine(main)).toMatch(/^::error title=IAM::Could not get a token from IAM at .*try 5: 503 with/);
    expect(warningLines(main)).toEqual([]);
    expect(tokenRequests(before)).toBe(0);
    await post();
  });

  it('auth-type bearer needs IAM: it still fails', async () => {
    await emu.setIamReachability('refuse');
    const before = emu.requests.length;
    const { main, post } = await step({ 'auth-type': 'bearer', timeout: '4' });
    expect(main.code).toBe(1);
    expect(errorLine(main)).toMatch(/^::error title=IAM::Could not get a token from IAM at .*ECONNREFUSED/);
    expect(tokenRequests(before)).toBe(0);
    await post();
  });
});

describe('trusted profiles across accounts', () => {
  it("proves the trust with IAM's assume grant; account-id is the profile's account, not the service ID's", async () => {
    expect(emu.keys.foreign.accountId).not.toBe(emu.accounts.main.id);
    const { main, machine, post } = await step({ 'api-key': emu.keys.foreign.key, 'trusted-profile': emu.profileId });
    expect(main.code).toBe(0);
    expect(main.outputs['account-id']).toBe(emu.accounts.main.id);
    expect(main.stdout).toContain(`IAM accepted the API key as trusted profile ${emu.profileId} of account ${emu.accounts.main.id}.`);
    await pushAndPull(machine, machine.containersFile, emu.host, 'ns/foreign-profile:1');
    await post();
  });

  it('a profile that does not trust the service ID fails in one line naming it, before any client runs', async () => {
    const profile = emu.addProfile({ trusts: [] });
    const before = emu.requests.length;
    const { main, post } = await step({ 'api-key': emu.keys.foreign.key, 'trusted-profile': profile.id });
    expect(main.code).toBe(1);
    expect(errorLine(main)).toMatch(
      new RegExp(
        `^::error title=IAM::IAM refused the key's service ID as trusted profile ${profile.id} \\(BXNIM\\d+E: [^)]+\\); check that the profile trusts this service ID`,
      ),
    );
    expect(tokenRequests(before)).toBe(0);
    await post();
  });
});

describe("IAM's requests and answers", () => {
  it('names icr-login and its version to IAM', async () => {
    const before = emu.requests.length;
    const { main, post } = await step({});
    expect(main.code).toBe(0);
    const iam = emu.requests.slice(before).filter((r) => r.server === 'iam');
    expect(iam.length).toBeGreaterThan(0);
    for (const r of iam) expect(r.userAgent).toBe(`icr-login/${pkg.version}`);
    await post();
  });

  it('accepts an iam-endpoint that ends in /identity/token, as IBM SDKs do', async () => {
    const before = emu.requests.length;
    const { main, post } = await step({ 'iam-endpoint': `${emu.iamUrl}/identity/token` });
    expect(main.code).toBe(0);
    expect(
      emu.requests
        .slice(before)
        .filter((r) => r.server === 'iam')
        .map((r) => r.path),
    ).toEqual(['/identity/token']);
    await post();
  });

  const refusals = [400, 401, 403].flatMap((status) => (['identity', 'platform'] as const).map((shape) => ({ status, shape })));
  it.each(refusals)('IAM $status in the $shape shape reads as a refused key, once, no client run', async ({ status, shape }) => {
    emu.inject('iam', iamErrorFault({ status, code: 'BXNIM0415E', message: 'Provided API key could not be found.', shape }));
    const calls = iamCalls(emu);
    const before = emu.requests.length;
    const { main, post } = await step({});
    expect(main.code).toBe(1);
    expect(iamCalls(emu) - calls).toBe(1);
    expect(errorLine(main)).toContain(
      '::error title=IAM::IAM rejected the API key (BXNIM0415E: Provided API key could not be found.); check the api-key secret, and that the key still exists, is enabled and has not expired.',
    );
    expect(main.stdout).not.toContain('check iam-endpoint');
    expect(tokenRequests(before)).toBe(0);
    await post();
  });

  it.each(['disabled', 'expired', 'deleted'] as const)('a %s key is refused by IAM in the refused-key line', async (state) => {
    const key = emu.addKey({ policies: [{ role: 'Writer' }] });
    emu.setKeyState(key.key, state);
    const { main, post } = await step({ 'api-key': key.key });
    expect(main.code).toBe(1);
    expect(errorLine(main)).toMatch(
      /^::error title=IAM::IAM rejected the API key \(\w+: [^)]+\); check the api-key secret, and that the key still exists, is enabled and has not expired\.$/,
    );
    await post();
  });

  it('a locked key still logs in and pushes', async () => {
    const key = emu.addKey({ policies: [{ role: 'Writer' }] });
    emu.setKeyState(key.key, 'locked');
    const { main, machine, post } = await step({ 'api-key': key.key });
    expect(main.code).toBe(0);
    await pushAndPull(machine, machine.containersFile, emu.host, 'ns/locked:1');
    await post();
  });
});
