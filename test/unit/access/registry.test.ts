// The registry probe over real HTTPS (a peer on 127.0.0.1 whose CA the request trusts): the challenge,
// the token service asked for the repository's scope with the clients' credentials, and the request
// that stores nothing, each answer read into what the check reports.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { probe } from '../../../src/access/registry.ts';
import type { AccessKind } from '../../../src/inputs/images.ts';
import type { Credential } from '../../../src/iam/credential.ts';
import { startPeer, type Peer, type Reply } from '../../fakes/peer.ts';
import { answerAsIcr, errors, REGISTRY_TOKEN, requestsOf, routeOf, type Route } from './icr-peer.ts';

const KEY = 'unit-test-api-key-0123456789abcdefghijkl';
const CREDENTIAL: Credential = { username: 'iamapikey', secret: KEY, expiresAt: undefined };
const BASIC = `Basic ${Buffer.from(`iamapikey:${KEY}`).toString('base64')}`;

let peer: Peer;
let H: string;
beforeAll(async () => {
  peer = await startPeer();
  H = peer.host;
});
afterAll(() => peer.stop());
beforeEach(() => {
  peer.seen.length = 0;
  answerAsIcr(peer);
});

let masked: string[] = [];
const run = (access: AccessKind, repo = 'team/app') => {
  masked = [];
  return probe(H, repo, access, CREDENTIAL, { env: {}, signal: AbortSignal.timeout(5_000) }, (s) => void masked.push(s));
};
const challenge = (value: string): Reply => ({ status: 401, headers: { 'www-authenticate': value } });

describe('what the probe sends', () => {
  it('pull: asks the token service for pull with the clients’ credentials, then lists tags with the token it gave', async () => {
    expect(await run('pull')).toEqual({ kind: 'ok', detail: 'can pull' });
    expect(peer.seen.map(routeOf)).toEqual(['ping', 'token', 'tags']);
    const [ping, token, tags] = peer.seen;
    expect(ping!.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(token!.url.searchParams)).toEqual({ service: 'registry', scope: 'repository:team/app:pull' });
    expect(token!.headers.authorization).toBe(BASIC);
    expect(tags!.path).toBe('/v2/team/app/tags/list');
    expect(tags!.headers.authorization).toBe(`Bearer ${REGISTRY_TOKEN}`);
    // The registry token is hidden before anything could print it.
    expect(masked).toEqual([REGISTRY_TOKEN]);
  });

  it('push: asks for pull,push, then finishes an upload that was never opened, with an empty body', async () => {
    expect(await run('push')).toEqual({ kind: 'ok', detail: 'can push' });
    const [token] = requestsOf(peer, 'token');
    expect(token!.url.searchParams.get('scope')).toBe('repository:team/app:pull,push');
    const [put] = requestsOf(peer, 'push');
    expect(put!.url.pathname).toMatch(/^\/v2\/team\/app\/blobs\/uploads\/[0-9a-f-]{36}$/);
    expect(put!.url.searchParams.get('digest')).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(put!.headers['content-length']).toBe('0');
    expect(put!.body).toBe('');
    expect(put!.headers.authorization).toBe(`Bearer ${REGISTRY_TOKEN}`);
    // A fresh upload id each time: two probes never finish the same upload.
    await run('push');
    expect(new Set(requestsOf(peer, 'push').map((s) => s.url.pathname)).size).toBe(2);
  });

  it('a registry that needs no token is probed without credentials', async () => {
    answerAsIcr(peer, { ping: { status: 200, body: {} } });
    expect(await run('pull')).toEqual({ kind: 'ok', detail: 'can pull' });
    expect(peer.seen.map(routeOf)).toEqual(['ping', 'tags']);
    expect(peer.seen.every((s) => s.headers.authorization === undefined)).toBe(true);
    expect(masked).toEqual([]);
  });

  it.each<[string, string, Record<string, string>]>([
    [
      'an unquoted realm, as ICR’s entitled registry sends it',
      'Bearer realm=https://HOST/oauth/token, service=registry',
      { service: 'registry' },
    ],
    ['no service', 'Bearer realm="https://HOST/oauth/token"', {}],
    ['Basic first, then Bearer', 'Basic realm="x", Bearer realm="https://HOST/oauth/token",service="icr"', { service: 'icr' }],
  ])('reads a challenge with %s', async (_what, header, params) => {
    answerAsIcr(peer, { ping: challenge(header.replace('HOST', H)) });
    expect(await run('pull')).toEqual({ kind: 'ok', detail: 'can pull' });
    const [token] = requestsOf(peer, 'token');
    expect(Object.fromEntries(token!.url.searchParams)).toEqual({ ...params, scope: 'repository:team/app:pull' });
  });
});

