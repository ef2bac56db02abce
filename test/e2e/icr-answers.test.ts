// ICR and IAM as they answer (issue 17), each answer made in the emulator first: challenges without
// quotes, 400 for bad credentials, probe answers read by their codes, context-based restrictions,
// IAM's own reasons, every key file, and secrets too short to be credentials (issue 15, item 7).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authLayerErrorFault, nameUnknownFault, startEmulator, type Emulator } from '../emulator/index.ts';
import type { StepRun } from '../harness/runner.ts';
import { emulatorInputs, expectNoLeaks, newJob, newMachine, readAuths } from './checks.ts';

let emu: Emulator;
let US: string;
let EU: string;
beforeAll(async () => {
  // us-south answers as Distribution does, eu-de as ICR does (the default): the check must read both.
  emu = await startEmulator({
    regions: ['us-south', 'eu-de'],
    regionBehaviour: { 'us-south': { challenge: 'quoted', badCredentials: 401 } },
  });
  [US, EU] = [emu.hostOf('us-south'), emu.hostOf('eu-de')];
  for (const region of ['us-south', 'eu-de']) emu.addNamespace(region, 'team-a');
});
afterEach(() => {
  emu.clearFaults();
  emu.liftRestrictions();
});
afterAll(() => emu?.stop());

/** The step's messages, the runner's %0A turned back into new lines. */
const text = (s: { stdout: string; stderr: string }): string => `${s.stdout}\n${s.stderr}`.replace(/%0A/g, '\n').replace(/%25/g, '%');
const errors = (s: StepRun): string[] => s.stdout.split('\n').filter((l) => l.startsWith('::error'));

async function step(inputs: Record<string, string>, extraSecrets: readonly string[] = []) {
  const machine = await newMachine(emu);
  const job = await newJob(machine);
  const main = await job.main(emulatorInputs(emu, { clients: 'skopeo', ...inputs }));
  const post = await job.post(main);
  expect(post.code).toBe(0);
  expect(await readAuths(machine.containersFile)).toEqual({});
  await expectNoLeaks(emu, job, [main, post], extraSecrets);
  return { main, out: text(main) };
}

/** The probe's own token requests (the clients' logins ask for no scope). */
const PROBE_TOKEN = 'scope=repository';

describe('the access check against ICR as it answers', () => {
  it('reads the bare challenge (eu-de) and the quoted one (us-south) alike, and passes on both', async () => {
    expect(emu.behaviourOf('eu-de').challenge).toBe('unquoted');
    expect(emu.behaviourOf('us-south').challenge).toBe('quoted');
    const before = emu.requests.length;
    const { main } = await step({ images: 'team-a/app' });
    expect(main.code).toBe(0);
    expect(main.outputs['images']).toBe(`${US}/team-a/app,${EU}/team-a/app`);
    // Our probe (no client's User-Agent, so it got the bare form on eu-de) reached the token service there.
    const tokens = emu.requests.slice(before).filter((r) => r.host === EU && r.path === '/oauth/token' && r.status === 200);
    expect(tokens.some((r) => !/skopeo/.test(r.userAgent ?? ''))).toBe(true);
  });

  it('a token service that answers 400 refused the credentials: one line per host with the fix, however many images', async () => {
    // Only the probe's requests (the logins pass): ICR's 400, empty body, on every host.
    emu.inject('token', ...Array.from({ length: 4 }, () => ({ status: 400, body: '', urlIncludes: PROBE_TOKEN })));
    emu.addNamespace('us-south', 'team-b');
    emu.addNamespace('eu-de', 'team-b');
    const { main, out } = await step({ images: 'team-a/app team-b/app' });
    expect(main.code).toBe(1);
    for (const host of [US, EU]) {
      const lines = errors(main).filter((l) => l.includes(`${host} refused the credentials`));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(
        `${host} refused the credentials the clients were given (username iamapikey; HTTP 400 with no body), as ICR answers a username and password it does not accept; check that the api-key secret holds an enabled API key`,
      );
    }
    expect(out).not.toMatch(/answered HTTP 400|was denied/);
    expect(main.summary).toMatch(/\| `team-a\/app` \| ❌ credentials refused \| ❌ credentials refused \|/);
  });

  it('a login ICR refuses with 400 says the credentials are refused and which secret to check', async () => {
    // IAM out of reach: the unknown key goes to ICR unchecked, and eu-de refuses it with a bare 400.
    emu.setIamReachability('refuse');
    try {
      // A short timeout: IAM's retries give up soon, as they would against a firewall.
      const { main } = await step({ 'api-key': emu.unknownKey, registry: EU, timeout: '4', clients: 'skopeo,docker' }, [emu.unknownKey]);
      expect(main.code).toBe(1);
      const fix = '(ICR answers 400 Bad Request for a username and password it does not accept: check the api-key secret)';
      // One line per client; the annotations share the first failure's title.
      const lines = errors(main).map((l) => l.replace(/^::error title=\w+ login::/, ''));
      expect(lines.sort()).toEqual([
        `docker login to ${EU} failed: Get "https://${EU}/v2/": unknown: ${fix}.`,
        expect.stringMatching(new RegExp(`^skopeo login to ${EU} failed: .*invalid status code from registry 400 \\(Bad Request\\)`)),
      ]);
      expect(lines.every((line) => line.endsWith(`${fix}.`))).toBe(true);
    } finally {
      emu.setIamReachability('up');
    }
  });

  it('404 NAME_UNKNOWN on the push test is no yes: what the registry said, naming host and image', async () => {
    emu.inject('v2', nameUnknownFault({ region: 'us-south', repository: 'team-a/app' }));
    const { main } = await step({ images: 'team-a/app' });
    expect(main.code).toBe(1);
    expect(main.outputs['images']).toBe(`${EU}/team-a/app`);
    expect(errors(main)).toEqual([
      expect.stringContaining(
        `Push to ${US}/team-a/app could not be shown to be allowed: ${US} answered HTTP 404: NAME_UNKNOWN: repository name not known to registry, as it does for a repository or namespace it does not know; check that namespace team-a exists`,
      ),
    ]);
    expect(main.summary).toMatch(/\| `team-a\/app` \| ❌ not shown \| ✅ can push \|/);
  });

  it("Distribution's 400 with no body on the push test is no yes either", async () => {
    emu.inject('v2', authLayerErrorFault({ region: 'eu-de' }));
    const { main } = await step({ images: 'team-a/app' });
    expect(main.code).toBe(1);
    expect(main.outputs['images']).toBe(`${US}/team-a/app`);
    expect(errors(main)).toEqual([
      expect.stringContaining(
        `Push to ${EU}/team-a/app could not be shown to be allowed: ${EU} answered HTTP 400 with no body, its answer for an error in its own access control`,
      ),
    ]);
  });

  it('a context-based restriction refuses a Writer: the login succeeds, the denial names the restriction', async () => {
    const key = emu.addKey({ policies: [{ role: 'Writer' }] });
    emu.restrictAccount(emu.accounts.main.id, { allow: ['198.51.100.0/24'] });
    const { main } = await step({ 'api-key': key.key, images: 'team-a/app' });
    expect(main.code).toBe(1);
    expect(main.stdout).toContain(`skopeo logged in to ${EU} as iamapikey.`);
    for (const host of [US, EU]) {
      expect(main.stdout).toMatch(
        new RegExp(
          `Push to ${host}/team-a/app was denied \\(HTTP 403: DENIED: .*\\): the key needs the Writer role .* or a context-based restriction on the account \\(an IP or network rule\\) refuses this runner's address`,
        ),
      );
    }
  });
});

