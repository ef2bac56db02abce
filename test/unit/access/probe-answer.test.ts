// The access check's answers read by their error codes as well as their status: the token service's
// answer to the credentials, and the push and pull tests (Distribution's codes, ICR's 400).
import { describe, expect, it } from 'vitest';
import {
  readPullAnswer,
  readPushAnswer,
  readRealm,
  readTokenAnswer,
  registryMessage,
  type ProbeKind,
} from '../../../src/access/probe-answer.ts';

const H = 'us.icr.io';
const errors = (...pairs: [string, string][]) =>
  JSON.stringify({ errors: pairs.map(([code, message]) => ({ code, message, detail: null })) });
const DENIED = errors(['DENIED', 'requested access to the resource is denied']);
const UNAUTHORIZED = errors(['UNAUTHORIZED', 'authentication required']);
const JWT = `eyJhbGciOiJSUzI1NiJ9.${'e'.repeat(40)}.${'s'.repeat(40)}`;

describe('the push test (a PUT of an upload never opened)', () => {
  it.each<[string, number, string, ProbeKind, string]>([
    ['BLOB_UPLOAD_INVALID: push allowed', 404, errors(['BLOB_UPLOAD_INVALID', 'blob upload invalid']), 'ok', 'can push'],
    ['BLOB_UPLOAD_UNKNOWN: push allowed', 404, errors(['BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry']), 'ok', 'can push'],
    [
      'NAME_UNKNOWN: not a yes',
      404,
      errors(['NAME_UNKNOWN', 'repository name not known to registry']),
      'unproven',
      `${H} answered HTTP 404: NAME_UNKNOWN: repository name not known to registry, as it does for a repository or namespace it does not know`,
    ],
    [
      'a 400 with no body (an error in the auth layer): not a yes',
      400,
      '',
      'unproven',
      `${H} answered HTTP 400 with no body, its answer for an error in its own access control`,
    ],
    ['401: denied', 401, UNAUTHORIZED, 'denied', 'HTTP 401: UNAUTHORIZED: authentication required'],
    ['403: denied', 403, DENIED, 'denied', 'HTTP 403: DENIED: requested access to the resource is denied'],
    ['403 without a body: denied', 403, '', 'denied', 'HTTP 403 with no body'],
    ['404 without a code: proves nothing', 404, '404 page not found\n', 'broken', `${H} (push test) answered HTTP 404`],
    [
      '400 NAME_INVALID: proves nothing',
      400,
      errors(['NAME_INVALID', 'invalid repository name']),
      'broken',
      `${H} (push test) answered HTTP 400: NAME_INVALID: invalid repository name`,
    ],
    ['201: a registry that took a ghost upload', 201, '', 'broken', `${H} (push test) answered HTTP 201 with no body`],
    ['503: worth another try', 503, '', 'retry', `${H} (push test) answered HTTP 503 with no body`],
    [
      '429: worth another try',
      429,
      errors(['TOOMANYREQUESTS', 'slow down']),
      'retry',
      `${H} (push test) answered HTTP 429: TOOMANYREQUESTS: slow down`,
    ],
  ])('%s', (_what, status, body, kind, detail) => {
    expect(readPushAnswer(H, { status, body })).toEqual({ kind, detail });
  });

  it('the code counts wherever it is among the errors', () => {
    const body = errors(['UNSUPPORTED', 'x'], ['BLOB_UPLOAD_INVALID', 'y']);
    expect(readPushAnswer(H, { status: 404, body }).kind).toBe('ok');
    expect(readPushAnswer(H, { status: 404, body: '{"errors":[null, 7, {"code":"NAME_UNKNOWN"}]}' }).kind).toBe('unproven');
  });
});

describe('the pull test (list tags)', () => {
  it.each<[string, number, string, ProbeKind]>([
    ['200: pull allowed', 200, '{"name":"ns/app","tags":["1"]}', 'ok'],
    [
      '404 NAME_UNKNOWN: not pushed yet, may be pulled once it is',
      404,
      errors(['NAME_UNKNOWN', 'repository name not known to registry']),
      'ok',
    ],
    ['404 without a code: proves nothing', 404, '', 'broken'],
    ['400 with no body: not a yes', 400, '', 'unproven'],
    ['401: denied', 401, UNAUTHORIZED, 'denied'],
    ['403: denied', 403, DENIED, 'denied'],
    ['502: worth another try', 502, '', 'retry'],
  ])('%s', (_what, status, body, kind) => {
    expect(readPullAnswer(H, { status, body }).kind).toBe(kind);
  });
});

