// Every way a keyless login fails (issue 18): one line each, before any client runs, no stack trace,
// no token anywhere, and post has nothing to log out.
import { chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CR_TOKEN_REFUSALS, startEmulator, type ClusterRecord, type Emulator, type ProfileRecord } from '../emulator/index.ts';
import { Job, type StepRun } from '../harness/runner.ts';
import { expectNoLeaks, newJob, newMachine, readAuths, type Machine } from './checks.ts';
import { ciRunner } from './compute.ts';

/** Where IBM's SDKs look for a pod's token, in their order (the unit tests hold src/ to the same list). */
const DEFAULT_TOKEN_FILES = [
  '/var/run/secrets/tokens/vault-token',
  '/var/run/secrets/tokens/sa-token',
  '/var/run/secrets/codeengine.cloud.ibm.com/compute-resource-token/token',
];

let emu: Emulator;
let cluster: ClusterRecord;
let profile: ProfileRecord;
let tokenFile: (text: string) => Promise<string>;
let dir = '';
beforeAll(async () => {
  emu = await startEmulator({ registry: false });
  ({ cluster, profile, tokenFile, dir } = await ciRunner(emu));
});
afterAll(() => emu?.stop());

const metadataCalls = (): number => emu.requests.filter((r) => r.server === 'metadata').length;

/** The error lines of a failed step (one annotation per mistake), after the checks every failure shares. */
function errorLines(step: StepRun): string[] {
  expect(step.code).toBe(1);
  expect(step.stdout + step.stderr).not.toMatch(/^\s+at /m);
  return step.stdout.split('\n').filter((l) => l.startsWith('::error'));
}

/** Runs main with these keyless inputs and expects exactly this one error line; then post, the leak scan. */
async function failsWith(
  inputs: Record<string, string>,
  line: string | RegExp,
  options: { job?: Job; machine?: Machine } = {},
): Promise<StepRun> {
  const machine = options.machine ?? (await newMachine(emu));
  const job = options.job ?? (await newJob(machine));
  const main = await job.main({ registry: emu.host, 'iam-endpoint': emu.iamUrl, clients: 'skopeo', ...inputs });
  const lines = errorLines(main);
  expect(lines).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
  expect(main.outputs['logged-in']).toBe('false');
  expect(main.summary).toContain(`> ${lines[0]!.replace(/^::error title=[^:]*::/, '')}`);
  expect(await readAuths(machine.containersFile)).toEqual({});
  const post = await job.post(main);
  expect(post.stdout).toContain('Nothing to log out.');
  await expectNoLeaks(emu, job, [main, post]);
  return main;
}

describe('inputs, refused before any request', () => {
  it('an API key with identity vpc, and auth-type refresh: a line each', async () => {
    const vsi = await emu.addInstance({ defaultProfile: profile });
    const job = await newJob(await newMachine(emu));
    const before = emu.requests.length;
    const main = await job.main({
      registry: emu.host,
      identity: 'vpc',
      'metadata-endpoint': vsi.metadataUrl,
      'api-key': emu.keys.user.key,
      'auth-type': 'refresh',
    });
    expect(errorLines(main)).toEqual([
      "::error title=identity::An API key was given, but identity vpc logs in with none (the virtual server's trusted profile is the identity); drop the key, or use identity api-key.",
      '::error title=identity::auth-type refresh does not work with identity vpc: its IAM token comes without a refresh token, so the clients get the token itself (what apikey and bearer both mean here); remove auth-type.',
    ]);
    expect(main.stdout).toContain(`::add-mask::${emu.keys.user.key}`);
    expect(emu.requests.length).toBe(before);
    await expectNoLeaks(emu, job, [main]);
  });

  it('identity container without a trusted profile', async () => {
    const before = emu.requests.length;
    await failsWith(
      { identity: 'container', 'cr-token-file': await tokenFile(cluster.serviceAccountToken({ namespace: 'ci', name: 'runner' })) },
      "::error title=trusted-profile::Identity container needs input trusted-profile: the ID, CRN or name of the trusted profile whose compute-resource rule trusts this pod's service account.",
    );
    expect(emu.requests.length).toBe(before);
  });
});

