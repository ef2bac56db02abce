import { describe, expect, it } from 'vitest';
import { jwtClaims, readIamAnswer } from '../../../src/iam/answer.ts';

const b64 = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (claims: object): string => `${b64({ alg: 'RS256', kid: 'k' })}.${b64(claims)}.c2ln`;
const ACCESS = jwt({ iam_id: 'iam-ServiceId-123', account: { bss: 'acc123', valid: true }, exp: 1_900_000_000 });

describe('IAM answers', () => {
  it('reads a success with every field', () => {
    const body = JSON.stringify({
      access_token: ACCESS,
      refresh_token: 'not_supported',
      token_type: 'Bearer',
      expires_in: 3600,
      expiration: 1_800_000_000,
      scope: 'ibm openid',
    });
    const a = readIamAnswer(200, 'application/json', body);
    expect(a).toEqual({
      ok: true,
      tokens: {
        accessToken: ACCESS,
        expiresIn: 3600,
        expiration: 1_800_000_000,
        refreshToken: undefined,
        refreshTokenExpiration: undefined,
        accountId: 'acc123',
      },
    });
  });

  it('treats every field but access_token and expires_in as optional', () => {
    const a = readIamAnswer(200, 'application/json', JSON.stringify({ access_token: 'opaque', expires_in: 60 }), 1_000_000);
    expect(a).toMatchObject({
      ok: true,
      tokens: { accessToken: 'opaque', expiration: 1060, accountId: undefined, refreshToken: undefined },
    });
  });

  it('keeps a real refresh token and its expiry', () => {
    const a = readIamAnswer(
      200,
      'application/json',
      JSON.stringify({ access_token: ACCESS, expires_in: 3600, refresh_token: 'r3fr3sh', refresh_token_expiration: 1_900_000_000 }),
    );
    expect(a).toMatchObject({ ok: true, tokens: { refreshToken: 'r3fr3sh', refreshTokenExpiration: 1_900_000_000 } });
  });

  it.each([400, 401, 403])('a %i with an errorCode is a refused key, never retried', (status) => {
    const body = JSON.stringify({
      errorCode: 'BXNIM0415E',
      errorMessage: 'Provided API key could not be found.',
      context: { requestId: 'r' },
    });
    expect(readIamAnswer(status, 'application/json', body)).toEqual({
      ok: false,
      retry: false,
      refused: true,
      message: 'IAM rejected the API key (BXNIM0415E: Provided API key could not be found.)',
    });
  });

  it.each([
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [599, true],
    [501, false],
    [404, false],
  ])('status %i is retried: %s', (status, retry) => {
    expect(readIamAnswer(status, 'text/plain', 'busy')).toMatchObject({ ok: false, retry, refused: false });
  });

  it.each([
    ['text/html', '<!DOCTYPE html><html>proxy login</html>', /an HTML page/],
    ['application/json', '{"access_token": "abc', /not IAM JSON/],
    ['application/json', '{"token_type": "Bearer"}', /JSON without an access_token/],
    ['application/json', '', /an empty body/],
    ['application/json', '[]', /not IAM JSON/],
  ])('a 200 with %s %j is a clear error', (type, body, message) => {
    const a = readIamAnswer(200, type, body);
    expect(a.ok).toBe(false);
    if (!a.ok) expect(a.message).toMatch(message);
  });

  it('reads JWT claims and survives a token that is not a JWT', () => {
    expect(jwtClaims(ACCESS)).toMatchObject({ account: { bss: 'acc123' } });
    expect(jwtClaims('opaque')).toBeUndefined();
    expect(jwtClaims('a.!!!.c')).toBeUndefined();
  });
});
