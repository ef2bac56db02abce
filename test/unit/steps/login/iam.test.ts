// The login's IAM phase: IAM out of reach, and each source of tokens (the key, a VPC metadata service,
// a pod's token file, none for the entitled registry alone), against stubs on 127.0.0.1.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readSettings } from '../../../../src/inputs/read.ts';
import { askIamAndFindClients, iamTokens } from '../../../../src/steps/login/iam.ts';
import type { AuthType, Settings } from '../../../../src/inputs/settings.ts';
import { startPeer, type Peer } from '../../../fakes/peer.ts';
import { startIamStub } from '../../../fakes/iam-stub.ts';
import { fakeRuntime } from '../../../fakes/runtime.ts';

const FAST = { env: {}, policy: { retries: 1, baseMs: 10, capMs: 10 }, totalMs: 2_000, requestMs: 1_000 };

/** A port on 127.0.0.1 that nothing listens on: connections to it are refused. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}`;
}

const settings = (iamEndpoint: string, authType: AuthType = 'apikey'): Settings =>
  ({ identity: { kind: 'api-key' }, iamEndpoint, apiKey: 'k', authType, trustedProfile: undefined }) as unknown as Settings;

describe('IAM out of reach', () => {
  it('warns once and goes on without tokens for auth-type apikey', async () => {
    const rt = fakeRuntime();
    const endpoint = await closedPort();
    expect(await iamTokens(rt, settings(endpoint), FAST)).toBeUndefined();
    expect(rt.warnings).toEqual([{ title: 'IAM', message: expect.stringContaining(`IAM at ${endpoint} could not be reached`) as string }]);
  });

  it.each(['bearer', 'refresh'] as const)('still fails for auth-type %s, which needs IAM', async (authType) => {
    const rt = fakeRuntime();
    await expect(iamTokens(rt, settings(await closedPort(), authType), FAST)).rejects.toThrow(/Could not get a token from IAM/);
    expect(rt.warnings).toEqual([]);
  });

  it('masks the tokens and names the account when IAM answers', async () => {
    const stub = await startIamStub();
    try {
      const rt = fakeRuntime();
      const tokens = await iamTokens(rt, settings(stub.url), FAST);
      expect(tokens?.accountId).toBe(stub.accountId);
      expect(rt.masked).toContain(stub.accessToken);
      expect(rt.infos).toEqual([`IAM accepted the API key for account ${stub.accountId}.`]);
    } finally {
      await stub.stop();
    }
  });
});

describe('the source of the tokens', () => {
  const b64 = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const TOKEN = `${b64({ alg: 'RS256' })}.${b64({ account: { bss: 'acc1' }, exp: 1_900_000_000 })}.c2lnbmF0dXJl`;
  const PROFILE = 'Profile-1a2b3c4d-5e6f-4a1b-9c8d-0123456789ab';
  const read = (inputs: Record<string, string>) =>
    readSettings(
      (name) => inputs[name] ?? '',
      () => {},
      'no key',
    );
  let peer: Peer;
  beforeAll(async () => {
    peer = await startPeer({ plain: true });
    peer.answer = () => ({ status: 200, body: { access_token: TOKEN, expires_in: 3600 } });
  });
  afterAll(() => peer.stop());
  beforeEach(() => void (peer.seen.length = 0));

  it('a VPC virtual server: the metadata service, named with the profile, the account and the API version', async () => {
    const rt = fakeRuntime();
    const s = read({ identity: 'vpc', 'metadata-endpoint': peer.url, 'trusted-profile': PROFILE });
    expect((await iamTokens(rt, s, FAST))?.accessToken).toBe(TOKEN);
    expect(peer.seen.map((x) => x.url.pathname)).toEqual(['/instance_identity/v1/token', '/instance_identity/v1/iam_token']);
    expect(rt.masked).toContain(TOKEN);
    expect(rt.infos).toEqual([
      `The metadata service gave this virtual server an IAM token for trusted profile ${PROFILE} of account acc1 (API 2022-03-01).`,
    ]);
  });

  it('a pod: its token file exchanged at IAM, named with the file and the profile', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'icr-unit-pod-'));
    try {
      const file = join(dir, 'token');
      await writeFile(file, 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6Y2k6cnVubmVyIn0.c2ln');
      const rt = fakeRuntime();
      const s = read({ identity: 'container', 'iam-endpoint': peer.url, 'trusted-profile': 'ci-runner', 'cr-token-file': file });
      expect((await iamTokens(rt, s, FAST))?.accessToken).toBe(TOKEN);
      expect(peer.seen.map((x) => `${x.method} ${x.url.pathname}`)).toEqual(['POST /identity/token']);
      expect(rt.masked).toContain(TOKEN);
      expect(rt.infos).toEqual([`IAM accepted the compute-resource token from ${file} as trusted profile ci-runner of account acc1.`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('only the entitled registry: IAM is never asked', async () => {
    const rt = fakeRuntime({ env: { PATH: '' } });
    const s = read({ 'entitlement-key': 'unit-test-entitlement-key-0123456789abcdef', 'iam-endpoint': peer.url, clients: 'docker-config' });
    expect(s.hosts).toEqual([]);
    expect(await askIamAndFindClients(rt, s)).toEqual({ tokens: undefined, tools: [expect.objectContaining({ name: 'docker-config' })] });
    expect(peer.seen).toEqual([]);
  });
});