describe('what the probe makes of the ping', () => {
  it.each<[string, Reply, string, string]>([
    ['a 401 without a Bearer challenge', challenge('Basic realm="registry"'), 'broken', 'H/v2/ answered HTTP 401 with no body'],
    ['a Bearer challenge without a realm', challenge('Bearer service="registry"'), 'broken', 'H/v2/ answered HTTP 401 with no body'],
    ['a 404', { status: 404, body: 'not here' }, 'broken', 'H/v2/ answered HTTP 404'],
    ['a 503', { status: 503 }, 'retry', 'H/v2/ answered HTTP 503 with no body'],
    [
      'a 429',
      { status: 429, body: errors('TOOMANYREQUESTS', 'slow down') },
      'retry',
      'H/v2/ answered HTTP 429: TOOMANYREQUESTS: slow down',
    ],
  ])('%s ends the probe (%s) before any credential is sent', async (_what, reply, kind, detail) => {
    answerAsIcr(peer, { ping: reply });
    expect(await run('push')).toEqual({ kind, detail: detail.replace('H/', `${H}/`) });
    expect(peer.seen.map(routeOf)).toEqual(['ping']);
  });

  it.each<[string, string, string]>([
    [
      'an http realm',
      'Bearer realm="http://HOST/oauth/token"',
      'named a token service that is not https (http://HOST), so the credentials were not sent',
    ],
    ['a realm that is no URL', 'Bearer realm="/oauth/token"', 'named a token service that is no URL ("/oauth/token")'],
  ])('%s: the credentials go nowhere', async (_what, header, detail) => {
    answerAsIcr(peer, { ping: challenge(header.replace('HOST', H)) });
    expect(await run('push')).toEqual({ kind: 'broken', detail: `${H} ${detail.replace('HOST', H)}` });
    expect(peer.seen.map(routeOf)).toEqual(['ping']);
  });
});

describe('what the probe makes of the token service’s answer', () => {
  const SERVICE = 'The token service of H answered';
  it.each<[string, Reply, string, string]>([
    [
      '400 (ICR’s answer to a username and password it does not accept)',
      { status: 400, body: errors('UNAUTHORIZED', 'bad credentials') },
      'refused',
      'HTTP 400: UNAUTHORIZED: bad credentials',
    ],
    [
      '401',
      { status: 401, body: errors('UNAUTHORIZED', 'authentication required') },
      'refused',
      'HTTP 401: UNAUTHORIZED: authentication required',
    ],
    ['403', { status: 403 }, 'refused', 'HTTP 403 with no body'],
    ['500', { status: 500 }, 'retry', `${SERVICE} HTTP 500 with no body`],
    ['502', { status: 502, body: '<html>bad gateway</html>' }, 'retry', `${SERVICE} HTTP 502`],
    ['501 (not transient)', { status: 501 }, 'broken', `${SERVICE} HTTP 501 with no body`],
    ['302', { status: 302, headers: { location: 'https://example.com/' } }, 'broken', `${SERVICE} HTTP 302 with no body`],
    ['200 with no token', { status: 200, body: { expires_in: 300 } }, 'broken', 'the token service of H answered no token'],
    ['200 with an empty token', { status: 200, body: { token: '' } }, 'broken', 'the token service of H answered no token'],
    ['200 that is no JSON', { status: 200, body: 'token=abc' }, 'broken', 'the token service of H answered no token'],
    [
      '200 with a token too short to be one',
      { status: 200, body: { token: 'abc' } },
      'broken',
      'the token service of H answered a token of 3 characters, too short to be a registry token, so it was not used',
    ],
  ])('%s', async (_what, reply, kind, detail) => {
    answerAsIcr(peer, { token: reply });
    expect(await run('push')).toEqual({ kind, detail: detail.replace(' H ', ` ${H} `) });
    // The check ends at the token service: no probe without a token, and no short "token" masked.
    expect(peer.seen.map(routeOf)).toEqual(['ping', 'token']);
    expect(masked).toEqual([]);
  });

  it('takes access_token where token is absent (the OAuth 2 name)', async () => {
    answerAsIcr(peer, { token: { status: 200, body: { access_token: REGISTRY_TOKEN } } });
    expect(await run('pull')).toEqual({ kind: 'ok', detail: 'can pull' });
    expect(requestsOf(peer, 'tags')[0]!.headers.authorization).toBe(`Bearer ${REGISTRY_TOKEN}`);
  });
});

describe('what the probe makes of the registry’s answer', () => {
  const DENIED = errors('DENIED', 'requested access to the resource is denied');
  it.each<[AccessKind, Route, Reply, string, string]>([
    ['pull', 'tags', { status: 200, body: { tags: ['1'] } }, 'ok', 'can pull'],
    ['pull', 'tags', { status: 404, body: errors('NAME_UNKNOWN', 'repository name not known to registry') }, 'ok', 'can pull'],
    ['pull', 'tags', { status: 403, body: DENIED }, 'denied', 'HTTP 403: DENIED: requested access to the resource is denied'],
    ['pull', 'tags', { status: 400 }, 'unproven', 'H answered HTTP 400 with no body, its answer for an error in its own access control'],
    ['pull', 'tags', { status: 503 }, 'retry', 'H (list tags) answered HTTP 503 with no body'],
    ['push', 'push', { status: 404, body: errors('BLOB_UPLOAD_INVALID', 'blob upload invalid') }, 'ok', 'can push'],
    [
      'push',
      'push',
      { status: 404, body: errors('NAME_UNKNOWN', 'repository name not known to registry') },
      'unproven',
      'H answered HTTP 404: NAME_UNKNOWN: repository name not known to registry, as it does for a repository or namespace it does not know',
    ],
    [
      'push',
      'push',
      { status: 401, body: errors('UNAUTHORIZED', 'authentication required') },
      'denied',
      'HTTP 401: UNAUTHORIZED: authentication required',
    ],
    ['push', 'push', { status: 201 }, 'broken', 'H (push test) answered HTTP 201 with no body'],
  ])('%s, %s answers %j: %s', async (access, route, reply, kind, detail) => {
    answerAsIcr(peer, { [route]: reply });
    expect(await run(access)).toEqual({ kind, detail: detail.replace(/^H /, `${H} `) });
    expect(requestsOf(peer, route)).toHaveLength(1);
  });
});
