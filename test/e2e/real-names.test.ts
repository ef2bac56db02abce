// ICR's real names end to end, with no registry input: the action resolves region and the hosts of
// images to us.icr.io, de.icr.io, icr.io (and private.us.icr.io) itself, and the real clients reach them
// by those names. Each name is an emulated region served under it (a certificate naming it alone); a
// loopback CONNECT proxy maps name:443 to that region's listener, so nothing leaves 127.0.0.1 and a
// wrong mapping fails every client's TLS check. The containers tools trust the emulator's CA through
// certs.d (emu.trust); docker's client-side login reads certs.d only under /etc/docker (root's), so
// SSL_CERT_FILE makes that CA the only root the clients' Go trusts: a client that went around the
// proxy could not trust the real ICR either.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { startConnectProxy, type ConnectProxy } from '../harness/connect-proxy.ts';
import type { StepRun } from '../harness/runner.ts';
import { exec, expectNoLeaks, expectPushRefused, newJob, newMachine, pushAndPull, readAuths, type Machine } from './checks.ts';

const CLIENTS = ['docker', 'podman', 'buildah', 'skopeo'] as const;

interface Site {
  emu: Emulator;
  proxy: ConnectProxy;
}

/** A namespace of the main account in every region (the emulator's own `ns` is shorter than ICR allows in images). */
const NAMESPACE = 'team';

/** An emulator whose regions are served under these names, and the proxy that maps each name to its region. */
async function startSite(domains: Record<string, string>, registry = true): Promise<Site> {
  const emu = await startEmulator({ regions: Object.keys(domains), domains, registry });
  for (const region of Object.keys(domains)) emu.addNamespace(region, NAMESPACE);
  const map = Object.fromEntries(Object.keys(domains).map((region) => [`${emu.hostOf(region)}:443`, emu.addressOf(region)]));
  return { emu, proxy: await startConnectProxy({ map }) };
}

let noCertDir: string;
const sites: Site[] = [];
beforeAll(async () => {
  noCertDir = await mkdtemp(join(tmpdir(), 'icr-no-certs-'));
});
afterAll(async () => {
  for (const { proxy, emu } of sites) {
    await proxy.stop();
    await emu.stop();
  }
  await rm(noCertDir, { recursive: true, force: true });
});

/**
 * A runner machine whose every https request to a name goes through the site's proxy; IAM (127.0.0.1)
 * goes direct. Both spellings set, over any the harness gives: Go reads the upper-case one first, our
 * code the lower-case one (src/http/proxy.ts).
 */
const machineOf = ({ emu, proxy }: Site): Promise<Machine> =>
  newMachine(emu, {
    HTTPS_PROXY: proxy.url,
    https_proxy: proxy.url,
    NO_PROXY: '127.0.0.1',
    no_proxy: '127.0.0.1',
    SSL_CERT_FILE: emu.caFile,
    SSL_CERT_DIR: noCertDir,
  });

/** The inputs of a step on ICR's real names: no registry, the emulator's IAM. */
const inputsOf = (emu: Emulator, inputs: Record<string, string>): Record<string, string> => ({
  'api-key': emu.keys.user.key,
  'iam-endpoint': emu.iamUrl,
  ...inputs,
});

/** Who made a request: a client's name (`skopeo`, `Docker-Client`), or icr-login (ours send `icr-login/VERSION` or no User-Agent). */
const callerOf = (userAgent: string | undefined): string => (userAgent === undefined ? 'icr-login' : userAgent.split('/')[0]!);

/** What one step did on the site: the registry requests per region and the tunnels the proxy opened. */
function since(site: Site) {
  const [requests, tunnels, forwarded] = [site.emu.requests.length, site.proxy.tunnels.length, site.proxy.forwarded.length];
  return {
    regions: () => [...new Set(site.emu.requests.slice(requests).flatMap((r) => (r.server === 'registry' ? [r.region] : [])))].sort(),
    /** the registry requests our own code (not a client) made in a region */
    ours: (region: string) => site.emu.requests.slice(requests).filter((r) => r.region === region && callerOf(r.userAgent) === 'icr-login'),
    /** by whom (User-Agent) each region was called */
    callers: (region: string) =>
      new Set(site.emu.requests.slice(requests).flatMap((r) => (r.region === region ? [callerOf(r.userAgent)] : []))),
    tunnels: () => [...new Set(site.proxy.tunnels.slice(tunnels))].sort(),
    forwarded: () => site.proxy.forwarded.slice(forwarded),
  };
}

/** One job's main step on the site: its machine, its job, and what the site saw from its start. */
async function runMain(site: Site, inputs: Record<string, string>) {
  const machine = await machineOf(site);
  const job = await newJob(machine);
  const seen = since(site);
  const main = await job.main(inputsOf(site.emu, inputs));
  return { emu: site.emu, machine, job, seen, main };
}

