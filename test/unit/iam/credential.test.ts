import { describe, expect, it } from 'vitest';
import { credentialFor, credentialForms, tokenSecrets } from '../../../src/iam/credential.ts';
import type { IamTokens } from '../../../src/iam/answer.ts';

const tokens: IamTokens = {
  accessToken: 'access-token-value',
  expiresIn: 3600,
  expiration: 1_800_000_000,
  refreshToken: 'refresh-token-value',
  refreshTokenExpiration: 1_900_000_000,
  accountId: 'acc',
};

describe('credentials', () => {
  it.each([
    ['apikey', undefined, { username: 'iamapikey', secret: 'the-key', expiresAt: undefined }],
    [
      'apikey',
      'Profile-1a2b3c4d-1111-2222-3333-444455556666',
      { username: 'Profile-1a2b3c4d-1111-2222-3333-444455556666', secret: 'the-key', expiresAt: undefined },
    ],
    ['bearer', undefined, { username: 'iambearer', secret: 'access-token-value', expiresAt: '2027-01-15T08:00:00.000Z' }],
    ['refresh', undefined, { username: 'iamrefresh', secret: 'refresh-token-value', expiresAt: '2030-03-17T17:46:40.000Z' }],
  ] as const)('%s (profile %s) gives %j', (type, profile, expected) => {
    expect(credentialFor(type, 'the-key', tokens, profile)).toEqual(expected);
  });

  it('refuses refresh when IAM issued no refresh token', () => {
    expect(() => credentialFor('refresh', 'k', { ...tokens, refreshToken: undefined }, undefined)).toThrow(
      /IAM issued no refresh token.*use auth-type apikey/,
    );
  });

  it('names the base64 form clients store', () => {
    expect(credentialForms({ username: 'iamapikey', secret: 'k3y', expiresAt: undefined })).toEqual([
      'k3y',
      Buffer.from('iamapikey:k3y').toString('base64'),
    ]);
  });

  it('masks every token IAM returns', () => {
    expect(tokenSecrets(tokens)).toEqual(['access-token-value', 'refresh-token-value']);
    expect(tokenSecrets({ ...tokens, refreshToken: undefined })).toEqual(['access-token-value']);
  });
});