describe('the metadata service', () => {
  const vpc = (url: string, inputs: Record<string, string> = {}) => ({
    identity: 'vpc',
    'metadata-endpoint': url,
    timeout: '3',
    ...inputs,
  });

  it('disabled (it never answers): says it must be enabled, within the timeout', async () => {
    const vsi = await emu.addInstance({ defaultProfile: profile, enabled: false });
    const main = await failsWith(
      vpc(vsi.metadataUrl),
      new RegExp(
        `^::error title=metadata service::The metadata service at ${vsi.metadataUrl} could not be reached \\(try 1: no answer in time(; try 2: no answer in time)?\\); it is off until enabled: turn it on for this virtual server \\(ibmcloud is instance-update INSTANCE --metadata-service true\\), and check metadata-endpoint \\(https works only with the service's secure access\\)\\.$`,
      ),
    );
    expect(main.elapsedMs).toBeLessThan(20_000); // not a benchmark: a 3 s bound, not the default 60 s
  });

  it('unreachable (nothing listens): the same advice, with what each try saw', async () => {
    const vsi = await emu.addInstance({ defaultProfile: profile });
    await vsi.setReachability('refuse');
    await failsWith(
      vpc(vsi.metadataUrl),
      /could not be reached \(try 1: connect ECONNREFUSED [^;]+; try 2: connect ECONNREFUSED .*\); it is off until enabled/,
    );
  });

  it('no profile named and none linked by default: its own words, and what to do', async () => {
    const vsi = await emu.addInstance({ profiles: [profile] });
    await failsWith(
      vpc(vsi.metadataUrl),
      `::error title=metadata service::The metadata service at ${vsi.metadataUrl} gave no IAM token for the instance's default trusted profile (400 missing_field: A trusted profile ID was not passed in the request body.); give this virtual server a default trusted profile, or set trusted-profile to the ID or CRN of a profile linked to it.`,
    );
  });

  it.each([
    ['a profile not linked to it', () => emu.addProfile({ name: 'elsewhere', policies: [] }).id],
    ['a profile IAM does not know', () => 'Profile-00000000-0000-4000-8000-000000000000'],
  ])('%s: its own words, and to link it', async (_what, id) => {
    const vsi = await emu.addInstance({ defaultProfile: profile });
    const ref = id();
    await failsWith(
      vpc(vsi.metadataUrl, { 'trusted-profile': ref }),
      `::error title=metadata service::The metadata service at ${vsi.metadataUrl} gave no IAM token for trusted profile ${ref} (400 profile_not_linked: The virtual server instance is not linked to the specified trusted profile.); link ${ref} to this virtual server (a trusted profile link or rule of type VSI) or name a profile that is linked to it in trusted-profile.`,
    );
  });

  const vpcError = (status: number, code: string, message: string) => ({
    status,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ errors: [{ code, message }], status_code: status, trace: 't' }),
  });

  it('a 403 to the identity token: its own words', async () => {
    const vsi = await emu.addInstance({ defaultProfile: profile });
    emu.inject('metadata', { match: { method: 'PUT' }, ...vpcError(403, 'forbidden', 'Access to the identity service is not allowed.') });
    await failsWith(
      vpc(vsi.metadataUrl),
      `::error title=metadata service::The metadata service at ${vsi.metadataUrl} refused to issue an instance identity token (403 forbidden: Access to the identity service is not allowed.); check metadata-endpoint, and report it if it persists.`,
    );
    emu.clearFaults();
  });

  it('a 401 to the exchange: the identity token it had just issued, refused', async () => {
    const vsi = await emu.addInstance({ defaultProfile: profile });
    emu.inject('metadata', { match: { method: 'POST' }, ...vpcError(401, 'unauthenticated', 'The provided token is invalid or expired.') });
    await failsWith(
      vpc(vsi.metadataUrl),
      `::error title=metadata service::The metadata service at ${vsi.metadataUrl} refused the instance identity token it had just issued (401 unauthenticated: The provided token is invalid or expired.); run the job again, and check the virtual server's clock if it persists.`,
    );
    emu.clearFaults();
  });

  it('neither API version served: both 404s named', async () => {
    const vsi = await emu.addInstance({ defaultProfile: profile, versions: [] });
    const before = metadataCalls();
    await failsWith(
      vpc(vsi.metadataUrl),
      `::error title=metadata service::The metadata service at ${vsi.metadataUrl} answered 404 for both identity APIs, 2022-03-01 (/instance_identity/v1/token) and 2025-08-26 (/identity/v1/token); check metadata-endpoint, and that this is a VPC virtual server.`,
    );
    expect(metadataCalls() - before).toBe(2);
  });
});

