// ICR's own API on each region's host: namespaces and quotas, under ICR's role rules, with an IAM
// access token our IAM issued and the Account header of its account.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startEmulator } from '../index.ts';
import type { Emulator, Policy } from '../index.ts';
import type { HttpsResponse } from '../net/https-request.ts';
import { accessTokenOf, clientFor, json } from '../testing/test-client.ts';
import type { Client } from '../testing/test-client.ts';

let emu: Emulator;
let client: Client;
let us: string;
let eu: string;
beforeAll(async () => {
  emu = await startEmulator({ registry: false, regions: ['us-south', 'eu-de'] });
  client = await clientFor(emu);
  [us, eu] = [emu.hostOf('us-south'), emu.hostOf('eu-de')];
});
afterAll(() => emu?.stop());

/** A fresh key with these policies and an IAM token for it. */
async function caller(policies: Policy[], accountId = emu.accounts.main.id): Promise<{ token: string; account: string }> {
  const key = emu.addKey({ accountId, policies });
  return { token: await accessTokenOf(client, key.key), account: accountId };
}

const list = (host: string, auth: { token: string; account: string }) => client.api(host, '/api/v1/namespaces', auth);
const create = (host: string, name: string, auth: { token: string; account: string }, headers: Record<string, string> = {}) =>
  client.api(host, `/api/v1/namespaces/${encodeURIComponent(name)}`, auth, 'PUT', headers);
const quotas = (host: string, auth: { token: string; account: string }) => client.api(host, '/api/v1/quotas', auth);

function expectCrg(res: HttpsResponse, status: number, code: string): void {
  expect(res.status).toBe(status);
  const body = json(res);
  expect(body).toMatchObject({ code });
  expect(body.message).toBeTypeOf('string');
  expect(body['request-id']).toMatch(/^[0-9a-f-]{36}$/);
}

describe('authentication of every call', () => {
  it('401 CRG0014E without a token, with one IAM did not issue, or with a wrong or missing Account', async () => {
    const good = await caller([{ role: 'Manager' }]);
    const forged = `${good.token.slice(0, -4)}AAAA`;
    for (const path of ['/api/v1/namespaces', '/api/v1/quotas']) {
      expectCrg(await client.api(us, path, { account: good.account }), 401, 'CRG0014E');
      expectCrg(await client.api(us, path, { token: forged, account: good.account }), 401, 'CRG0014E');
      expectCrg(await client.api(us, path, { token: good.token, account: emu.accounts.other.id }), 401, 'CRG0014E');
      expectCrg(await client.api(us, path, { token: good.token }), 401, 'CRG0014E');
      expect((await client.api(us, path, good)).status).toBe(200);
    }
    expectCrg(await create(us, 'nobody-here', { token: 'x', account: good.account }), 401, 'CRG0014E');
  });

  it('401 CRG0014E for a token past its exp', async () => {
    const brief = await startEmulator({ registry: false, tokenLifetime: 1 });
    try {
      const briefClient = await clientFor(brief);
      const auth = { token: await accessTokenOf(briefClient, brief.keys.user.key), account: brief.accounts.main.id };
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expectCrg(await briefClient.api(brief.host, '/api/v1/quotas', auth), 401, 'CRG0014E');
    } finally {
      await brief.stop();
    }
  });

  it('answers unknown paths 404 and wrong methods 405 in ICR’s shape', async () => {
    expectCrg(await client.api(us, '/api/v1/nothing', {}), 404, 'CRG0404E');
    const good = await caller([{ role: 'Manager' }]);
    const res = await client.api(us, '/api/v1/quotas', good, 'DELETE');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
  });
});

describe('GET /api/v1/namespaces', () => {
  beforeAll(() => {
    emu.addNamespace('us-south', 'list-a');
    emu.addNamespace('us-south', 'list-b');
    emu.addNamespace('eu-de', 'list-a');
    emu.addNamespace('us-south', 'list-foreign', { accountId: emu.accounts.other.id });
  });

  it('lists the account’s namespaces in that region only, never another account’s', async () => {
    const manager = await caller([{ role: 'Manager' }]);
    const names = json(await list(us, manager)) as unknown as string[];
    expect(names).toEqual(expect.arrayContaining(['ns', 'list-a', 'list-b']));
    expect(names).not.toContain('list-foreign');
    const europe = json(await list(eu, manager)) as unknown as string[];
    expect(europe.sort()).toEqual(['list-a', 'ns']);
  });

  it('needs Reader or Manager: Writer alone, or a role in another region only, is refused', async () => {
    expect((await list(us, await caller([{ role: 'Reader' }]))).status).toBe(200);
    expectCrg(await list(us, await caller([{ role: 'Writer' }])), 403, 'CRG0003E');
    expectCrg(await list(us, await caller([])), 403, 'CRG0003E');
    expectCrg(await list(us, await caller([{ role: 'Reader', region: 'eu-de' }])), 403, 'CRG0003E');
  });

  it('shows a namespace-scoped Reader only that namespace, a resource-group Reader only that group', async () => {
    expect(json(await list(us, await caller([{ role: 'Reader', region: 'us-south', namespace: 'list-b' }])))).toEqual(['list-b']);
    const group = emu.addResourceGroup();
    emu.addNamespace('us-south', 'list-grouped', { resourceGroup: group });
    expect(json(await list(us, await caller([{ role: 'Reader', resourceGroup: group }])))).toEqual(['list-grouped']);
  });
});

