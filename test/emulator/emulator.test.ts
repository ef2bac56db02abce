// Proves the ICR/IAM emulator itself: IAM and token-service answers over real HTTPS, and real
// clients (podman, buildah, docker, skopeo) logging in, pushing and pulling through it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { APIKEY_GRANT, LENIENT_BEHAVIOUR, startEmulator, writeOciImage, decodeJwtPayload } from './index.ts';
import type { Emulator } from './index.ts';
import { httpsRequest } from './net/https-request.ts';
import type { HttpsResponse } from './net/https-request.ts';
import { runClient } from './testing/run-client.ts';
import {
  REFUSED,
  clientFor,
  clientHome,
  headerOf,
  iamToken,
  json,
  jwtHeader,
  pidAlive,
  refusedStatus,
  tempDir,
} from './testing/test-client.ts';
import type { Client } from './testing/test-client.ts';

describe('emulated IAM', () => {
  let emu: Emulator;
  let client: Client;
  beforeAll(async () => {
    emu = await startEmulator({ registry: false });
    client = await clientFor(emu);
  }, 30_000);
  afterAll(() => emu?.stop());

  it('issues an access token for a user API key, shaped like IAM', async () => {
    const res = await client.iam({ grant_type: APIKEY_GRANT, apikey: emu.keys.user.key, response_type: 'cloud_iam' });
    expect(res.status).toBe(200);
    expect(headerOf(res, 'content-type')).toMatch(/^application\/json/);
    const body = json(res);
    expect(body).toMatchObject({ refresh_token: 'not_supported', token_type: 'Bearer', expires_in: 3600, scope: 'ibm openid' });
    expect(body.expiration).toBeTypeOf('number');
    expect(body.ims_user_id).toBeTypeOf('number');
    expect(body).not.toHaveProperty('refresh_token_expiration');
    const token = String(body.access_token);
    expect(jwtHeader(token).alg).toBe('RS256');
    const payload = decodeJwtPayload(token);
    expect(payload).toMatchObject({
      iam_id: emu.keys.user.iamId,
      id: emu.keys.user.iamId,
      sub_type: 'User',
      account: { bss: emu.keys.user.accountId, valid: true },
      grant_type: APIKEY_GRANT,
      iss: `${emu.iamUrl}/identity`,
    });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(3600);
    expect(emu.secrets()).toContain(token);
  });

  it('marks service ID tokens as ServiceId and gives them no ims_user_id', async () => {
    const body = await iamToken(client, emu.keys.service.key);
    expect(body).not.toHaveProperty('ims_user_id');
    expect(decodeJwtPayload(String(body.access_token))).toMatchObject({ sub_type: 'ServiceId', iam_id: emu.keys.service.iamId });
  });

  it('answers BXNIM0415E for an unknown API key, naming the key in its details as IAM does', async () => {
    const res = await client.iam({ grant_type: APIKEY_GRANT, apikey: emu.unknownKey });
    expect(res.status).toBe(400);
    expect(headerOf(res, 'content-type')).toMatch(/^application\/json/);
    const body = json(res);
    expect(body).toMatchObject({ errorCode: 'BXNIM0415E', errorMessage: 'Provided API key could not be found.' });
    expect(body.errorDetails).toBe(`BXNIM0102E: Unable to find Object. Object Type: 'ApiKey' with ID: '${emu.unknownKey}' not found.`);
    // The key in an answer is the leak scan's business: it is among the emulator's secrets.
    expect(emu.secrets()).toContain(emu.unknownKey);
    expect(body.context).toMatchObject({ requestType: 'incoming.Identity_Token' });
    expect((body.context as Record<string, unknown>).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers BXNIM0109E when the API key is missing', async () => {
    const res = await client.iam({ grant_type: APIKEY_GRANT });
    expect(res.status).toBe(400);
    expect(json(res)).toMatchObject({ errorCode: 'BXNIM0109E', errorMessage: 'Property missing or empty.' });
  });

  it('answers BXNIM0104E for an unsupported grant type', async () => {
    const res = await client.iam({ grant_type: 'password', apikey: emu.keys.user.key });
    expect(res.status).toBe(400);
    expect(json(res).errorCode).toBe('BXNIM0104E');
  });

  it('answers BXNIM0408E for a refresh token it did not issue (it issues none by default)', async () => {
    const res = await client.iam({ grant_type: 'refresh_token', refresh_token: 'not_supported' });
    expect(res.status).toBe(400);
    expect(json(res).errorCode).toBe('BXNIM0408E');
  });

  it('answers a GET with IAM’s 405 BXNIM0060E, another path with a 404 in IAM’s shape', async () => {
    const get = await client.iam({}, { method: 'GET' });
    expect(get.status).toBe(405);
    expect(json(get)).toMatchObject({
      errorCode: 'BXNIM0060E',
      errorMessage: "Web application exception 'javax.ws.rs.ClientErrorException' during request processing.",
      errorDetails: 'HTTP 405 Method Not Allowed',
    });
    const other = await client.iam({ grant_type: APIKEY_GRANT }, { path: '/identity/other' });
    expect(other.status).toBe(404);
    expect(headerOf(other, 'content-type')).toMatch(/^application\/json/);
    expect(json(other)).toHaveProperty('errorCode');
  });

  it('records IAM requests on the iam server', () => {
    const iamRecords = emu.requests.filter((r) => r.server === 'iam');
    expect(iamRecords.length).toBeGreaterThan(0);
    expect(iamRecords[0]).toMatchObject({ method: 'POST', path: '/identity/token', host: new URL(emu.iamUrl).host });
    expect(iamRecords.map((r) => r.status)).toContain(400);
  });
});

// The lenient forms here (quoted challenges, 401 in ICR's words): ICR answers them too, and they carry
// the most to check; token-service/answers.test.ts holds the strict ones, the default.
describe('emulated ICR token service (registry: false)', () => {
  let emu: Emulator;
  let client: Client;
  let ca: string;
  beforeAll(async () => {
    emu = await startEmulator({ registry: false, refreshTokens: true, hostCount: 2, icr: LENIENT_BEHAVIOUR });
    client = await clientFor(emu);
    ca = client.ca;
  }, 30_000);
  afterAll(() => emu?.stop());

  async function expectGranted(res: HttpsResponse, actions = ['pull', 'push']): Promise<string> {
    expect(res.status).toBe(200);
    const body = json(res);
    expect(body).not.toHaveProperty('refresh_token');
    expect(body.expires_in).toBe(300);
    expect(String(body.issued_at)).toMatch(/^\d{4}-\d\d-\d\dT/);
    const token = String(body.token);
    expect(body.access_token).toBe(token);
    const header = jwtHeader(token);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(Array.isArray(header.x5c) && header.x5c.length === 1).toBe(true);
    const claims = decodeJwtPayload(token);
    expect(claims).toMatchObject({
      iss: 'icr-emulator/us-south',
      aud: 'registry',
      access: [{ type: 'repository', name: 'ns/img', actions }],
    });
    for (const claim of ['sub', 'exp', 'nbf', 'iat', 'jti']) expect(claims).toHaveProperty(claim);
    expect(emu.secrets()).toContain(token);
    return token;
  }

  async function expectRefused(res: HttpsResponse, host = emu.host): Promise<void> {
    expect(res.status).toBe(401);
    expect(headerOf(res, 'www-authenticate')).toBe(`Bearer realm="https://${host}/oauth/token",service="registry"`);
    expect(json(res)).toMatchObject({ errors: [{ code: 'UNAUTHORIZED', message: REFUSED }] });
  }

  it('accepts iamapikey with a known API key', async () => {
    await expectGranted(await client.token('iamapikey', emu.keys.user.key));
  });

  it('grants a reader key pull only', async () => {
    await expectGranted(await client.token('iamapikey', emu.keys.reader?.key ?? ''), ['pull']);
  });

  it('accepts iambearer with an IAM access token, refuses a forged one', async () => {
    const iam = await iamToken(client, emu.keys.service.key);
    const token = String(iam.access_token);
    await expectGranted(await client.token('iambearer', token));
    const [head, , sig] = token.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ ...decodeJwtPayload(token), exp: 4102444800 })).toString('base64url');
    await expectRefused(await client.token('iambearer', `${head}.${forgedBody}.${sig}`));
  });

  it('accepts iamrefresh with an IAM refresh token, and IAM exchanges it too', async () => {
    const iam = await iamToken(client, emu.keys.user.key);
    const refresh = String(iam.refresh_token);
    expect(refresh).not.toBe('not_supported');
    expect(iam.refresh_token_expiration).toBeTypeOf('number');
    expect(emu.secrets()).toContain(refresh);
    await expectGranted(await client.token('iamrefresh', refresh));
    await expectRefused(await client.token('iamrefresh', `${refresh}x`));
    const again = await client.iam({ grant_type: 'refresh_token', refresh_token: refresh });
    expect(again.status).toBe(200);
    expect(decodeJwtPayload(String(json(again).access_token)).iam_id).toBe(emu.keys.user.iamId);
  });

  it('accepts a trusted profile with a trusted service ID key, not with a user key', async () => {
    expect(emu.profileId).toMatch(/^Profile-[0-9a-f-]{36}$/);
    await expectGranted(await client.token(emu.profileId, emu.keys.service.key));
    await expectRefused(await client.token(emu.profileId, emu.keys.user.key));
    await expectRefused(await client.token('Profile-00000000-0000-0000-0000-000000000000', emu.keys.service.key));
  });

  it('refuses wrong keys, wrong usernames and missing credentials with a Bearer challenge for that host', async () => {
    await expectRefused(await client.token('iamapikey', emu.unknownKey));
    await expectRefused(await client.token('iamapikey', ''));
    await expectRefused(await client.token('token', emu.keys.user.key));
    await expectRefused(await client.token('iambearer', emu.keys.user.key));
    await expectRefused(await client.token(undefined, ''));
    const second = emu.hosts[1] ?? '';
    await expectRefused(await client.token('iamapikey', emu.unknownKey, undefined, second), second);
  });

  it('grants every scope the key’s role allows, and none when docker login asks without scope', async () => {
    const res = await client.token(
      'iamapikey',
      emu.keys.service.key,
      'service=registry&scope=repository:ns/b:pull&scope=repository:ns/d:push,pull',
    );
    expect(res.status).toBe(200);
    expect(decodeJwtPayload(String(json(res).token)).access).toEqual([
      { type: 'repository', name: 'ns/b', actions: ['pull'] },
      { type: 'repository', name: 'ns/d', actions: ['push', 'pull'] },
    ]);
    const login = await client.token(
      'iamapikey',
      emu.keys.service.key,
      'account=iamapikey&client_id=docker&offline_token=true&service=registry',
    );
    expect(decodeJwtPayload(String(json(login).token)).access).toEqual([]);
  });

  it('answers POST /oauth/token with 405 (the OAuth2 POST flow is not emulated)', async () => {
    const res = await httpsRequest(`https://${emu.host}/oauth/token`, {
      ca,
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&username=iamapikey&password=x&service=registry',
    });
    expect(res.status).toBe(405);
  });

  it('answers the /v2/ ping itself: challenge without a token, 200 with one, 404 elsewhere', async () => {
    for (const host of emu.hosts) {
      const ping = await httpsRequest(`https://${host}/v2/`, { ca });
      expect(ping.status).toBe(401);
      expect(headerOf(ping, 'www-authenticate')).toBe(`Bearer realm="https://${host}/oauth/token",service="registry"`);
      const token = String(json(await client.token('iamapikey', emu.keys.user.key, 'service=registry', host)).token);
      const ok = await httpsRequest(`https://${host}/v2/`, { ca, headers: { Authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(json(ok)).toEqual({});
      const other = await httpsRequest(`https://${host}/v2/ns/img/manifests/1`, { ca, headers: { Authorization: `Bearer ${token}` } });
      expect(other.status).toBe(404);
      expect(json(other)).toMatchObject({ errors: [{ code: 'NAME_UNKNOWN' }] });
    }
  });

  it('redirects plain http on a host port to https', async () => {
    const [host, port] = emu.host.split(':');
    const res = await new Promise<{ status: number; location: string }>((resolve, reject) => {
      const req = httpRequest({ host, port: Number(port), path: '/v2/', agent: false }, (r) => {
        r.resume();
        resolve({ status: r.statusCode ?? 0, location: String(r.headers.location) });
      });
      req.on('error', reject);
      req.end();
    });
    expect(res).toEqual({ status: 301, location: `https://${emu.host}/v2/` });
  });

  it('records username and status of token requests', () => {
    const records = emu.requests.filter((r) => r.server === 'registry' && r.path === '/oauth/token');
    expect(records).toContainEqual(expect.objectContaining({ method: 'GET', username: 'iamapikey', status: 200, host: emu.host }));
    expect(records).toContainEqual(expect.objectContaining({ username: emu.profileId, status: 401 }));
  });

  it('injects faults FIFO: status, headers, body, delay, reset', async () => {
    emu.inject('iam', {
      status: 429,
      headers: { 'Retry-After': '2', 'Content-Type': 'application/json' },
      body: '{"errorCode":"BXNIM0429E"}',
    });
    const limited = await client.iam({ grant_type: APIKEY_GRANT, apikey: emu.keys.user.key });
    expect(limited.status).toBe(429);
    expect(headerOf(limited, 'retry-after')).toBe('2');
    expect(limited.body).toBe('{"errorCode":"BXNIM0429E"}');
    expect((await client.iam({ grant_type: APIKEY_GRANT, apikey: emu.keys.user.key })).status).toBe(200);

    emu.inject('token', { status: 503 }, { delayMs: 300 });
    expect((await client.token('iamapikey', emu.keys.user.key)).status).toBe(503);
    const started = Date.now();
    expect((await client.token('iamapikey', emu.keys.user.key)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    emu.inject('v2', { reset: true });
    await expect(httpsRequest(`https://${emu.host}/v2/`, { ca })).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(emu.requests.at(-1)).toMatchObject({ path: '/v2/', status: 0 });
    expect((await httpsRequest(`https://${emu.host}/v2/`, { ca })).status).toBe(401);
  });

  it('trust() writes a CA for every host into certs.d', async () => {
    const home = await tempDir('emu-home-');
    await emu.trust(home);
    for (const host of emu.hosts) {
      expect(await readFile(join(home, '.config/containers/certs.d', host, 'ca.crt'), 'utf8')).toBe(ca);
    }
  });
});

describe('emulated IAM token expiry', () => {
  it('refuses an expired access token as iambearer', async () => {
    const emu = await startEmulator({ registry: false, tokenLifetime: 1 });
    try {
      const client = await clientFor(emu);
      const iam = await iamToken(client, emu.keys.user.key);
      expect(iam.expires_in).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await client.token('iambearer', String(iam.access_token))).status).toBe(refusedStatus(emu));
    } finally {
      await emu.stop();
    }
  });
});

describe('real clients against the emulator (registry: true, two regions)', { timeout: 60_000 }, () => {
  let emu: Emulator;
  let env: Record<string, string>;
  let runtimeDir: string;
  const login = (client: string, username: string, password: string, host = emu.host, extraEnv: Record<string, string> = {}) =>
    runClient(client, ['login', '--username', username, '--password-stdin', host], {
      env: { ...env, ...extraEnv },
      input: `${password}\n`,
    });

  beforeAll(async () => {
    // Lenient, for the clients' words on a 401; token-service/answers.test.ts keeps what they print for the strict 400.
    emu = await startEmulator({ hostCount: 2, icr: LENIENT_BEHAVIOUR });
    ({ env, runtimeDir } = await clientHome(emu));
  }, 60_000);
  afterAll(() => emu?.stop(), 30_000);

  it('podman login succeeds with an API key and fails with a wrong one', async () => {
    const ok = await login('podman', 'iamapikey', emu.keys.service.key);
    expect(ok.stderr).toBe('');
    expect(ok.stdout.trim()).toBe('Login Succeeded!');
    expect(ok.code).toBe(0);
    const auth = JSON.parse(await readFile(join(runtimeDir, 'containers/auth.json'), 'utf8')) as {
      auths: Record<string, { auth: string }>;
    };
    expect(Buffer.from(auth.auths[emu.host]?.auth ?? '', 'base64').toString()).toBe(`iamapikey:${emu.keys.service.key}`);

    const bad = await login('podman', 'iamapikey', emu.unknownKey);
    expect(bad.code).toBe(125);
    expect(bad.stderr.trim()).toBe(`Error: logging into "${emu.host}": invalid username/password`);
  });

  it('podman login works with iambearer and a trusted profile; buildah and skopeo log in too', async () => {
    const client = await clientFor(emu);
    const iam = await iamToken(client, emu.keys.user.key);
    expect((await login('podman', 'iambearer', String(iam.access_token))).code).toBe(0);
    expect((await login('podman', emu.profileId, emu.keys.service.key, emu.hosts[1])).code).toBe(0);
    expect((await login('podman', emu.profileId, emu.keys.user.key, emu.hosts[1])).code).toBe(125);
    const buildah = await login('buildah', 'iamapikey', emu.keys.user.key);
    expect([buildah.code, buildah.stdout.trim()]).toEqual([0, 'Login Succeeded!']);
    const skopeo = await login('skopeo', 'iamapikey', emu.unknownKey);
    expect(skopeo.code).toBe(1);
    expect(skopeo.stderr).toContain('invalid username/password');
  });

  it('docker login (client side, no daemon) succeeds and fails like against ICR', async () => {
    const dockerConfig = await tempDir('emu-docker-');
    const ok = await login('docker', 'iamapikey', emu.keys.service.key, emu.host, { DOCKER_CONFIG: dockerConfig });
    expect(ok.stdout.trim()).toBe('Login Succeeded');
    expect(ok.code).toBe(0);
    const config = JSON.parse(await readFile(join(dockerConfig, 'config.json'), 'utf8')) as { auths: Record<string, unknown> };
    expect(Object.keys(config.auths)).toEqual([emu.host]);

    const bad = await login('docker', 'iamapikey', emu.unknownKey, emu.host, { DOCKER_CONFIG: dockerConfig });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n').at(-1)).toBe(`Get "https://${emu.host}/v2/": unauthorized: ${REFUSED}`);
    // docker asked for a token without scope, by GET, and never used the OAuth2 POST flow
    const tokenCalls = emu.requests.filter((r) => r.path === '/oauth/token');
    expect(tokenCalls.some((r) => r.method === 'POST')).toBe(false);
  });

  it('pushes with skopeo to one region, inspects and pulls it there; the other region has no such image', async () => {
    const image = await writeOciImage(await tempDir('emu-oci-'), 'latest', { layerBytes: 4 * 1024 * 1024 });
    expect(image.ref).toBe(`oci:${image.dir}:latest`);
    const key = emu.keys.service.key;
    const push = await runClient('skopeo', ['copy', '--dest-creds', `iamapikey:${key}`, image.ref, `docker://${emu.host}/ns/img:1`], {
      env,
    });
    expect(push.stderr).toBe('');
    expect(push.code).toBe(0);

    const inspect = await runClient('skopeo', ['inspect', '--creds', `iamapikey:${key}`, `docker://${emu.host}/ns/img:1`], { env });
    expect(inspect.code).toBe(0);
    const info = JSON.parse(inspect.stdout) as { RepoTags: string[]; Layers: string[]; Digest: string };
    expect(info.RepoTags).toEqual(['1']);

    const outDir = await tempDir('emu-pulled-');
    const pull = await runClient(
      'skopeo',
      ['copy', '--src-creds', `iamapikey:${key}`, `docker://${emu.host}/ns/img:1`, `oci:${outDir}:back`],
      {
        env,
      },
    );
    expect(pull.code).toBe(0);
    const pulled = JSON.parse(await readFile(join(outDir, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
    expect(pulled.manifests[0]?.digest).toBe(info.Digest);
    const layer = (info.Layers[0] ?? '').replace('sha256:', '');
    expect((await stat(join(outDir, 'blobs/sha256', layer))).size).toBeGreaterThan(4 * 1024 * 1024);

    // Same namespace name, same key, other region: a registry of its own, which never saw the image.
    const elsewhere = await runClient('skopeo', ['inspect', '--creds', `iamapikey:${key}`, `docker://${emu.hosts[1]}/ns/img:1`], { env });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/manifest unknown/);

    const denied = await runClient('skopeo', ['inspect', '--creds', `iamapikey:${emu.unknownKey}`, `docker://${emu.host}/ns/img:1`], {
      env,
    });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain(`invalid username/password: unauthorized: ${REFUSED}`);
  });

  it('refuses a push with a pull-only key', async () => {
    const image = await writeOciImage(await tempDir('emu-oci-'));
    const push = await runClient(
      'skopeo',
      ['copy', '--dest-creds', `iamapikey:${emu.keys.reader?.key}`, image.ref, `docker://${emu.host}/ns/readonly:1`],
      { env },
    );
    expect(push.code).toBe(1);
    expect(push.stderr).toContain('denied: You are not authorized to access the specified resource.');
  });

  it('stop() ends every region’s docker-registry by PID and removes its work dir', async () => {
    const own = await startEmulator({ regions: ['us-south', 'jp-tok'] });
    expect(own.registryPids).toHaveLength(2);
    expect(own.registryPid).toBe(own.registryPids[0]);
    for (const pid of own.registryPids) expect(pidAlive(pid)).toBe(true);
    const dir = join(own.caFile, '..');
    await own.stop();
    for (const pid of own.registryPids) expect(pidAlive(pid)).toBe(false);
    await expect(stat(dir)).rejects.toThrow(/ENOENT/);
  });
});

describe('registry start-up failures', () => {
  // Each case puts a fake PATH in front: openssl stays reachable, docker-registry is missing or broken.
  async function withPath<T>(setup: (bin: string) => Promise<void>, fn: () => Promise<T>): Promise<T> {
    const bin = await tempDir('emu-bin-');
    await symlink('/usr/bin/openssl', join(bin, 'openssl'));
    await setup(bin);
    const saved = process.env.PATH;
    process.env.PATH = bin;
    try {
      return await fn();
    } finally {
      process.env.PATH = saved;
    }
  }

  it('rejects clearly when docker-registry is not installed', async () => {
    await withPath(
      async () => undefined,
      async () => {
        await expect(startEmulator()).rejects.toThrow(/docker-registry not found on PATH/);
      },
    );
  });

  it('rejects clearly when docker-registry exits early', async () => {
    await withPath(
      async (bin) => {
        await writeFile(join(bin, 'docker-registry'), '#!/bin/sh\necho "configuration error: boom" >&2\nexit 3\n', { mode: 0o755 });
      },
      async () => {
        await expect(startEmulator()).rejects.toThrow(/docker-registry exited early \(code 3.*\n.*boom/s);
      },
    );
  });
});
