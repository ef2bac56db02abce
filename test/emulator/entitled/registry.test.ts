// IBM's entitled registry (cp.icr.io) as the emulator runs it: username cp and an entitlement key, no
// IAM, pull only, IBM images already there, the bare challenge to callers that are none of the clients.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ENTITLED_IMAGES, NOT_ENTITLED, startEmulator, writeOciImage } from '../index.ts';
import type { Emulator, EntitledRegistry } from '../index.ts';
import { httpsRequest } from '../net/https-request.ts';
import { runClient } from '../testing/run-client.ts';
import { REFUSED, clientFor, clientHome, headerOf, json, jwtHeader, pidAlive, tempDir } from '../testing/test-client.ts';
import type { Client } from '../testing/test-client.ts';

let emu: Emulator;
let cp: EntitledRegistry;
let client: Client;
let env: Record<string, string>;
let runtimeDir: string;
beforeAll(async () => {
  emu = await startEmulator({ entitled: true });
  if (!emu.entitled) throw new Error('startEmulator({ entitled: true }) started no entitled registry');
  cp = emu.entitled;
  client = await clientFor(emu);
  ({ env, runtimeDir } = await clientHome(emu));
}, 60_000);
afterEach(() => emu.clearFaults());
afterAll(() => emu?.stop(), 30_000);

const login = (cli: string, username: string, password: string, extraEnv: Record<string, string> = {}) =>
  runClient(cli, ['login', '--username', username, '--password-stdin', cp.host], { env: { ...env, ...extraEnv }, input: `${password}\n` });
const skopeo = (args: string[]) => runClient('skopeo', args, { env });
const token = (username: string, password: string, scope = 'repository:cp/ibm-mq/mq:pull,push') =>
  client.token(username, password, `service=registry&scope=${scope}`, cp.host);

