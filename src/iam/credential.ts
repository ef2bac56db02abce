// What each auth type hands the clients, and which strings that puts at risk (docs/icr.md#usernames). Pure.
import { UserError } from '../lib/errors.ts';
import { secondsToMs } from '../lib/time.ts';
import type { IamTokens } from './answer.ts';
import type { AuthType } from '../inputs/settings.ts';
import { ENTITLED_USERNAME } from '../inputs/entitled.ts';

export interface Credential {
  readonly username: string;
  readonly secret: string;
  /** When the secret stops working (ISO 8601); undefined when it does not expire during a job. */
  readonly expiresAt: string | undefined;
}

/** What each host's logins are given, hosts in the order they are logged in (ICR's, then the entitled registry). */
export type HostCredentials = ReadonlyMap<string, Credential>;

/** IBM's entitled registry takes its key as it is, as `cp` (docs/icr.md#ibms-entitled-registry). */
export const entitledCredential = (key: string): Credential => ({ username: ENTITLED_USERNAME, secret: key, expiresAt: undefined });

const iso = (unixSeconds: number): string => new Date(secondsToMs(unixSeconds)).toISOString();

/** `tokens` is undefined only for apikey when IAM was out of reach: the key goes to ICR as it is. */
export function credentialFor(authType: AuthType, apiKey: string, tokens: IamTokens | undefined, trustedProfile?: string): Credential {
  if (authType === 'apikey') return { username: trustedProfile ?? 'iamapikey', secret: apiKey, expiresAt: undefined };
  if (!tokens) throw new Error(`auth-type ${authType} needs IAM's tokens`);
  switch (authType) {
    case 'bearer':
      return { username: 'iambearer', secret: tokens.accessToken, expiresAt: iso(tokens.expiration) };
    case 'refresh':
      if (!tokens.refreshToken) {
        throw new UserError(
          'IAM issued no refresh token for this API key (it answers "not_supported" for API-key grants since 2025), so auth-type refresh cannot work; use auth-type apikey, or bearer for credentials that expire within the hour.',
          'auth-type',
        );
      }
      return {
        username: 'iamrefresh',
        secret: tokens.refreshToken,
        expiresAt: tokens.refreshTokenExpiration ? iso(tokens.refreshTokenExpiration) : undefined,
      };
  }
}

/** The forms in which a credential can appear: the secret, and the base64 `user:secret` that clients store. */
export function credentialForms(credential: Credential): string[] {
  const pair = `${credential.username}:${credential.secret}`;
  return [credential.secret, Buffer.from(pair).toString('base64')];
}

/** Secrets in an IAM answer, for masking the moment it arrives. */
export function tokenSecrets(tokens: IamTokens): string[] {
  return tokens.refreshToken ? [tokens.accessToken, tokens.refreshToken] : [tokens.accessToken];
}

/** Each credential once, as several hosts share one. */
export const distinct = (credentials: HostCredentials): Credential[] => [...new Set(credentials.values())];