describe('IAM as it answers', () => {
  it("BXNIM0430E: the account's IP allowlist, with what to do, never 'check the api-key secret'", async () => {
    emu.restrictIamLogins(emu.accounts.main.id, ['198.51.100.0/24']);
    const { main } = await step({});
    expect(errors(main)).toEqual([
      expect.stringMatching(
        /^::error title=IAM::IAM refused to issue a token to this runner's address \(BXNIM0430E: User login from given IP address is not permitted\.\): the account allows logins only from the IP addresses it lists.*self-hosted runner.*IP address allowlist/,
      ),
    ]);
    expect(main.stdout).not.toContain('check the api-key secret');
  });

  it('BXNIM0436E: a suspended user, in its own words', async () => {
    const key = emu.addKey({ kind: 'user', policies: [{ role: 'Writer' }] });
    emu.suspendUser(key.key);
    const { main } = await step({ 'api-key': key.key });
    expect(errors(main)).toEqual([
      expect.stringMatching(
        /^::error title=IAM::IAM refused the key because its user is suspended in the account or no longer valid there \(BXNIM0436E: .*\); ask an administrator/,
      ),
    ]);
  });

  it.each(['apikey', 'apiKey', 'Apikey'])('a pasted key file whose field is %s logs in', async (field) => {
    const file = JSON.stringify({ name: 'ci-key', description: 'from CI', [field]: emu.keys.user.key }, null, 2);
    const { main } = await step({ 'api-key': file });
    expect(main.code).toBe(0);
    expect(main.outputs['registries']).toBe(`${US},${EU}`);
  });
});

describe('a secret too short to be a credential (issue 15, item 7)', () => {
  it('a 3-character registry token is refused as an answer, never masked: 127.0.0.1 stays readable', async () => {
    emu.inject(
      'token',
      ...Array.from({ length: 2 }, () => ({ status: 200, body: '{"token":"0.1","expires_in":300}', urlIncludes: PROBE_TOKEN })),
    );
    const { main } = await step({ images: 'team-a/app' });
    expect(main.code).toBe(1);
    for (const host of [US, EU]) {
      expect(main.stdout).toContain(
        `The access check of ${host}/team-a/app failed: the token service of ${host} answered a token of 3 characters, too short to be a registry token, so it was not used.`,
      );
    }
    expect(main.stdout).not.toContain('::add-mask::0.1');
    expect(main.stdout).not.toContain('***');
    expect(main.stdout).toContain(`skopeo logged in to ${US} as iamapikey.`);
    expect(main.outputs['registries']).toBe(`${US},${EU}`);
    expect(main.summary).toContain(US);
  });

  it('a 3-character IAM access token is refused as IAM’s answer, never masked', async () => {
    emu.inject('iam', { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"access_token":"127","expires_in":3600}' });
    const { main } = await step({});
    expect(errors(main)).toEqual([
      '::error title=IAM::IAM answered 200 with an access_token of 3 characters, too short to be an IAM token; check iam-endpoint and any proxy between the runner and IAM.',
    ]);
    expect(main.stdout).not.toContain('::add-mask::127');
    expect(main.stdout).not.toContain('***');
  });
});
