// Real clients with no key at all: the IAM token a virtual server gets from its metadata service, and
// the one a pod gets from IAM's cr-token grant, log podman in as iambearer; skopeo then pushes and pulls
// through that login with exactly what each trusted profile's policies allow.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crRule, startEmulator, writeOciImage } from '../index.ts';
import type { Emulator } from '../index.ts';
import { runClient } from '../testing/run-client.ts';
import { clientFor, json, refusedLogin, tempDir } from '../testing/test-client.ts';
import { crGrant, instanceIamToken } from './metadata-client.ts';

describe('podman and skopeo with compute-resource tokens (registry: true)', { timeout: 60_000 }, () => {
  let emu: Emulator;
  let env: Record<string, string>;
  let runtimeDir: string;
  const login = (token: string) =>
    runClient('podman', ['login', '--username', 'iambearer', '--password-stdin', emu.host], { env, input: `${token}\n` });
  const skopeo = (...args: string[]) => runClient('skopeo', args, { env });
  const storedLogin = async (): Promise<string> => {
    const auth = JSON.parse(await readFile(join(runtimeDir, 'containers/auth.json'), 'utf8')) as {
      auths: Record<string, { auth: string }>;
    };
    return Buffer.from(auth.auths[emu.host]?.auth ?? '', 'base64').toString();
  };

  beforeAll(async () => {
    emu = await startEmulator();
    const home = await tempDir('emu-cr-home-');
    runtimeDir = await tempDir('emu-cr-run-');
    await chmod(runtimeDir, 0o700);
    await emu.trust(home);
    env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_RUNTIME_DIR: runtimeDir };
  }, 60_000);
  afterAll(() => emu?.stop(), 30_000);

  it('a virtual server’s token (metadata service, API 2025-08-26) logs in; skopeo pushes and pulls with it', async () => {
    const profile = emu.addProfile({ name: 'vsi-runner', policies: [{ role: 'Writer', namespace: 'ns' }] });
    const vsi = await emu.addInstance({ defaultProfile: profile });
    const token = await instanceIamToken(vsi, undefined, '2025-08-26');
    const ok = await login(token);
    expect([ok.code, ok.stdout.trim(), ok.stderr]).toEqual([0, 'Login Succeeded!', '']);
    expect(await storedLogin()).toBe(`iambearer:${token}`);

    const image = await writeOciImage(await tempDir('emu-cr-oci-'), 'latest');
    const push = await skopeo('copy', image.ref, `docker://${emu.host}/ns/vsi:1`);
    expect([push.code, push.stderr]).toEqual([0, '']);
    const out = await tempDir('emu-cr-pulled-');
    const pull = await skopeo('copy', `docker://${emu.host}/ns/vsi:1`, `oci:${out}:back`);
    expect(pull.code).toBe(0);
    expect(JSON.parse(await readFile(join(out, 'index.json'), 'utf8'))).toMatchObject({
      manifests: [{ annotations: { 'org.opencontainers.image.ref.name': 'back' } }],
    });
  });

  it('a pod’s token (cr-token grant, a Reader profile) logs in; skopeo pulls with it and may not push', async () => {
    const cluster = emu.addCluster();
    const profile = emu.addProfile({
      name: 'pod-reader',
      policies: [{ role: 'Reader', namespace: 'ns' }],
      computeResources: [crRule('IKS_SA', { service_instance: cluster.id, namespace: 'ci', name: 'runner' })],
    });
    const res = await crGrant(await clientFor(emu), cluster.serviceAccountToken({ namespace: 'ci', name: 'runner' }), {
      profile_id: profile.id,
    });
    expect(res.status).toBe(200);
    const token = String(json(res).access_token);
    expect((await login(token)).code).toBe(0);
    expect(await storedLogin()).toBe(`iambearer:${token}`);

    // An image someone with a key pushed (by --dest-creds: the stored login stays the pod's).
    const image = await writeOciImage(await tempDir('emu-cr-oci-'), 'latest');
    const seeded = await skopeo('copy', '--dest-creds', `iamapikey:${emu.keys.service.key}`, image.ref, `docker://${emu.host}/ns/base:1`);
    expect(seeded.code).toBe(0);
    const out = await tempDir('emu-cr-pulled-');
    expect((await skopeo('copy', `docker://${emu.host}/ns/base:1`, `oci:${out}:base`)).code).toBe(0);
    const push = await skopeo('copy', image.ref, `docker://${emu.host}/ns/pod:1`);
    expect(push.code).toBe(1);
    expect(push.stderr).toContain('denied: You are not authorized to access the specified resource.');
  });

  it('a token past its lifetime no longer logs in', async () => {
    const profile = emu.addProfile({ policies: [{ role: 'Reader' }] });
    const vsi = await emu.addInstance({ defaultProfile: profile, iamTokenLifetime: 1 });
    const token = await instanceIamToken(vsi);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const refused = await login(token);
    expect(refused.code).toBe(125);
    expect(refused.stderr).toMatch(refusedLogin(emu));
  });
});
