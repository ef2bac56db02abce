// The access check's orchestration over real HTTPS (peers on 127.0.0.1 whose CA the request trusts,
// answering as ICR does unless a test says otherwise): namespaces created first, quotas read and
// warned about, a denial explained by what ICR's API shows, transient answers retried within the
// deadline, an answer too large or none at all, and the entitled registry checked without ICR's API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkAccess, type AccessRequest } from '../../../src/access/check.ts';
import * as say from '../../../src/access/messages.ts';
import { AnswerTooLarge, MAX_ANSWER_BYTES } from '../../../src/http/request.ts';
import type { Credential } from '../../../src/iam/credential.ts';
import type { Image } from '../../../src/inputs/images.ts';
import { CLIENT_RETRY } from '../../../src/lib/limits.ts';
import { startPeer, type Peer, type Reply } from '../../fakes/peer.ts';
import { answerAsIcr, errors, quota, REGISTRY_TOKEN, requestsOf, routeOf, type Override, type Route } from './icr-peer.ts';

const KEY = 'unit-test-api-key-0123456789abcdefghijkl';
const ENTITLEMENT = 'unit-test-entitlement-key-0123456789abcdef';
const API_KEY: Credential = { username: 'iamapikey', secret: KEY, expiresAt: undefined };
const IAM = { accessToken: 'iam-access-token-0123456789abcdef', accountId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' };
const DENIED: Reply = { status: 403, body: errors('DENIED', 'requested access to the resource is denied') };
const DENIED_TEXT = 'HTTP 403: DENIED: requested access to the resource is denied';

const image = (repository: string, host?: string): Image => {
  const slash = repository.indexOf('/');
  return { ...(host ? { host } : {}), namespace: repository.slice(0, slash), name: repository.slice(slash + 1), repository };
};

let icr: Peer;
let other: Peer;
let H: string;
beforeAll(async () => {
  [icr, other] = await Promise.all([startPeer(), startPeer()]);
  H = icr.host;
});
afterAll(() => Promise.all([icr.stop(), other.stop()]));

const log = {
  infos: [] as string[],
  warnings: [] as { message: string; title: string | undefined }[],
  debugs: [] as string[],
  masked: [] as string[],
  info: (m: string) => void log.infos.push(m),
  warning: (m: string, title?: string) => void log.warnings.push({ message: m, title }),
  debug: (m: string) => void log.debugs.push(m),
  mask: (s: string) => void log.masked.push(s),
};
beforeEach(() => {
  for (const peer of [icr, other]) {
    peer.seen.length = 0;
    answerAsIcr(peer);
  }
  for (const list of [log.infos, log.warnings, log.debugs, log.masked]) list.length = 0;
});

const check = (r: Partial<AccessRequest> = {}) =>
  checkAccess({
    hosts: [H],
    everywhere: r.hosts ?? [H],
    images: [image('team/app')],
    access: 'push',
    createNamespace: false,
    credentialOf: () => API_KEY,
    iamOf: () => IAM,
    timeoutMs: 10_000,
    env: {},
    log,
    ...r,
  });
const icrAnswers = (overrides: Partial<Record<Route, Override>>) => answerAsIcr(icr, overrides);
/** Each row's host, repository, what was found and its line. */
const rows = async (r: Partial<AccessRequest> = {}) =>
  (await check(r)).rows.map((row) => ({ at: `${row.host}/${row.image.repository}`, ok: row.ok, found: row.found, line: row.line }));

describe('namespaces first', () => {
  it('creates each namespace once, before any image is probed, and says so', async () => {
    const images = [image('team/app'), image('team/web'), image('other/app')];
    expect(await rows({ images, createNamespace: true })).toEqual(
      images.map((i) => ({ at: `${H}/${i.repository}`, ok: true, found: 'created, can push', line: undefined })),
    );
    const creates = requestsOf(icr, 'create');
    expect(creates.map((s) => s.path)).toEqual(['/api/v1/namespaces/team', '/api/v1/namespaces/other']);
    const lastCreate = icr.seen.indexOf(creates.at(-1)!);
    const firstProbe = icr.seen.findIndex((s) => routeOf(s) === 'ping');
    expect(lastCreate).toBeLessThan(firstProbe);
    expect(log.infos).toEqual([say.createdLine(H, 'team'), say.createdLine(H, 'other')]);
  });

  it.each<[string, Reply | 'reset', (host: string) => string | RegExp]>([
    ['409: another account holds it', { status: 409, body: { code: 'CRG0022E', message: 'taken' } }, (h) => say.heldLine(h, 'team')],
    [
      '403: the key may not create it',
      { status: 403, body: { code: 'CRG0019E', message: 'not authorized' } },
      (h) => say.noManagerLine(h, 'team', 'HTTP 403, CRG0019E not authorized'),
    ],
    ['401', { status: 401 }, (h) => say.createFailedLine(h, 'team', 'HTTP 401')],
    ['500', { status: 500 }, (h) => say.createFailedLine(h, 'team', 'HTTP 500')],
    [
      'no answer (a reset connection)',
      'reset',
      () =>
        /^Could not create namespace team in the region of \S+ \(ECONNRESET \(socket hang up\)\); create it with: .* namespace-add team\.$/,
    ],
  ])('a namespace not created (%s) is the reason a denied image gives', async (_what, create, line) => {
    icrAnswers({ create, push: DENIED });
    const [row, ...more] = await rows({ createNamespace: true });
    expect(more).toEqual([]);
    expect({ ...row, line: undefined }).toEqual({ at: `${H}/team/app`, ok: false, found: 'no namespace', line: undefined });
    const expected = line(H);
    if (typeof expected === 'string') expect(row!.line).toBe(expected);
    else expect(row!.line).toMatch(expected);
    expect(log.infos).toEqual([]);
    // The reason is known already: ICR's API is not asked which namespaces the key sees.
    expect(requestsOf(icr, 'namespaces')).toEqual([]);
  });

  it('an image the registry lets through passes though its namespace was not created; one that was there already is not "created"', async () => {
    icrAnswers({ create: (s) => (s.path.endsWith('/team') ? { status: 200 } : { status: 409 }) });
    expect(await rows({ images: [image('team/app'), image('other/app')], createNamespace: true })).toEqual([
      { at: `${H}/team/app`, ok: true, found: 'can push', line: undefined },
      { at: `${H}/other/app`, ok: true, found: 'can push', line: undefined },
    ]);
    expect(log.infos).toEqual([]);
  });

  it.each<[string, Partial<AccessRequest>, 'no-role' | 'either']>([
    ['create-namespace is false', { createNamespace: false }, 'no-role'],
    ['IAM gave no access token', { createNamespace: true, iamOf: () => undefined }, 'either'],
  ])('creates nothing when %s: a denial is explained as a denial', async (_what, r, reason) => {
    icrAnswers({ push: DENIED });
    expect(await rows(r)).toEqual([
      { at: `${H}/team/app`, ok: false, found: 'denied', line: say.denialLine(H, image('team/app'), 'push', reason, DENIED_TEXT) },
    ]);
    expect(requestsOf(icr, 'create')).toEqual([]);
  });
});

describe('quotas', () => {
  it.each<[string, Reply, RegExp[]]>([
    ['storage at 95 %', { status: 200, body: quota([475, 500], [0, 5000]) }, [/^The account has used 95 % of its storage quota in /]],
    [
      'pull traffic at 90 %',
      { status: 200, body: quota([0, 500], [4500, 5000]) },
      [/^The account has used 90 % of its pull traffic quota /],
    ],
    [
      'both full',
      { status: 200, body: quota([500, 500], [5000, 5000]) },
      [/used 100 % of its storage quota/, /used 100 % of its pull traffic quota/],
    ],
    ['storage at 89.9 %', { status: 200, body: quota([899, 1000], [0, 5000]) }, []],
    ['unlimited', { status: 200, body: quota([475, 0], [4500, -1]) }, []],
  ])('%s', async (_what, quotas, warnings) => {
    icrAnswers({ quotas });
    const report = await check();
    expect(log.warnings.map((w) => w.message)).toEqual(warnings.map((w) => expect.stringMatching(w)));
    expect(log.warnings.every((w) => w.title === 'quota')).toBe(true);
    expect([...report.quotas.keys()]).toEqual([H]);
  });

  it('a key that may not read the quota gets a debug line, no warning, and no quota in the report', async () => {
    icrAnswers({ quotas: { status: 403, body: { code: 'CRG0019E', message: 'not authorized' } } });
    const report = await check();
    expect(report.quotas.size).toBe(0);
    expect(log.warnings).toEqual([]);
    expect(log.debugs).toContain(
      `ICR did not show the quota of ${H} to this key (HTTP 403, CRG0019E not authorized); no quota check there.`,
    );
    expect(report.rows.map((r) => r.ok)).toEqual([true]);
  });

  it('a quota read that gets no answer is no quota check either, and the images are still checked', async () => {
    icrAnswers({ quotas: 'reset' });
    const report = await check();
    expect(report.quotas.size).toBe(0);
    expect(log.debugs).toContainEqual(
      expect.stringMatching(/^ICR did not show the quota of \S+ to this key \(ECONNRESET \(socket hang up\)\)/),
    );
    expect(report.rows.map((r) => r.ok)).toEqual([true]);
  });

  it('reads no quota without IAM’s token', async () => {
    const report = await check({ iamOf: () => undefined });
    expect(requestsOf(icr, 'quotas')).toEqual([]);
    expect(report.quotas.size).toBe(0);
  });
});

describe('a denial explained by what ICR’s API shows', () => {
  it.each<[string, Reply | 'reset', 'no-role' | 'missing' | 'either', string]>([
    ['the key sees the namespace: no role', { status: 200, body: ['team'] }, 'no-role', 'denied'],
    ['the key sees other namespaces only: none', { status: 200, body: ['other'] }, 'missing', 'no namespace'],
    ['ICR will not say', { status: 401 }, 'either', 'denied'],
    ['ICR does not answer', 'reset', 'either', 'denied'],
  ])('%s', async (_what, namespaces, reason, found) => {
    icrAnswers({ push: DENIED, namespaces });
    expect(await rows()).toEqual([
      { at: `${H}/team/app`, ok: false, found, line: say.denialLine(H, image('team/app'), 'push', reason, DENIED_TEXT) },
    ]);
  });

  it('asks ICR’s API once per host, whatever the number of denied images, and never when all passed', async () => {
    icrAnswers({ tags: DENIED });
    const images = [image('team/app'), image('team/web'), image('other/app')];
    expect((await rows({ images, access: 'pull' })).map((r) => r.found)).toEqual(['denied', 'denied', 'no namespace']);
    expect(requestsOf(icr, 'namespaces')).toHaveLength(1);
    icrAnswers({});
    icr.seen.length = 0;
    await check({ images });
    expect(requestsOf(icr, 'namespaces')).toEqual([]);
  });

  it('without IAM’s token, cannot tell the two apart and asks no API', async () => {
    icrAnswers({ push: DENIED });
    expect((await rows({ iamOf: () => undefined }))[0]!.line).toBe(say.denialLine(H, image('team/app'), 'push', 'either', DENIED_TEXT));
    expect(icr.seen.filter((s) => s.url.pathname.startsWith('/api/'))).toEqual([]);
  });
});

describe('answers that are not a denial', () => {
  it('credentials the token service refused: the same line for every image of the host', async () => {
    icrAnswers({ token: { status: 401, body: errors('UNAUTHORIZED', 'authentication required') } });
    const line = say.refusedLine(H, 'iamapikey', 'HTTP 401: UNAUTHORIZED: authentication required');
    expect(await rows({ images: [image('team/app'), image('team/web')] })).toEqual([
      { at: `${H}/team/app`, ok: false, found: 'credentials refused', line },
      { at: `${H}/team/web`, ok: false, found: 'credentials refused', line },
    ]);
    expect(requestsOf(icr, 'token')).toHaveLength(2);
  });

  it('an answer that proves nothing is no pass', async () => {
    const unknown = { status: 404, body: errors('NAME_UNKNOWN', 'repository name not known to registry') };
    icrAnswers({ push: unknown });
    const detail = `${H} answered HTTP 404: NAME_UNKNOWN: repository name not known to registry, as it does for a repository or namespace it does not know`;
    expect(await rows()).toEqual([
      { at: `${H}/team/app`, ok: false, found: 'not shown', line: say.unprovenLine(H, image('team/app'), 'push', detail) },
    ]);
  });

  it('masks the registry token', async () => {
    await check();
    expect(log.masked).toEqual([REGISTRY_TOKEN]);
  });
});

describe('retries and bounds', () => {
  const busy: Reply = { status: 503 };
  const failedLine = `The access check of HOST/team/app failed: HOST (push test) answered HTTP 503 with no body.`;

  it.each<[string, Override]>([
    ['a 503', (_s, n) => (n === 1 ? busy : undefined)],
    ['a reset connection', (_s, n) => (n === 1 ? 'reset' : undefined)],
  ])('tries again after %s, and passes', async (_what, push) => {
    icrAnswers({ push });
    expect(await rows()).toEqual([{ at: `${H}/team/app`, ok: true, found: 'can push', line: undefined }]);
    expect(requestsOf(icr, 'push')).toHaveLength(2);
    expect(log.debugs.filter((d) => d.startsWith(`Access check of ${H}/team/app: `) && d.endsWith('. Trying again.'))).toHaveLength(1);
  });

  it('gives up after the policy’s retries, saying what the registry answered', async () => {
    icrAnswers({ push: busy });
    expect(await rows()).toEqual([{ at: `${H}/team/app`, ok: false, found: 'not checked', line: failedLine.replaceAll('HOST', H) }]);
    expect(requestsOf(icr, 'push')).toHaveLength(CLIENT_RETRY.retries + 1);
  });

  it('does not start a try that the deadline leaves no time for', async () => {
    icrAnswers({ push: busy });
    // The first wait is at least half a second, and a try needs a second after it: none fits in 1.2 s.
    expect((await rows({ timeoutMs: 1_200 }))[0]!.line).toBe(failedLine.replaceAll('HOST', H));
    expect(requestsOf(icr, 'push')).toHaveLength(1);
  });

  it('never tries a denial again', async () => {
    icrAnswers({ push: DENIED });
    await check();
    expect(requestsOf(icr, 'push')).toHaveLength(1);
  });

  it('refuses an answer too large, and does not ask again', async () => {
    icrAnswers({ tags: { status: 200, body: 'x'.repeat(MAX_ANSWER_BYTES + 1) } });
    expect(await rows({ access: 'pull' })).toEqual([
      {
        at: `${H}/team/app`,
        ok: false,
        found: 'not checked',
        line: `The access check of ${H}/team/app failed: ${new AnswerTooLarge(H).message}`,
      },
    ]);
    expect(requestsOf(icr, 'tags')).toHaveLength(1);
  });

  it('stops at the step’s timeout when the registry never answers', async () => {
    icrAnswers({ push: 'hang' });
    const started = Date.now();
    expect(await rows({ timeoutMs: 1_000 })).toEqual([
      {
        at: `${H}/team/app`,
        ok: false,
        found: 'not checked',
        line: `The access check of ${H}/team/app failed: no answer within 1 s; check that the runner reaches ${H}, or raise input timeout.`,
      },
    ]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('hosts', () => {
  it('checks an image that names its host there alone, one without on every host', async () => {
    const hosts = [H, other.host];
    const images = [image('team/app'), image('team/web', other.host)];
    expect((await rows({ hosts, images })).map((r) => r.at)).toEqual([`${H}/team/app`, `${other.host}/team/app`, `${other.host}/team/web`]);
    expect(requestsOf(icr, 'push').map((s) => s.url.pathname.split('/blobs')[0])).toEqual(['/v2/team/app']);
  });

  it('checks the entitled registry with the entitlement key and never with ICR’s API', async () => {
    const cp: Credential = { username: 'cp', secret: ENTITLEMENT, expiresAt: undefined };
    answerAsIcr(other, { tags: (s) => (s.url.pathname.includes('/denied/') ? DENIED : undefined) });
    const report = await check({
      hosts: [H, other.host],
      // Only ICR's host checks an image without a host: the entitled registry holds no namespace of ours.
      everywhere: [H],
      images: [image('team/app'), image('cp/ok', other.host), image('cp/denied', other.host)],
      access: 'pull',
      createNamespace: true,
      credentialOf: (host) => (host === other.host ? cp : API_KEY),
      iamOf: (host) => (host === other.host ? undefined : IAM),
    });
    expect(report.rows.map((r) => [r.host, r.image.repository, r.found, r.line])).toEqual([
      [H, 'team/app', 'created, can pull', undefined],
      [other.host, 'cp/ok', 'can pull', undefined],
      [other.host, 'cp/denied', 'not entitled', say.entitledDenialLine(other.host, image('cp/denied', other.host), DENIED_TEXT)],
    ]);
    expect(other.seen.filter((s) => s.url.pathname.startsWith('/api/'))).toEqual([]);
    expect(requestsOf(other, 'token').map((s) => s.headers.authorization)).toEqual(
      Array(2).fill(`Basic ${Buffer.from(`cp:${ENTITLEMENT}`).toString('base64')}`),
    );
    expect([...report.quotas.keys()]).toEqual([H]);
  });
});