describe('the token file', () => {
  const container = (inputs: Record<string, string>) => ({ identity: 'container', 'trusted-profile': profile.id, ...inputs });

  it('missing from every default path: names each one tried (none exists on this machine)', async () => {
    expect(DEFAULT_TOKEN_FILES.filter((p) => existsSync(p))).toEqual([]);
    await failsWith(
      container({}),
      `::error title=cr-token-file::Identity container found no compute-resource token: none of ${DEFAULT_TOKEN_FILES.join(', ')} exists; mount a projected service-account token with audience iam at one of them, or name the file in cr-token-file.`,
    );
  });

  it('missing where cr-token-file says', async () => {
    const path = join(dir, 'not-there');
    await failsWith(
      container({ 'cr-token-file': path }),
      `::error title=cr-token-file::The compute-resource token file ${path} does not exist (input cr-token-file); mount a projected service-account token with audience iam there, or correct the path.`,
    );
  });

  it('empty', async () => {
    const path = await tokenFile('\n');
    await failsWith(
      container({ 'cr-token-file': path }),
      new RegExp(`^::error title=cr-token-file::The compute-resource token file ${path} is empty; the kubelet writes`),
    );
  });

  it('unreadable by the user the job runs as', async () => {
    const path = await tokenFile(cluster.serviceAccountToken({ namespace: 'ci', name: 'runner' }));
    await chmod(path, 0o600);
    const machine = await newMachine(emu);
    const { NODE_EXTRA_CA_CERTS: _ca, ...env } = machine.env;
    const job = await Job.create({ env, user: { uid: 65534, gid: 65534 } });
    await failsWith(
      container({ 'cr-token-file': path }),
      `::error title=cr-token-file::The compute-resource token file ${path} cannot be read (EACCES); let the user the job runs as read it (the projected volume's defaultMode, or the pod's fsGroup).`,
      { job, machine },
    );
  });
});

describe('IAM', () => {
  const container = async (sa: { namespace?: string; name?: string; audience?: string; expiresIn?: number }, ref = profile.id) => {
    const path = await tokenFile(cluster.serviceAccountToken({ namespace: 'ci', name: 'runner', ...sa }));
    return { inputs: { identity: 'container', 'trusted-profile': ref, 'cr-token-file': path }, path };
  };
  const check =
    'check that the profile has a compute-resource rule or link trusting this cluster, namespace and service account, and that the token has audience iam and lives an hour or less.';

  it.each([
    ['expired', { expiresIn: 0 }],
    ['audience', { audience: 'vault' }],
  ] as const)('refusing the token (%s): IAM’s code and words', async (fault, sa) => {
    const { inputs, path } = await container(sa);
    const r = CR_TOKEN_REFUSALS[fault];
    await failsWith(
      inputs,
      `::error title=IAM::IAM refused the compute-resource token from ${path} for trusted profile ${profile.id} (${r.code}: ${r.message} ${r.details}); ${check}`,
    );
  });

  it('a token no cluster IAM knows signed', async () => {
    const other = 'eyJhbGciOiJSUzI1NiIsImtpZCI6InVua25vd24ifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6Y2k6cnVubmVyIn0.c2ln';
    const path = await tokenFile(other);
    await failsWith(
      { identity: 'container', 'trusted-profile': profile.id, 'cr-token-file': path },
      new RegExp(
        `^::error title=IAM::IAM refused the compute-resource token from ${path} for trusted profile ${profile.id} \\(\\S+: ${CR_TOKEN_REFUSALS.invalid.message.replace(/\./g, '\\.')}`,
      ),
    );
  });

  const refusals: [string, string, () => string][] = [
    ['a service account no rule trusts', 'deployer', () => profile.id],
    ['a profile name IAM does not know', 'runner', () => 'no-such-profile'],
  ];
  it.each(refusals)('refusing the profile (%s): what IAM said, with the identity it saw', async (_what, account, ref) => {
    const { inputs, path } = await container({ name: account }, ref());
    const main = await failsWith(
      inputs,
      new RegExp(
        `^::error title=IAM::IAM refused the compute-resource token from ${path} for trusted profile ${ref()} \\(BXNIM0398E: Selected trusted profile not eligible\\. The given token with identifier '${cluster.name}:ci:${account}:[^']+' is not permitted to assume the indicated trusted profile; .*\\); ${check.replace(/[.()]/g, '\\$&')}$`,
      ),
    );
    expect(main.summary).toContain('docs/troubleshooting.md');
  });

  it('a timeout: IAM never answers, bounded by input timeout', async () => {
    const { inputs } = await container({});
    await emu.setIamReachability('silent');
    try {
      const main = await failsWith(
        { ...inputs, timeout: '3' },
        new RegExp(
          `^::error title=IAM::Could not get a token from IAM at ${emu.iamUrl} \\(try 1: no answer in time.*\\); check the runner's network and proxy settings, or IBM Cloud status\\.$`,
        ),
      );
      expect(main.elapsedMs).toBeLessThan(20_000); // not a benchmark: the 3 s bound held
    } finally {
      await emu.setIamReachability('up');
    }
  });
});
