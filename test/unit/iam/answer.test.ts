import { describe, expect, it } from 'vitest';
import { jwtClaims, readIamAnswer } from '../../../src/iam/answer.ts';
import { describeFailure, knownRefusal } from '../../../src/iam/failure-words.ts';

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
    const a = readIamAnswer(200, 'application/json', JSON.stringify({ access_token: 'opaque-token-0123', expires_in: 60 }), 1_000_000);
    expect(a).toMatchObject({
      ok: true,
      tokens: { accessToken: 'opaque-token-0123', expiration: 1060, accountId: undefined, refreshToken: undefined },
    });
  });

  it('keeps a real refresh token and its expiry', () => {
    const a = readIamAnswer(
      200,
      'application/json',
      JSON.stringify({
        access_token: ACCESS,
        expires_in: 3600,
        refresh_token: 'r3fr3sh-t0ken-0123',
        refresh_token_expiration: 1_900_000_000,
      }),
    );
    expect(a).toMatchObject({ ok: true, tokens: { refreshToken: 'r3fr3sh-t0ken-0123', refreshTokenExpiration: 1_900_000_000 } });
  });

  it.each([400, 401, 403])("a %i in either of IAM's error shapes is a refused credential, never retried", (status) => {
    const token = JSON.stringify({
      errorCode: 'BXNIM0415E',
      errorMessage: 'Provided API key could not be found.',
      context: { requestId: 'r' },
    });
    const identity = JSON.stringify({
      trace: 't',
      errors: [{ code: 'BXNIM0415E', message: 'Provided API key could not be found.' }],
      status_code: status,
    });
    for (const body of [token, identity]) {
      const a = readIamAnswer(status, 'application/json', body);
      expect(a).toEqual({ ok: false, status, kind: 'refused', code: 'BXNIM0415E', detail: 'Provided API key could not be found.' });
      if (a.ok) continue;
      const sentence = describeFailure(a);
      expect(sentence).toBe(
        'IAM rejected the API key (BXNIM0415E: Provided API key could not be found.); check the api-key secret, and that the key still exists, is enabled and has not expired.',
      );
      expect(sentence).not.toMatch(/iam-endpoint|proxy|locked/);
    }
  });

  it.each([
    ['an access_token', { access_token: '0.1', expires_in: 3600 }, 'an access_token of 3 characters'],
    ['a refresh_token', { access_token: ACCESS, refresh_token: '127', expires_in: 3600 }, 'a refresh_token of 3 characters'],
    ['a 15-character access_token', { access_token: 'abcdefghijklmno' }, 'an access_token of 15 characters'],
  ])('a 200 with %s too short to be a token is refused as an answer, naming IAM', (_what, body, said) => {
    const a = readIamAnswer(200, 'application/json', JSON.stringify(body));
    expect(a).toMatchObject({ ok: false, kind: 'broken' });
    if (!a.ok) {
      expect(describeFailure(a)).toBe(
        `IAM answered 200 with ${said}, too short to be an IAM token; check iam-endpoint and any proxy between the runner and IAM.`,
      );
    }
  });

  it('"not_supported" is no refresh token, not a short one', () => {
    const a = readIamAnswer(200, 'application/json', JSON.stringify({ access_token: ACCESS, refresh_token: 'not_supported' }));
    expect(a).toMatchObject({ ok: true, tokens: { refreshToken: undefined } });
  });

  it.each([
    [
      'BXNIM0430E',
      'User login from given IP address is not permitted.',
      /^IAM refused to issue a token to this runner's address \(BXNIM0430E: User login from given IP address is not permitted\.\): the account allows logins only from the IP addresses it lists.*self-hosted runner.*IP address allowlist/,
    ],
    [
      'BXNIM0436E',
      'User is suspended in the requested account or invalid.',
      /^IAM refused the key because its user is suspended in the account or no longer valid there \(BXNIM0436E: User is suspended/,
    ],
  ])('a 401 %s has IAM’s own reason and what to do, never "check the api-key secret"', (code, message, sentence) => {
    for (const body of [
      JSON.stringify({ errorCode: code, errorMessage: message }),
      JSON.stringify({ errors: [{ code, message }], status_code: 401, trace: 't' }),
    ]) {
      const a = readIamAnswer(401, 'application/json', body);
      // Classified by status and shape, as every refusal is; the code only chooses the words.
      expect(a).toMatchObject({ ok: false, kind: 'refused', code });
      if (a.ok) continue;
      expect(knownRefusal(a)).toMatch(sentence);
      expect(describeFailure(a)).toMatch(sentence);
      expect(describeFailure(a)).not.toContain('check the api-key secret');
    }
  });

  it('a refusal under another code keeps the general words (codes are examples of shape only)', () => {
    // BXNIM0000E stands for any code no public source confirms: only status and shape count.
    const a = readIamAnswer(
      400,
      'application/json',
      JSON.stringify({ errorCode: 'BXNIM0000E', errorMessage: 'Provided API key is disabled.' }),
    );
    expect(a).toMatchObject({ ok: false, kind: 'refused' });
    if (!a.ok) {
      expect(knownRefusal(a)).toBeUndefined();
      expect(describeFailure(a)).toMatch(
        /^IAM rejected the API key \(BXNIM0000E: Provided API key is disabled\.\); check the api-key secret/,
      );
    }
  });

  it('reads a 401 without an IAM error shape (a proxy page) as broken, with the endpoint hint', () => {
    const a = readIamAnswer(401, 'text/html', '<html>sign in</html>');
    expect(a).toMatchObject({ ok: false, kind: 'broken', code: undefined });
    if (!a.ok) expect(describeFailure(a)).toMatch(/^IAM answered 401 with an HTML page .*check iam-endpoint/);
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
    expect(readIamAnswer(status, 'text/plain', 'busy')).toMatchObject({ ok: false, kind: retry ? 'retry' : 'broken' });
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
    if (!a.ok) expect(describeFailure(a)).toMatch(message);
  });

  it('reads JWT claims and survives a token that is not a JWT', () => {
    expect(jwtClaims(ACCESS)).toMatchObject({ account: { bss: 'acc123' } });
    expect(jwtClaims('opaque')).toBeUndefined();
    expect(jwtClaims('a.!!!.c')).toBeUndefined();
  });
});
