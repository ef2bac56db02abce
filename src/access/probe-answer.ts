// What a registry answers the access check, read by its error code as well as its status
// (docs/icr.md#the-access-check): the token service's answer to the credentials, and
// the answer to the request that stores nothing. Pure.
import { MIN_SECRET_LENGTH } from '../lib/limits.ts';
import { parseJsonObject } from '../lib/json.ts';
import { isRetryableStatus } from '../lib/retry.ts';

/**
 * `ok` passed; `denied` the registry said no to this repository; `refused` its token service refused the
 * credentials themselves; `unproven` it answered in a way that proves nothing (what it said is in
 * `detail`); `retry` may pass on the next try; `broken` will not.
 */
export type ProbeKind = 'ok' | 'denied' | 'refused' | 'unproven' | 'retry' | 'broken';
export type Probe = { readonly kind: ProbeKind; readonly detail: string };

/** The part of an HTTP answer these readers look at. */
export interface Answered {
  readonly status: number;
  readonly body: string;
}

/** The `errors[].code` values of a Distribution error body, in order. */
export function errorCodes(a: Answered): string[] {
  const errors = parseJsonObject(a.body)?.['errors'];
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((e) => {
    const code = (e as Record<string, unknown> | null)?.['code'];
    return typeof code === 'string' ? [code] : [];
  });
}

/** The registry's own words from an errors body, or the status (and whether the body was empty). */
export function registryMessage(a: Answered): string {
  const errors = parseJsonObject(a.body)?.['errors'];
  const first = Array.isArray(errors) ? (errors[0] as Record<string, unknown> | undefined) : undefined;
  const text = [first?.['code'], first?.['message']].filter((p) => typeof p === 'string' && p !== '').join(': ');
  if (text) return `HTTP ${a.status}: ${text}`;
  return a.body.trim() === '' ? `HTTP ${a.status} with no body` : `HTTP ${a.status}`;
}

export function unexpected(what: string, a: Answered): Probe {
  return { kind: isRetryableStatus(a.status) ? 'retry' : 'broken', detail: `${what} answered ${registryMessage(a)}` };
}

const denied = (a: Answered): Probe => ({ kind: 'denied', detail: registryMessage(a) });

/** Distribution's 400 with no body: an error in its auth layer, not a verdict (docs/icr.md#the-access-check). */
const authLayerError = (a: Answered): boolean => a.status === 400 && a.body.trim() === '';
const authLayer = (host: string, a: Answered): Probe => ({
  kind: 'unproven',
  detail: `${host} answered ${registryMessage(a)}, its answer for an error in its own access control`,
});

/** The token service's URL from the challenge's realm, or the Probe that ends the check: credentials go to https only. */
export function readRealm(host: string, realm: string): URL | Probe {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    return { kind: 'broken', detail: `${host} named a token service that is no URL (${JSON.stringify(realm.slice(0, 80))})` };
  }
  if (url.protocol !== 'https:') {
    return { kind: 'broken', detail: `${host} named a token service that is not https (${url.origin}), so the credentials were not sent` };
  }
  return url;
}

/** The token service's answer: the registry token, or the Probe that ends the check. */
export function readTokenAnswer(host: string, a: Answered): { readonly token: string } | Probe {
  // ICR answers 400 Bad Request for a username and password it does not accept (docs/icr.md#usernames).
  if (a.status === 400 || a.status === 401 || a.status === 403) return { kind: 'refused', detail: registryMessage(a) };
  if (a.status !== 200) return unexpected(`The token service of ${host}`, a);
  const body = parseJsonObject(a.body);
  const token = body?.['token'] ?? body?.['access_token'];
  if (typeof token !== 'string' || token === '') return { kind: 'broken', detail: `the token service of ${host} answered no token` };
  if (token.length < MIN_SECRET_LENGTH) {
    return {
      kind: 'broken',
      detail: `the token service of ${host} answered a token of ${token.length} characters, too short to be a registry token, so it was not used`,
    };
  }
  return { token };
}

/** The answer to finishing a blob upload that was never opened (the push test). */
export function readPushAnswer(host: string, a: Answered): Probe {
  if (a.status === 401 || a.status === 403) return denied(a);
  const codes = errorCodes(a);
  // The registry authorised push, then found no such upload: the one answer that proves push.
  if (a.status === 404 && codes.some((c) => c === 'BLOB_UPLOAD_INVALID' || c === 'BLOB_UPLOAD_UNKNOWN')) {
    return { kind: 'ok', detail: 'can push' };
  }
  if (a.status === 404 && codes.includes('NAME_UNKNOWN')) {
    return {
      kind: 'unproven',
      detail: `${host} answered ${registryMessage(a)}, as it does for a repository or namespace it does not know`,
    };
  }
  if (authLayerError(a)) return authLayer(host, a);
  return unexpected(`${host} (push test)`, a);
}

/** The answer to listing the repository's tags (the pull test). */
export function readPullAnswer(host: string, a: Answered): Probe {
  if (a.status === 200) return { kind: 'ok', detail: 'can pull' };
  // A repository not pushed yet, which the key may still pull once it is.
  if (a.status === 404 && errorCodes(a).includes('NAME_UNKNOWN')) return { kind: 'ok', detail: 'can pull' };
  if (a.status === 401 || a.status === 403) return denied(a);
  if (authLayerError(a)) return authLayer(host, a);
  return unexpected(`${host} (list tags)`, a);
}