describe('PUT /api/v1/namespaces/{name}', () => {
  it('creates (201) with Manager on the account; again is 200; the namespace is in that region only', async () => {
    const manager = await caller([{ role: 'Manager' }]);
    const res = await create(us, 'made-here', manager);
    expect([res.status, json(res)]).toEqual([201, { namespace: 'made-here' }]);
    expect((await create(us, 'made-here', manager)).status).toBe(200);
    expect(emu.namespaces('us-south').find((n) => n.name === 'made-here')).toMatchObject({ accountId: emu.accounts.main.id });
    expect(emu.namespaces('eu-de').map((n) => n.name)).not.toContain('made-here');
  });

  it('refuses Writer, Reader, and a Manager scoped to a region, a namespace or a resource group', async () => {
    for (const policies of [
      [{ role: 'Writer' }],
      [{ role: 'Reader' }],
      [{ role: 'Manager', namespace: 'ns' }],
      [{ role: 'Manager', resourceGroup: emu.accounts.main.resourceGroup }],
      [{ role: 'Manager', region: 'eu-de' }],
      // Manager on this very region is not enough either: adding a namespace needs Manager at account level.
      [{ role: 'Manager', region: 'us-south' }],
      [{ role: 'Manager', region: 'us-south' }, { role: 'Writer' }],
    ] satisfies Policy[][]) {
      expectCrg(await create(us, 'not-made', await caller(policies)), 403, 'CRG0003E');
    }
    expect(emu.namespaces('us-south').map((n) => n.name)).not.toContain('not-made');
  });

  it.each(['abc', 'a'.repeat(31), 'Upper-case', '-dash-first', 'dash-last-', 'dot.ted', 'spa ce'])(
    'refuses the name %j (400)',
    async (name) => {
      expectCrg(await create(us, name, await caller([{ role: 'Manager' }])), 400, 'CRG0010E');
    },
  );

  it.each(['abcd', 'a'.repeat(30), 'a_b-c9', '9lives'])('accepts the name %j', async (name) => {
    expect((await create(eu, name, await caller([{ role: 'Manager' }]))).status).toBe(201);
  });

  it('refuses a name another account holds in that region (409), allows it in another region', async () => {
    emu.addNamespace('us-south', 'taken-name', { accountId: emu.accounts.other.id });
    const manager = await caller([{ role: 'Manager' }]);
    expectCrg(await create(us, 'taken-name', manager), 409, 'CRG0004E');
    expect((await create(eu, 'taken-name', manager)).status).toBe(201);
  });

  it('puts the namespace in the X-Auth-Resource-Group given, which must be the account’s', async () => {
    const manager = await caller([{ role: 'Manager' }]);
    const group = emu.addResourceGroup();
    expect((await create(us, 'grouped-ns', manager, { 'X-Auth-Resource-Group': group })).status).toBe(201);
    expect(emu.namespaces('us-south').find((n) => n.name === 'grouped-ns')?.resourceGroup).toBe(group);
    expectCrg(await create(us, 'lost-ns', manager, { 'X-Auth-Resource-Group': emu.accounts.other.resourceGroup }), 400, 'CRG0011E');
  });

  it('stops at 100 namespaces per account in a region', async () => {
    const manager = await caller([{ role: 'Manager' }], emu.accounts.other.id);
    const have = emu.namespaces('eu-de').filter((n) => n.accountId === emu.accounts.other.id).length;
    for (let i = have; i < 100; i++) emu.addNamespace('eu-de', `bulk-${i}`, { accountId: emu.accounts.other.id });
    expectCrg(await create(eu, 'one-too-many', manager), 403, 'CRG0012E');
  });
});

describe('GET /api/v1/quotas', () => {
  it('answers ICR’s shape, unlimited (-1) by default, with figures a test sets per region and account', async () => {
    const manager = await caller([{ role: 'Manager' }]);
    expect(json(await quotas(us, manager))).toEqual({
      limit: { storage_bytes: -1, traffic_bytes: -1 },
      usage: { storage_bytes: 0, traffic_bytes: 0 },
    });
    emu.setQuota('eu-de', { limit: { storage_bytes: 512 * 2 ** 20, traffic_bytes: 5 * 2 ** 30 }, usage: { storage_bytes: 1234 } });
    expect(json(await quotas(eu, manager))).toEqual({
      limit: { storage_bytes: 512 * 2 ** 20, traffic_bytes: 5 * 2 ** 30 },
      usage: { storage_bytes: 1234, traffic_bytes: 0 },
    });
    expect(json(await quotas(us, manager))).toMatchObject({ limit: { storage_bytes: -1 } });
    const foreign = await caller([{ role: 'Reader' }], emu.accounts.other.id);
    expect(json(await quotas(eu, foreign))).toMatchObject({ usage: { storage_bytes: 0 } });
  });

  it('is open to any role on the account or region, refused to namespace- or group-scoped policies', async () => {
    for (const role of ['Reader', 'Writer', 'Manager'] as const) expect((await quotas(us, await caller([{ role }]))).status).toBe(200);
    expect((await quotas(us, await caller([{ role: 'Writer', region: 'us-south' }]))).status).toBe(200);
    expectCrg(await quotas(us, await caller([{ role: 'Manager', region: 'us-south', namespace: 'ns' }])), 403, 'CRG0003E');
    expectCrg(await quotas(us, await caller([{ role: 'Manager', resourceGroup: emu.accounts.main.resourceGroup }])), 403, 'CRG0003E');
    expectCrg(await quotas(us, await caller([{ role: 'Manager', region: 'eu-de' }])), 403, 'CRG0003E');
    expectCrg(await quotas(us, await caller([])), 403, 'CRG0003E');
  });
});
