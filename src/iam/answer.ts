// What IAM's token endpoint answers, read into tokens or one clear sentence (docs/icr.md#iams-token-api). Pure.
import { parseJsonObject } from '../lib/json.ts';
import { isRetryableStatus } from '../lib/retry.ts';
import { MIN_SECRET_LENGTH } from '../lib/limits.ts';
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

/** Why IAM gave no token: `refused` a credential it judged (400/401/403 in one of IAM's error shapes),
 * `retry` an answer that may differ on the next try (429, 5xx but 501), `broken` anything else. */
export type IamFailureKind = 'refused' | 'retry' | 'broken';

export interface IamFailure {
  readonly ok: false;
  readonly status: number;
  readonly kind: IamFailureKind;
  /** IAM's error code (`BXNIM0415E`), when the body is one of IAM's error shapes. */
  readonly code: string | undefined;
  /** IAM's error message, or what the body was instead. */
  readonly detail: string;
  /** IAM's errorDetails, one line; never printed for a grant that sends a key (they may name it). */
  readonly details?: string;
}

export type IamAnswer = { readonly ok: true; readonly tokens: IamTokens } | IamFailure;

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

function describeBody(body: string, contentType: string, service: string): string {
  if (/html/i.test(contentType) || /^\s*<(!doctype|html)/i.test(body))
    return `an HTML page (a proxy or captive portal answering instead of ${service}?)`;
  if (body.trim() === '') return 'an empty body';
  return 'a body that is not IAM JSON';
}

/** `service` names who should have answered, for a body that is not theirs. */
export function readIamAnswer(status: number, contentType: string, body: string, now: number = Date.now(), service = 'IAM'): IamAnswer {
  const json = parseJsonObject(body);
  if (status >= 200 && status < 300) {
    const accessToken = json?.['access_token'];
    const broken = (detail: string): IamFailure => ({ ok: false, status, kind: 'broken', code: undefined, detail });
    if (!json || typeof accessToken !== 'string' || accessToken === '') {
      return broken(json ? 'JSON without an access_token' : describeBody(body, contentType, service));
    }
    const refresh = json['refresh_token'];
    const refreshToken = typeof refresh === 'string' && refresh !== '' && refresh !== 'not_supported' ? refresh : undefined;
    // Refused, never masked: a token this short is no credential, and masking it would star the log.
    const short = [accessToken, refreshToken ?? ''].find((t) => t !== '' && t.length < MIN_SECRET_LENGTH);
    if (short !== undefined) {
      const which = short === accessToken ? 'an access_token' : 'a refresh_token';
      return broken(`${which} of ${short.length} characters, too short to be an IAM token`);
    }
    const claims = jwtClaims(accessToken);
    const expiresIn = num(json['expires_in']) ?? 3600;
    // IAM says `expiration` (unix seconds); the VPC metadata service says `expires_at` (ISO 8601).
    const expiration =
      num(json['expiration']) ?? isoSeconds(json['expires_at']) ?? num(claims?.['exp']) ?? Math.floor(msToSeconds(now)) + expiresIn;
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

  const error = iamError(json);
  const kind: IamFailureKind =
    error && (status === 400 || status === 401 || status === 403) ? 'refused' : isRetryableStatus(status) ? 'retry' : 'broken';
  const details = typeof json?.['errorDetails'] === 'string' ? oneLine(json['errorDetails']) : undefined;
  return {
    ok: false,
    status,
    kind,
    code: error?.code,
    detail: error?.message ?? describeBody(body, contentType, service),
    ...(details ? { details } : {}),
  };
}

/** Unix seconds of an ISO 8601 time, or undefined. */
function isoSeconds(value: unknown): number | undefined {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? Math.floor(msToSeconds(ms)) : undefined;
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * IAM's two error shapes (docs/icr.md, "IAM"): `{errorCode, errorMessage}` from the token endpoint, and
 * `{errors: [{code, message}], status_code}` from IBM's other identity APIs.
 */
function iamError(json: Record<string, unknown> | undefined): { code: string; message: string } | undefined {
  const clean = (v: unknown): string => (typeof v === 'string' && v.trim() ? oneLine(v) : 'no message');
  if (typeof json?.['errorCode'] === 'string') return { code: json['errorCode'], message: clean(json['errorMessage']) };
  const first = Array.isArray(json?.['errors']) ? (json['errors'] as unknown[])[0] : undefined;
  if (first && typeof first === 'object' && typeof (first as Record<string, unknown>)['code'] === 'string') {
    const e = first as Record<string, unknown>;
    return { code: e['code'] as string, message: clean(e['message']) };
  }
  return undefined;
}
