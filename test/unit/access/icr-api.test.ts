// ICR's API over real HTTPS (a peer on 127.0.0.1 whose CA the request trusts): namespaces listed and
// created, the quota read, each with IAM's token and the Account header, and each answer ICR can give.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiMessage, createNamespace, listNamespaces, readQuota, type IamSession } from '../../../src/access/icr-api.ts';
import { startPeer, type Peer, type Reply } from '../../fakes/peer.ts';

const IAM: IamSession = { accessToken: 'iam-access-token-0123456789abcdef', accountId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' };
const NET = () => ({ env: {}, signal: AbortSignal.timeout(5_000) });
const ICR_ERROR = { code: 'CRG0019E', message: 'You are not authorized to access the specified resource.' };

let peer: Peer;
let reply: Reply;
beforeAll(async () => {
  peer = await startPeer();
  peer.answer = () => reply;
});
afterAll(() => peer.stop());
beforeEach(() => {
  peer.seen.length = 0;
});

describe('every request to ICR’s API', () => {
  it('carries IAM’s token and the account, and nothing else of ours', async () => {
    reply = { status: 200, body: [] };
    await listNamespaces(peer.host, IAM, NET());
    reply = { status: 201 };
    await createNamespace(peer.host, 'team', IAM, NET());
    reply = { status: 200, body: {} };
    await readQuota(peer.host, IAM, NET());
    expect(peer.seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /api/v1/namespaces',
      'PUT /api/v1/namespaces/team',
      'GET /api/v1/quotas',
    ]);
    for (const s of peer.seen) {
      expect(s.headers.authorization).toBe(`Bearer ${IAM.accessToken}`);
      expect(s.headers.account).toBe(IAM.accountId);
    }
    expect(peer.seen[1]!.headers['content-length']).toBe('0');
  });
});

describe('listNamespaces', () => {
  it.each<[string, Reply, string[] | undefined]>([
    ['names', { status: 200, body: ['team', 'other'] }, ['team', 'other']],
    ['objects with a name (the API’s newer shape)', { status: 200, body: [{ name: 'team' }, { name: 7 }, {}] }, ['team', '7', '']],
    ['an empty list', { status: 200, body: [] }, []],
    ['an object, not a list', { status: 200, body: { namespaces: ['team'] } }, undefined],
    ['a body that is no JSON', { status: 200, body: 'team' }, undefined],
    ['a refusal', { status: 401, body: ICR_ERROR }, undefined],
    ['an outage', { status: 503 }, undefined],
  ])('%s', async (_what, r, expected) => {
    reply = r;
    expect(await listNamespaces(peer.host, IAM, NET())).toEqual(expected);
  });
});

describe('createNamespace', () => {
  const said = `HTTP %s, ${ICR_ERROR.code} ${ICR_ERROR.message}`;
  it.each<[number, object | undefined, object]>([
    [201, undefined, { kind: 'created' }],
    [200, undefined, { kind: 'exists' }],
    [409, ICR_ERROR, { kind: 'held', detail: said.replace('%s', '409') }],
    [403, ICR_ERROR, { kind: 'no-manager', detail: said.replace('%s', '403') }],
    [401, ICR_ERROR, { kind: 'failed', detail: said.replace('%s', '401') }],
    [500, undefined, { kind: 'failed', detail: 'HTTP 500' }],
    [400, { message: 'The namespace name is not valid.' }, { kind: 'failed', detail: 'HTTP 400, The namespace name is not valid.' }],
  ])('%s %j: %j', async (status, body, expected) => {
    reply = body ? { status, body } : { status };
    expect(await createNamespace(peer.host, 'team', IAM, NET())).toEqual(expected);
  });

  it('puts the name in the path encoded', async () => {
    reply = { status: 201 };
    await createNamespace(peer.host, 'a/b c', IAM, NET());
    expect(peer.seen[0]!.path).toBe('/api/v1/namespaces/a%2Fb%20c');
  });
});

describe('readQuota', () => {
  it.each<[string, Reply, unknown]>([
    [
      'limits and use',
      { status: 200, body: { limit: { storage_bytes: 500, traffic_bytes: 5000 }, usage: { storage_bytes: 450, traffic_bytes: 10 } } },
      { limit: { storage: 500, traffic: 5000 }, usage: { storage: 450, traffic: 10 } },
    ],
    [
      'figures missing or not numbers (unknown: -1)',
      { status: 200, body: { limit: { storage_bytes: '500' }, usage: null } },
      { limit: { storage: -1, traffic: -1 }, usage: { storage: -1, traffic: -1 } },
    ],
    ['a body that is no JSON object', { status: 200, body: '[]' }, 'HTTP 200'],
    ['a refusal in ICR’s words', { status: 403, body: ICR_ERROR }, `HTTP 403, ${ICR_ERROR.code} ${ICR_ERROR.message}`],
    ['a refusal without a body', { status: 401 }, 'HTTP 401'],
  ])('%s', async (_what, r, expected) => {
    reply = r;
    expect(await readQuota(peer.host, IAM, NET())).toEqual(expected);
  });
});

describe('apiMessage', () => {
  const answer = (status: number, body: string) => ({ status, body, header: () => undefined });
  it.each<[number, string, string]>([
    [403, JSON.stringify(ICR_ERROR), `HTTP 403, ${ICR_ERROR.code} ${ICR_ERROR.message}`],
    [403, JSON.stringify({ message: 'no' }), 'HTTP 403, no'],
    [403, JSON.stringify({ code: 'CRG0019E' }), 'HTTP 403'],
    [403, JSON.stringify({ code: 1, message: 'no' }), 'HTTP 403, no'],
    [502, '<html>bad gateway</html>', 'HTTP 502'],
  ])('%s %s: %s', (status, body, expected) => {
    expect(apiMessage(answer(status, body))).toBe(expected);
  });
});
