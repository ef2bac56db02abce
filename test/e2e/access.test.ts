// Input images: the registry itself says whether the key can push (or pull) each image in each region,
// before the build; denials fail the step with the fix, namespaces are created on request, quotas warn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { emulatorInputs, expectNoLeaks, iamCalls, newJob, newMachine } from './checks.ts';

let emu: Emulator;
let US: string;
let EU: string;
beforeAll(async () => {
  emu = await startEmulator({ regions: ['us-south', 'eu-de'] });
  [US, EU] = [emu.hostOf('us-south'), emu.hostOf('eu-de')];
  for (const region of ['us-south', 'eu-de']) {
    emu.addNamespace(region, 'team-a');
    emu.addNamespace(region, 'team-b');
  }
  emu.addNamespace('us-south', 'their-ns', { accountId: emu.accounts.other.id });
});
afterAll(() => emu?.stop());

/** The step's messages, the runner's %0A turned back into new lines. */
const text = (s: { stdout: string; stderr: string }): string => `${s.stdout}\n${s.stderr}`.replace(/%0A/g, '\n').replace(/%25/g, '%');

async function step(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const machine = await newMachine(emu);
  const job = await newJob(machine);
  const main = await job.main(emulatorInputs(emu, { clients: 'skopeo', ...inputs }), env);
  const post = await job.post(main);
  expect(post.code).toBe(0);
  expect(text(post)).toMatch(/logged out|Nothing to log out/);
  await expectNoLeaks(emu, job, [main, post]);
  return { main, out: text(main) };
}

const uploadsOf = (repo: string) => emu.requests.filter((r) => r.path.startsWith(`/v2/${repo}/blobs/uploads/`));

