// What IAM's token endpoint answers, read into tokens or one clear sentence (docs/icr.md#iams-token-api). Pure.
import { parseJsonObject } from '../lib/json.ts';
import { msToSeconds } from '../lib/time.ts';

export interface IamTokens {
  readonly accessToken: string;
  /** Seconds the access token lives. */
  readonly expiresIn: number;
  /** Unix seconds when the access token expires. */
  readonly expiration: number;
  /** Absent when IAM issued none (it answers "not_supported" for API-key grants). */
  readonly refreshToken: string | undefined;
  readonly refreshTokenExpiration: number | undefined;
  readonly accountId: string | undefined;
}

export type IamAnswer =
  | { readonly ok: true; readonly tokens: IamTokens }
  | { readonly ok: false; readonly retry: boolean; readonly message: string; readonly refused: boolean };

/** Claims of a JWT's payload, unverified: we only read our own account ID and expiry from it. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  return parseJsonObject(Buffer.from(payload, 'base64url').toString('utf8'));
}

function accountOf(claims: Record<string, unknown> | undefined): string | undefined {
  const account = claims?.['account'];
  const bss = account && typeof account === 'object' ? (account as Record<string, unknown>)['bss'] : undefined;
  return typeof bss === 'string' && bss ? bss : undefined;
}

function num(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** A status IAM may answer differently on the next try. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599 && status !== 501);
}

function describeBody(body: string, contentType: string): string {
  if (/html/i.test(contentType) || /^\s*<(!doctype|html)/i.test(body))
    return 'an HTML page (a proxy or captive portal answering instead of IAM?)';
  if (body.trim() === '') return 'an empty body';
  return 'a body that is not IAM JSON';
}

export function readIamAnswer(status: number, contentType: string, body: string, now: number = Date.now()): IamAnswer {
  const json = parseJsonObject(body);
  if (status >= 200 && status < 300) {
    const accessToken = json?.['access_token'];
    if (!json || typeof accessToken !== 'string' || accessToken === '') {
      const what = json ? 'JSON without an access_token' : describeBody(body, contentType);
      return {
        ok: false,
        retry: false,
        refused: false,
        message: `IAM answered ${status} with ${what}; check iam-endpoint and any proxy between the runner and IAM.`,
      };
    }
    const claims = jwtClaims(accessToken);
    const expiresIn = num(json['expires_in']) ?? 3600;
    const expiration = num(json['expiration']) ?? num(claims?.['exp']) ?? Math.floor(msToSeconds(now)) + expiresIn;
    const refresh = json['refresh_token'];
    const refreshToken = typeof refresh === 'string' && refresh !== '' && refresh !== 'not_supported' ? refresh : undefined;
    return {
      ok: true,
      tokens: {
        accessToken,
        expiresIn,
        expiration,
        refreshToken,
        refreshTokenExpiration: refreshToken ? num(json['refresh_token_expiration']) : undefined,
        accountId: accountOf(claims),
      },
    };
  }

  const code = typeof json?.['errorCode'] === 'string' ? json['errorCode'] : undefined;
  const text = typeof json?.['errorMessage'] === 'string' ? json['errorMessage'].replace(/\s+/g, ' ').trim() : undefined;
  if (code && (status === 400 || status === 401 || status === 403)) {
    return { ok: false, retry: false, refused: true, message: `IAM rejected the API key (${code}: ${text ?? 'no message'})` };
  }
  const detail = code ? `${code}: ${text ?? 'no message'}` : describeBody(body, contentType);
  const retry = isRetryableStatus(status);
  const hint = retry ? '' : '; check iam-endpoint and any proxy between the runner and IAM';
  return { ok: false, retry, refused: false, message: `IAM answered ${status} with ${detail}${hint}` };
}
