import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSUME_GRANT, assumeProfile } from '../../../src/iam/assume.ts';

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: unknown): string => `${b64url({ alg: 'RS256' })}.${b64url(claims)}.c2ln`;
const PROFILE = 'Profile-11111111-2222-3333-4444-555555555555';
const PROFILE_ACCOUNT = 'registryaccount0000000000000000aa';

// IAM on 127.0.0.1: the assume grant succeeds only for PROFILE and the service ID token 'sid-token'.
let url = '';
const forms: URLSearchParams[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const form = new URLSearchParams(body);
    forms.push(form);
    res.setHeader('content-type', 'application/json');
    if (form.get('profile_id') === PROFILE && form.get('access_token') === 'sid-token') {
      res.end(JSON.stringify({ access_token: jwt({ account: { bss: PROFILE_ACCOUNT }, exp: 4e9 }), expires_in: 3600 }));
    } else {
      // A code of IAM's shape only: no public source shows what the assume grant answers here.
      res.writeHead(400).end(JSON.stringify({ errorCode: 'BXNIM0000E', errorMessage: 'The profile does not trust this identity.' }));
    }
  });
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const FAST = { env: {}, policy: { retries: 1, baseMs: 10, capMs: 10 }, totalMs: 5_000, requestMs: 2_000 };

describe('the assume grant', () => {
  it("sends IAM's assume grant and reads the profile's account from its token", async () => {
    const tokens = await assumeProfile(url, 'sid-token', PROFILE, FAST);
    expect(tokens.accountId).toBe(PROFILE_ACCOUNT);
    const form = forms.at(-1)!;
    expect(Object.fromEntries(form)).toEqual({ grant_type: ASSUME_GRANT, access_token: 'sid-token', profile_id: PROFILE });
  });

  it('refuses a profile that does not trust the service ID in one line naming the profile and the code, once', async () => {
    const before = forms.length;
    const other = 'Profile-99999999-2222-3333-4444-555555555555';
    await expect(assumeProfile(url, 'sid-token', other, FAST)).rejects.toThrow(
      `IAM refused the key's service ID as trusted profile ${other} (BXNIM0000E: The profile does not trust this identity.); check that the profile trusts this service ID`,
    );
    expect(forms.length - before).toBe(1);
  });
});