describe('access check', () => {
  it('Writer on one namespace: passes there, the other is denied with the Writer line; no upload is opened', async () => {
    const key = emu.addKey({ policies: [{ role: 'Writer', namespace: 'team-a' }] });
    const { main, out } = await step({ 'api-key': key.key, images: 'team-a/app team-b/app' });
    expect(main.code).toBe(1);
    expect(main.outputs['images']).toBe(`${US}/team-a/app,${EU}/team-a/app`);
    for (const host of [US, EU]) {
      expect(out).toMatch(new RegExp(`Push to ${host}/team-b/app was denied \\(.*\\): the key needs the Writer role on namespace team-b`));
      expect(out).toContain('--roles Writer --service-name container-registry');
      expect(out).not.toContain(`Push to ${host}/team-a/app`);
    }
    expect(main.summary).toMatch(/\| `team-a\/app` \| ✅ can push \| ✅ can push \|/);
    expect(main.summary).toMatch(/\| `team-b\/app` \| ❌ denied \| ❌ denied \|/);
    // The registry answered the push test on each host, and no upload was ever opened: the test stores
    // nothing and needs push alone (a cancel would need delete too).
    const tested = uploadsOf('team-a/app').filter((r) => r.method === 'PUT');
    expect(tested.map((r) => r.status)).toEqual([404, 404]);
    expect(uploadsOf('team-a/app').filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('Reader only: pull passes, push is denied with the role needed', async () => {
    const pull = await step({ 'api-key': emu.keys.reader.key, images: 'team-a/app', access: 'pull' });
    expect(pull.main.code).toBe(0);
    expect(pull.main.outputs['images']).toBe(`${US}/team-a/app,${EU}/team-a/app`);
    expect(pull.out).toContain('The key can pull from');
    const push = await step({ 'api-key': emu.keys.reader.key, images: 'team-a/app' });
    expect(push.main.code).toBe(1);
    expect(push.out).toMatch(/needs the Writer role on namespace team-a in the region of/);
    expect(push.main.outputs['images']).toBe('');
  });

  it('a role in one region only: that region passes, the other is denied', async () => {
    const key = emu.addKey({ policies: [{ role: 'Writer', region: 'us-south' }] });
    const { main, out } = await step({ 'api-key': key.key, images: 'team-a/app' });
    expect(main.code).toBe(1);
    expect(main.outputs['images']).toBe(`${US}/team-a/app`);
    expect(out).toContain(`Push to ${EU}/team-a/app was denied`);
    expect(out).not.toContain(`Push to ${US}/team-a/app`);
  });

  it('a missing namespace: says it does not exist; with create-namespace it is created, reported and passes', async () => {
    const without = await step({ images: 'new-space/app' });
    expect(without.main.code).toBe(1);
    expect(without.out).toMatch(
      /namespace new-space does not exist in the region of .* for this account; create it with: .*ibmcloud cr namespace-add new-space, or set input create-namespace: true/,
    );
    expect(emu.namespaces('us-south').map((n) => n.name)).not.toContain('new-space');

    const created = await step({ images: 'new-space/app', 'create-namespace': 'true' });
    expect(created.main.code).toBe(0);
    for (const host of [US, EU]) expect(created.out).toContain(`Created namespace new-space in the region of ${host}.`);
    expect(created.main.outputs['images']).toBe(`${US}/new-space/app,${EU}/new-space/app`);
    expect(created.main.summary).toContain('✅ created, can push');
    for (const region of ['us-south', 'eu-de']) expect(emu.namespaces(region).map((n) => n.name)).toContain('new-space');
  });

  it("another account's namespace is one clear line", async () => {
    const { main, out } = await step({ images: 'their-ns/app', 'create-namespace': 'true', registry: US });
    expect(main.code).toBe(1);
    expect(out).toContain(`Namespace their-ns in the region of ${US} belongs to another IBM Cloud account`);
  });

  it('a quota nearly full warns with its figures; a key scoped to a namespace gets only a debug line', async () => {
    emu.setQuota('eu-de', { limit: { storage_bytes: 10e9 }, usage: { storage_bytes: 9.5e9 } });
    try {
      const { main, out } = await step({ images: 'team-a/app' });
      expect(main.code).toBe(0);
      expect(out).toMatch(
        new RegExp(`::warning title=quota::The account has used 95 % of its storage quota in the region of ${EU} \\(9.5 GB of 10.0 GB\\)`),
      );
      expect(out).not.toContain(`storage quota in the region of ${US}`);
      expect(main.summary).toContain('storage 95 %');

      const key = emu.addKey({ policies: [{ role: 'Writer', namespace: 'team-a' }] });
      const scoped = await step({ 'api-key': key.key, images: 'team-a/app' }, { RUNNER_DEBUG: '1' });
      expect(scoped.main.code).toBe(0);
      expect(scoped.out).not.toContain('::warning');
      expect(scoped.out).toMatch(/::debug::ICR did not show the quota of .* to this key/);
    } finally {
      emu.setQuota('eu-de', { limit: { storage_bytes: -1 }, usage: { storage_bytes: 0 } });
    }
  });

  it('bad images values: one line each, before IAM', async () => {
    const before = iamCalls(emu);
    const { main, out } = await step({ images: 'quay.io/team-a/app,team-a/app:1,Team-A/app,abc/app' });
    expect(main.code).toBe(1);
    expect(out).toContain('names "quay.io", which is neither an ICR domain (like us.icr.io) nor listed in input registry');
    expect(out).toContain('has a tag');
    expect(out).toContain('upper-case letters');
    expect(out).toContain(`Namespace "abc" of image "abc/app" breaks ICR's rules`);
    expect(iamCalls(emu)).toBe(before);
  });
});

describe('full references in images', () => {
  const DIGEST = `sha256:${'0'.repeat(64)}`;
  /** Every request about `repo` the registry on `host` answered since request number `since`. */
  const probesOf = (since: number, host: string, repo: string) =>
    emu.requests.slice(since).filter((r) => r.host === host && r.path.startsWith(`/v2/${repo}/`));

  it('an image naming its host is checked on that host only (tag or digest ignored); one without, on every host', async () => {
    const since = emu.requests.length;
    const { main, out } = await step({
      registry: `${US},${EU}`,
      images: `${EU}/team-a/app:1.2, ${US}/team-b/web@${DIGEST}, team-a/lib, ${EU}/team-a/app:1.3`,
    });
    expect(main.code).toBe(0);
    // HOST/NS/NAME of every check that passed: hosts in input order, then images.
    expect(main.outputs['images']).toBe(`${US}/team-b/web,${US}/team-a/lib,${EU}/team-a/app,${EU}/team-a/lib`);
    expect(out).toContain(`The key can push to ${US}/team-b/web, ${US}/team-a/lib, ${EU}/team-a/app, ${EU}/team-a/lib.`);
    // The registries were asked exactly that: never the other host, never the tag or digest.
    expect(probesOf(since, US, 'team-a/app')).toEqual([]);
    expect(probesOf(since, EU, 'team-b/web')).toEqual([]);
    expect(probesOf(since, EU, 'team-a/app').length).toBeGreaterThan(0);
    expect(probesOf(since, US, 'team-b/web').length).toBeGreaterThan(0);
    expect(emu.requests.slice(since).some((r) => /\/manifests\/|1\.2|sha256:0{64}/.test(r.path))).toBe(false);
    expect(main.summary).toMatch(/\| `team-a\/app` \| – \| ✅ can push \|/);
    expect(main.summary).toMatch(/\| `team-b\/web` \| ✅ can push \| – \|/);
    expect(main.summary).toMatch(/\| `team-a\/lib` \| ✅ can push \| ✅ can push \|/);
  });

  it('a denial names the host the image named, and only there', async () => {
    const key = emu.addKey({ policies: [{ role: 'Writer', namespace: 'team-a' }] });
    const { main, out } = await step({ 'api-key': key.key, registry: `${US},${EU}`, images: `${EU}/team-b/app:7` });
    expect(main.code).toBe(1);
    expect(main.outputs['images']).toBe('');
    expect(out).toContain(`Push to ${EU}/team-b/app was denied`);
    expect(out).not.toContain(`Push to ${US}/team-b/app`);
  });

  it('a host that is neither an ICR domain nor a registry entry: one line per image, before IAM and before any client', async () => {
    const before = iamCalls(emu);
    const { main, out } = await step({ registry: US, images: `quay.io/team-a/app:1, ${EU}/team-a/app, ${US}/team-a/app` });
    expect(main.code).toBe(1);
    const errors = main.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toEqual([
      expect.stringContaining('::error title=images::Image "quay.io/team-a/app:1" in input images names "quay.io", which is neither'),
      expect.stringContaining(`::error title=images::Image "${EU}/team-a/app" in input images names "${EU}", which is neither`),
    ]);
    expect(out).toContain('fix the host, or add it to registry.');
    expect(iamCalls(emu)).toBe(before);
    expect(main.state['login_0']).toBeUndefined();
  });
});
