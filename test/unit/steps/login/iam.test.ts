import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { iamTokens } from '../../../../src/steps/login/iam.ts';
import type { AuthType, Settings } from '../../../../src/inputs/settings.ts';
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