/** Post ends well and leaves neither client's file holding a login; nothing leaked. */
async function expectPostLogsOut({ emu, machine, job, main }: Awaited<ReturnType<typeof runMain>>): Promise<StepRun> {
  const post = await job.post(main);
  expect(post.code).toBe(0);
  await expectFilesHold(machine, []);
  await expectNoLeaks(emu, job, [main, post]);
  return post;
}

const text = (s: StepRun): string => `${s.stdout}\n${s.stderr}`.replace(/%0A/g, '\n');

/** docker's and the containers tools' files hold exactly these hosts. */
async function expectFilesHold(machine: Machine, hosts: readonly string[]): Promise<void> {
  for (const file of [machine.dockerFile, machine.containersFile])
    expect(Object.keys(await readAuths(file)).sort(), file).toEqual([...hosts].sort());
}

describe('ICR regions by their real names', () => {
  let site: Site;
  beforeAll(async () => {
    site = await startSite({ 'us-south': 'us.icr.io', 'eu-de': 'de.icr.io', global: 'icr.io' });
    sites.push(site);
  });

  // us.icr.io is also region's default (us-south), de.icr.io is not: the default applies only when nothing names a host.
  it.each([
    ['us.icr.io', 'us-south'],
    ['de.icr.io', 'eu-de'],
  ])('images: %s/team/app alone logs in to that host only, checks push there, and post logs out', async (host, region) => {
    const step = await runMain(site, { images: `${host}/team/app:1.2`, clients: CLIENTS.join(',') });
    const { machine, seen, main } = step;
    expect(main.stderr).toBe('');
    expect(main.code).toBe(0);
    expect(main.outputs).toMatchObject({
      registry: host,
      registries: host,
      images: `${host}/team/app`,
      'logged-in': 'true',
    });
    await expectFilesHold(machine, [host]);
    expect(main.stdout).toContain(`docker logged in to ${host} as iamapikey.`);
    expect(main.stdout).toContain(`skopeo logged in to ${host} as iamapikey.`);
    // The access check: our own code asked that region's token service and registry, by name, for team/app.
    const ours = seen.ours(region);
    expect(ours.some((r) => r.path === '/oauth/token')).toBe(true);
    expect(ours.filter((r) => r.path.startsWith('/v2/team/app/blobs/uploads/')).map((r) => [r.method, r.status])).toEqual([['PUT', 404]]);
    // Every client reached that region, and nothing reached another region; the proxy saw that name alone.
    // (podman and buildah read skopeo's login from the file they share: they call no registry.)
    expect(seen.callers(region)).toEqual(new Set(['Docker-Client', 'skopeo', 'icr-login']));
    expect(seen.regions()).toEqual([region]);
    expect(seen.tunnels()).toEqual([`${host}:443`]);
    expect(seen.forwarded()).toEqual([]);

    await pushAndPull(machine, machine.containersFile, host, 'team/app:1');
    await expectPostLogsOut(step);
    await expectPushRefused(machine, machine.containersFile, host, 'team/app:2');
  });

  it('region: us-south,eu-de logs every client in to us.icr.io and de.icr.io; what they stored pushes and pulls', async () => {
    const step = await runMain(site, { region: 'us-south,eu-de', clients: CLIENTS.join(',') });
    const { machine, seen, main } = step;
    expect(main.stderr).toBe('');
    expect(main.code).toBe(0);
    expect(main.outputs).toMatchObject({ registry: 'us.icr.io', registries: 'us.icr.io,de.icr.io', clients: CLIENTS.join(',') });
    for (const host of ['us.icr.io', 'de.icr.io']) {
      expect(main.stdout).toContain(`docker logged in to ${host} as iamapikey.`);
      expect(main.stdout).toContain(`skopeo logged in to ${host} as iamapikey.`);
      expect(main.stdout).toContain(`podman sees skopeo's login of ${host} as iamapikey.`);
      expect(main.stdout).toContain(`buildah sees skopeo's login of ${host} as iamapikey.`);
    }
    await expectFilesHold(machine, ['us.icr.io', 'de.icr.io']);
    expect(seen.regions()).toEqual(['eu-de', 'us-south']);
    for (const region of ['us-south', 'eu-de']) {
      expect(seen.callers(region)).toEqual(new Set(['Docker-Client', 'skopeo']));
    }
    expect(seen.tunnels()).toEqual(['de.icr.io:443', 'us.icr.io:443']);

    // The containers tools' file pushes and pulls in eu-de; docker's own file does in us-south (regions are
    // separate registries, so each host gets its own image).
    await pushAndPull(machine, machine.containersFile, 'de.icr.io', 'team/regions:1');
    await pushAndPull(machine, machine.dockerFile, 'us.icr.io', 'team/regions:1');
    const { stdout } = await exec('skopeo', ['inspect', '--authfile', machine.containersFile, 'docker://us.icr.io/team/regions:1'], {
      env: machine.env,
    });
    expect(JSON.parse(stdout)).toHaveProperty('Digest');

    const post = await expectPostLogsOut(step);
    expect(post.stdout).not.toContain('::warning');
    for (const host of ['us.icr.io', 'de.icr.io']) await expectPushRefused(machine, machine.containersFile, host, 'team/regions:2');
    expect(seen.tunnels()).toEqual(['de.icr.io:443', 'us.icr.io:443']);
  });

  it('region: global with images naming de.icr.io logs in to icr.io and de.icr.io; a host-less image is checked on both', async () => {
    const step = await runMain(site, {
      region: 'global',
      images: 'de.icr.io/fresh-ns/app:1.0 team/tool',
      'create-namespace': 'true',
      clients: 'podman,docker',
    });
    const { emu, machine, seen, main } = step;
    expect(main.stderr).toBe('');
    expect(main.code).toBe(0);
    expect(main.outputs['registries']).toBe('icr.io,de.icr.io');
    expect(main.outputs['images']?.split(',').sort()).toEqual(['de.icr.io/fresh-ns/app', 'de.icr.io/team/tool', 'icr.io/team/tool']);
    await expectFilesHold(machine, ['icr.io', 'de.icr.io']);
    // The namespace named only with de.icr.io was created there, through ICR's API on that name, and nowhere else.
    expect(text(main)).toContain('Created namespace fresh-ns in region eu-de (de.icr.io).');
    expect(emu.namespaces('eu-de').map((n) => n.name)).toContain('fresh-ns');
    expect(emu.namespaces('global').map((n) => n.name)).not.toContain('fresh-ns');
    expect(seen.ours('global').some((r) => r.path.includes('fresh-ns'))).toBe(false);
    expect(seen.ours('eu-de').some((r) => r.method === 'PUT' && r.path === '/api/v1/namespaces/fresh-ns')).toBe(true);
    for (const region of ['global', 'eu-de']) {
      expect(
        seen
          .ours(region)
          .filter((r) => r.path.startsWith('/v2/team/tool/blobs/uploads/'))
          .map((r) => r.status),
      ).toEqual([404]);
    }
    expect(seen.regions()).toEqual(['eu-de', 'global']);
    expect(seen.tunnels()).toEqual(['de.icr.io:443', 'icr.io:443']);

    await pushAndPull(machine, machine.dockerFile, 'de.icr.io', 'fresh-ns/app:1.0');
    await pushAndPull(machine, machine.containersFile, 'icr.io', 'team/tool:1');
    await expectPostLogsOut(step);
  });

  it('a name mapped to the wrong region fails the login on the certificate, and logs nothing in', async () => {
    const { emu } = site;
    // us.icr.io sent to eu-de's listener, whose certificate names de.icr.io alone.
    const proxy = await startConnectProxy({ map: { 'us.icr.io:443': emu.addressOf('eu-de') } });
    try {
      const step = await runMain({ emu, proxy }, { region: 'us-south', clients: 'skopeo' });
      const { machine, seen, main } = step;
      expect(main.code).toBe(1);
      expect(text(main)).toContain('certificate is valid for de.icr.io, not us.icr.io');
      await expectFilesHold(machine, []);
      // The TLS check ended it before any request: no region answered anything.
      expect(seen.regions()).toEqual([]);
      expect(seen.tunnels()).toEqual(['us.icr.io:443']);
      await expectPostLogsOut(step);
    } finally {
      await proxy.stop();
    }
  });
});

describe('a private name', () => {
  it('private-endpoint: true with region us-south logs in to private.us.icr.io', async () => {
    const site = await startSite({ 'us-south': 'private.us.icr.io' }, false);
    sites.push(site);
    const step = await runMain(site, { region: 'us-south', 'private-endpoint': 'true', clients: 'docker,skopeo' });
    const { machine, seen, main } = step;
    expect(main.stderr).toBe('');
    expect(main.code).toBe(0);
    expect(main.outputs['registries']).toBe('private.us.icr.io');
    await expectFilesHold(machine, ['private.us.icr.io']);
    expect(seen.callers('us-south')).toEqual(new Set(['Docker-Client', 'skopeo']));
    expect(seen.tunnels()).toEqual(['private.us.icr.io:443']);
    await expectPostLogsOut(step);
  });
});