describe('the entitled registry', () => {
  it('runs on a host of its own, with the images IBM serves there', () => {
    expect(cp).toMatchObject({ name: 'cp.icr.io', username: 'cp' });
    expect(cp.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(emu.hosts).not.toContain(cp.host);
    expect(cp.images.map((i) => `${i.repository}:${i.tag}`)).toEqual(ENTITLED_IMAGES);
    for (const image of cp.images) expect(image.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(pidAlive(cp.registryPid ?? -1)).toBe(true);
    expect(emu.registryPids).not.toContain(cp.registryPid);
  });

  it('hands out entitlement keys shaped as IBM’s: HS256 JWTs issued by IBM Marketplace', () => {
    for (const key of [cp.key, cp.addKey()]) {
      expect(key).toMatch(/^eyJhbGciOiJIUzI1NiJ9\.[\w-]+\.[\w-]{43}$/);
      expect(jwtHeader(key)).toEqual({ alg: 'HS256' });
      const payload = JSON.parse(Buffer.from(key.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
      expect(Object.keys(payload)).toEqual(['iss', 'iat', 'jti']);
      expect(payload.iss).toBe('IBM Marketplace');
      expect(payload.jti).toMatch(/^[0-9a-f]{32}$/);
      expect(emu.secrets()).toContain(key);
    }
  });

  it('its token service takes cp and a live key only, never asks IAM, and never grants push', async () => {
    const iamBefore = emu.requests.filter((r) => r.server === 'iam').length;
    const granted = await token('cp', cp.key);
    expect(granted.status).toBe(200);
    const registryToken = String(json(granted).token);
    expect(emu.secrets()).toContain(registryToken);
    const claims = JSON.parse(Buffer.from(registryToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: 'icr-emulator/entitled', access: [{ name: 'cp/ibm-mq/mq', actions: ['pull'] }] });

    for (const [username, password] of [
      ['cp', `${cp.key}x`],
      ['cp', emu.keys.service.key],
      ['iamapikey', cp.key],
      ['iamapikey', emu.keys.service.key],
      ['cp', ''],
    ] as const) {
      const refused = await token(username, password);
      expect(refused.status, `${username}:${password.slice(0, 8)}`).toBe(401);
      expect(json(refused)).toMatchObject({ errors: [{ code: 'UNAUTHORIZED', message: REFUSED }] });
    }
    expect(emu.requests.filter((r) => r.server === 'iam')).toHaveLength(iamBefore);
    expect(emu.requests.filter((r) => r.server === 'entitled' && r.path === '/oauth/token').map((r) => r.username)).toContain('cp');
  });

  it('sends the bare challenge to our code, the quoted one to the clients', async () => {
    const ask = (agent?: string) =>
      httpsRequest(`https://${cp.host}/v2/cp/ibm-mq/mq/manifests/9`, { ca: client.ca, headers: agent ? { 'User-Agent': agent } : {} });
    expect(headerOf(await ask(), 'www-authenticate')).toBe(
      `Bearer realm=https://${cp.host}/oauth/token, service=registry, scope=repository:cp/ibm-mq/mq:pull`,
    );
    expect(headerOf(await ask('icr-login/1.0.0'), 'www-authenticate')).toMatch(/^Bearer realm=https:\/\/[^"]+, service=registry/);
    expect(headerOf(await ask('skopeo/1.9.3'), 'www-authenticate')).toBe(
      `Bearer realm="https://${cp.host}/oauth/token",service="registry",scope="repository:cp/ibm-mq/mq:pull"`,
    );
    const refused = await token('cp', 'nope');
    expect(headerOf(refused, 'www-authenticate')).toBe(`Bearer realm=https://${cp.host}/oauth/token, service=registry`);
  });

  it('podman, buildah and docker log in as cp; a wrong key or username does not', async () => {
    const ok = await login('podman', 'cp', cp.key);
    expect([ok.code, ok.stdout.trim(), ok.stderr]).toEqual([0, 'Login Succeeded!', '']);
    const auth = JSON.parse(await readFile(join(runtimeDir, 'containers/auth.json'), 'utf8')) as {
      auths: Record<string, { auth: string }>;
    };
    expect(Buffer.from(auth.auths[cp.host]?.auth ?? '', 'base64').toString()).toBe(`cp:${cp.key}`);
    expect((await login('buildah', 'cp', cp.key)).code).toBe(0);
    const dockerConfig = await tempDir('emu-docker-');
    const docker = await login('docker', 'cp', cp.key, { DOCKER_CONFIG: dockerConfig });
    expect([docker.code, docker.stdout.trim()]).toEqual([0, 'Login Succeeded']);

    const wrong = await login(
      'podman',
      'cp',
      cp.addKey().replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
    );
    expect([wrong.code, wrong.stderr.trim()]).toEqual([125, `Error: logging into "${cp.host}": invalid username/password`]);
    expect((await login('podman', 'iamapikey', cp.key)).code).toBe(125);
    const dockerWrong = await login('docker', 'cp', 'not-a-key', { DOCKER_CONFIG: dockerConfig });
    expect(dockerWrong.stderr.trim().split('\n').at(-1)).toBe(`Get "https://${cp.host}/v2/": unauthorized: ${REFUSED}`);
  });

  it('skopeo pulls an IBM image, digest for digest', async () => {
    const [mq] = cp.images;
    const out = await tempDir('emu-pulled-');
    const pulled = await skopeo(['copy', '--src-creds', `cp:${cp.key}`, `docker://${cp.host}/cp/ibm-mq/mq:9`, `oci:${out}:mq`]);
    expect([pulled.code, pulled.stderr]).toEqual([0, '']);
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
    expect(index.manifests[0]?.digest).toBe(mq?.digest);
    const inspected = await skopeo(['inspect', '--creds', `cp:${cp.key}`, `docker://${cp.host}/cp/appc/ace-server-prod:12`]);
    expect(inspected.code).toBe(0);
    expect(JSON.parse(inspected.stdout)).toMatchObject({ Digest: cp.images[1]?.digest, RepoTags: ['12'] });
  });

  it('refuses every push, even with a key entitled to the image', async () => {
    const image = await writeOciImage(await tempDir('emu-oci-'));
    const pushed = await skopeo(['copy', '--dest-creds', `cp:${cp.key}`, image.ref, `docker://${cp.host}/cp/ibm-mq/mq:mine`]);
    expect(pushed.code).toBe(1);
    expect(pushed.stderr).toContain(`denied: ${NOT_ENTITLED}`);
  });

  it('a key entitled to MQ only logs in, pulls MQ, and is denied App Connect', async () => {
    const mqOnly = cp.addKey({ entitles: ['cp/ibm-mq/'] });
    expect((await login('podman', 'cp', mqOnly)).code).toBe(0);
    expect((await skopeo(['inspect', '--creds', `cp:${mqOnly}`, `docker://${cp.host}/cp/ibm-mq/mq:9`])).code).toBe(0);
    const denied = await skopeo(['inspect', '--creds', `cp:${mqOnly}`, `docker://${cp.host}/cp/appc/ace-server-prod:12`]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain(`denied: ${NOT_ENTITLED}`);
    expect(() => cp.addKey({ entitles: [] })).toThrow(/repository prefixes/);
  });

  it('a revoked key no longer logs in or pulls, and stays a secret for the leak scan', async () => {
    const key = cp.addKey();
    expect((await login('podman', 'cp', key)).code).toBe(0);
    cp.revokeKey(key);
    expect((await login('podman', 'cp', key)).stderr).toContain('invalid username/password');
    const pull = await skopeo(['inspect', '--creds', `cp:${key}`, `docker://${cp.host}/cp/ibm-mq/mq:9`]);
    expect(pull.code).toBe(1);
    expect(pull.stderr).toContain(`invalid username/password: unauthorized: ${REFUSED}`);
    expect(emu.secrets()).toContain(key);
    expect(() => cp.revokeKey(key)).toThrow(/not a live entitlement key/);
  });

  it('has fault targets of its own, which ICR’s hosts never take', async () => {
    emu.inject('entitled-token', { status: 503 });
    expect((await client.token('iamapikey', emu.keys.service.key)).status).toBe(200);
    expect((await token('cp', cp.key)).status).toBe(503);
    emu.inject('token', { status: 502 });
    expect((await token('cp', cp.key)).status).toBe(200);
    expect((await client.token('iamapikey', emu.keys.service.key)).status).toBe(502);
  });

  it('trust() covers its host too', async () => {
    const home = await tempDir('emu-home-');
    await emu.trust(home);
    expect(await readFile(join(home, '.config/containers/certs.d', cp.host, 'ca.crt'), 'utf8')).toBe(client.ca);
  });
});

describe('only when asked', () => {
  it('an emulator started without it has none; with it, stop() ends its registry too', async () => {
    const plain = await startEmulator({ registry: false });
    try {
      expect(plain.entitled).toBeUndefined();
    } finally {
      await plain.stop();
    }
    const own = await startEmulator({ registry: false, entitled: { images: ['cp/cpd/db2u:11.5'], challenge: 'quoted' } });
    const entitled = own.entitled;
    expect(entitled?.images.map((i) => `${i.repository}:${i.tag}`)).toEqual(['cp/cpd/db2u:11.5']);
    const ca = await readFile(own.caFile, 'utf8');
    const ping = await httpsRequest(`https://${entitled?.host}/v2/`, { ca });
    expect(headerOf(ping, 'www-authenticate')).toBe(`Bearer realm="https://${entitled?.host}/oauth/token",service="registry"`);
    await own.stop();
    expect(pidAlive(entitled?.registryPid ?? -1)).toBe(false);
  });
});