describe('the realm a challenge names', () => {
  it('an https URL is where the credentials go', () => {
    expect(String(readRealm(H, 'https://us.icr.io/oauth/token'))).toBe('https://us.icr.io/oauth/token');
  });

  it.each([
    ['no URL', 'oauth/token', `${H} named a token service that is no URL ("oauth/token"), so`],
    [
      'plain http',
      'http://us.icr.io/oauth/token',
      `${H} named a token service that is not https (http://us.icr.io), so the credentials were not sent`,
    ],
    ['another scheme', 'ftp://x/y', `${H} named a token service that is not https (ftp://x)`],
  ])('%s: the credentials are not sent', (_what, realm, detail) => {
    const read = readRealm(H, realm);
    expect(read).not.toBeInstanceOf(URL);
    expect(read).toMatchObject({ kind: 'broken' });
    expect((read as { detail: string }).detail.startsWith(detail.replace(/, so$/, ''))).toBe(true);
  });
});

describe('the token service', () => {
  it.each<[string, number, string, ProbeKind, string]>([
    ['400 (ICR: the username and password are not valid): refused', 400, '', 'refused', 'HTTP 400 with no body'],
    [
      '401: refused',
      401,
      errors(['UNAUTHORIZED', 'The login credentials are not valid, or your IBM Cloud account is not active.']),
      'refused',
      'HTTP 401: UNAUTHORIZED: The login credentials are not valid, or your IBM Cloud account is not active.',
    ],
    ['403: refused', 403, '', 'refused', 'HTTP 403 with no body'],
    ['500: worth another try', 500, '', 'retry', `The token service of ${H} answered HTTP 500 with no body`],
    ['404: broken', 404, 'not here', 'broken', `The token service of ${H} answered HTTP 404`],
    ['200 without a token', 200, '{"expires_in":300}', 'broken', `the token service of ${H} answered no token`],
    ['200 that is no JSON', 200, '<html>', 'broken', `the token service of ${H} answered no token`],
    [
      '200 with a 3-character token: refused, never used or masked',
      200,
      '{"token":"0.1"}',
      'broken',
      `the token service of ${H} answered a token of 3 characters, too short to be a registry token, so it was not used`,
    ],
    [
      '200 with a 15-character access_token',
      200,
      '{"access_token":"abcdefghijklmno"}',
      'broken',
      `the token service of ${H} answered a token of 15 characters, too short to be a registry token, so it was not used`,
    ],
  ])('%s', (_what, status, body, kind, detail) => {
    expect(readTokenAnswer(H, { status, body })).toEqual({ kind, detail });
  });

  it.each([
    ['token', JSON.stringify({ token: JWT, expires_in: 300 })],
    ['access_token', JSON.stringify({ access_token: JWT })],
    ['a token of exactly 16 characters', JSON.stringify({ token: 'abcdefghijklmnop' })],
  ])('200 with %s: the token', (_what, body) => {
    const token = (JSON.parse(body) as { token?: string; access_token?: string }).token ?? JSON.parse(body).access_token;
    expect(readTokenAnswer(H, { status: 200, body })).toEqual({ token });
  });
});

describe("the registry's words", () => {
  it.each([
    [{ status: 403, body: DENIED }, 'HTTP 403: DENIED: requested access to the resource is denied'],
    [{ status: 400, body: '  \n' }, 'HTTP 400 with no body'],
    [{ status: 400, body: 'Bad Request' }, 'HTTP 400'],
    [{ status: 404, body: '{"errors":[{"code":"NAME_UNKNOWN"}]}' }, 'HTTP 404: NAME_UNKNOWN'],
  ])('%j is %s', (answer, text) => {
    expect(registryMessage(answer)).toBe(text);
  });
});
