// The emulated VPC metadata service as IBM documents it: both API versions, instances with linked
// profiles, Metadata-Flavor required, tokens that expire, every failure in the VPC error shape, and the
// IAM tokens it hands out accepted by ICR with the profile's policies.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { CR_TOKEN_GRANT, crRule, decodeJwtPayload, startEmulator } from '../index.ts';
import type { Emulator, InstanceRecord, ProfileRecord } from '../index.ts';
import { clientFor, json, refusedStatus } from '../testing/test-client.ts';
import type { Client } from '../testing/test-client.ts';
import { PATHS, iamCall, identityToken, instanceIamToken, metadata, metadataError, tokenCall } from './metadata-client.ts';
import type { Api } from './metadata-client.ts';

let emu: Emulator;
let client: Client;
let pusher: ProfileRecord;
let reader: ProfileRecord;
let vsi: InstanceRecord;
beforeAll(async () => {
  emu = await startEmulator({ registry: false });
  client = await clientFor(emu);
  pusher = emu.addProfile({ name: 'vsi-pusher', policies: [{ role: 'Writer', namespace: 'ns' }] });
  reader = emu.addProfile({ name: 'vsi-reader', policies: [{ role: 'Reader' }] });
  vsi = await emu.addInstance({ defaultProfile: pusher, profiles: [reader] });
});
afterEach(() => emu.clearFaults());
afterAll(() => emu?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const grantedActions = async (token: string) =>
  decodeJwtPayload(String(json(await client.token('iambearer', token)).token)).access as Array<{ actions: string[] }>;

describe('instance identity tokens', () => {
  it.each(['2022-03-01', '2025-08-26'] as const)('API %s: PUT …/token answers the token, its times and lifetime', async (api) => {
    const res = await tokenCall(vsi, api, '{"expires_in": 600}');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    const body = json(res);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'created_at', 'expires_at', 'expires_in']);
    expect(body.expires_in).toBe(600);
    expect(Date.parse(String(body.expires_at)) - Date.parse(String(body.created_at))).toBe(600_000);
    const token = String(body.access_token);
    expect(decodeJwtPayload(token)).toMatchObject({
      iss: 'VSI-CR_us-south',
      iaas: { instanceID: vsi.id, crn: vsi.crn, accountID: emu.accounts.main.id, region: 'us-south', zone: 'us-south-1' },
      vpc: { id: vsi.vpcId },
    });
    expect(emu.secrets()).toContain(token);
  });

  it('lives 300 s when the body asks nothing, and carries a nonce it was given', async () => {
    for (const body of ['', '{}']) expect(json(await tokenCall(vsi, '2022-03-01', body)).expires_in).toBe(300);
    const res = await tokenCall(vsi, '2025-08-26', '{"expires_in": 5, "nonce": "n-42"}');
    expect(decodeJwtPayload(String(json(res).access_token)).nonce).toBe('n-42');
  });

  it.each([4, 3601, 7200, 0, 30.5, '300', null])('refuses expires_in %j: 400 invalid_value on the field', async (value) => {
    const res = await tokenCall(vsi, '2022-03-01', JSON.stringify({ expires_in: value }));
    expect(res.status).toBe(400);
    expect(metadataError(res)).toMatchObject({
      code: 'invalid_value',
      message: 'The value provided for the `expires_in` field must be between `5` and `3600`.',
      target: { name: 'expires_in', type: 'field' },
    });
  });

  it('refuses a malformed body, a body that is no object, and unknown properties', async () => {
    for (const body of ['{"expires_in": ', '[300]', '"300"']) {
      const res = await tokenCall(vsi, '2022-03-01', body);
      expect([res.status, metadataError(res).code, metadataError(res).message]).toEqual([
        400,
        'invalid_request',
        'The request body was malformed.',
      ]);
    }
    const res = await tokenCall(vsi, '2022-03-01', '{"expires_in": 300, "xyzzy": 1}');
    expect(metadataError(res)).toMatchObject({
      code: 'unknown_field',
      message: 'Unknown property `xyzzy` was specified in the request body.',
    });
  });
});

describe('Metadata-Flavor and version', () => {
  const ops = (api: Api) => [
    (headers: Record<string, string>) => tokenCall(vsi, api, '{"expires_in": 300}', { headers }),
    async (headers: Record<string, string>) => iamCall(vsi, await identityToken(vsi, api), undefined, api, { headers }),
  ];

  it.each(['2022-03-01', '2025-08-26'] as const)('API %s: both operations require Metadata-Flavor: ibm', async (api) => {
    for (const op of ops(api)) {
      const missing = await op({ 'Metadata-Flavor': '' });
      expect(missing.status).toBe(400);
      expect(metadataError(missing)).toMatchObject({
        code: 'missing_value',
        message: 'A value such as `ibm` must be provided in the `Metadata-Flavor` header.',
        target: { name: 'Metadata-Flavor', type: 'header' },
      });
      const wrong = await op({ 'Metadata-Flavor': 'Google' });
      expect([wrong.status, metadataError(wrong).code]).toEqual([400, 'invalid_value']);
    }
  });

  it('requires a version date from 2022-03-01 to today', async () => {
    const put = (query: string) => metadata(vsi.metadataUrl, `${PATHS['2022-03-01'].token}${query}`, { body: '{}' });
    const missing = await put('');
    expect([missing.status, metadataError(missing)]).toEqual([
      400,
      expect.objectContaining({ code: 'missing_field', target: { name: 'version', type: 'query' } }),
    ]);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    for (const bad of ['latest', '2021-07-15', '2022-02-30', tomorrow]) {
      const res = await put(`?version=${bad}`);
      expect([res.status, metadataError(res).code, metadataError(res).target?.value]).toEqual([400, 'invalid_value', bad]);
    }
    expect((await put('?version=2024-11-12')).status).toBe(200);
  });

  it('answers 404 on /instance_identity for version 2025-08-26 or later; /identity takes every version date', async () => {
    for (const path of [PATHS['2022-03-01'].token, PATHS['2022-03-01'].iam]) {
      const res = await metadata(vsi.metadataUrl, `${path}?version=2025-08-26`, {
        method: path.endsWith('token') ? 'PUT' : 'POST',
        body: '{}',
      });
      expect([res.status, metadataError(res).code]).toEqual([404, 'not_found']);
    }
    const res = await metadata(vsi.metadataUrl, `${PATHS['2025-08-26'].token}?version=2022-03-01`, { body: '{}' });
    expect(res.status).toBe(200);
  });

  it('answers 404 for paths of an API the instance does not serve, wrong methods and unknown paths', async () => {
    const oldOnly = await emu.addInstance({ defaultProfile: pusher, versions: ['2022-03-01'] });
    const newOnly = await emu.addInstance({ defaultProfile: pusher, versions: ['2025-08-26'] });
    expect((await tokenCall(oldOnly, '2025-08-26')).status).toBe(404);
    expect((await tokenCall(newOnly, '2022-03-01')).status).toBe(404);
    expect(await instanceIamToken(oldOnly)).toMatch(/^ey/);
    expect(await instanceIamToken(newOnly, undefined, '2025-08-26')).toMatch(/^ey/);
    for (const [method, path] of [
      ['GET', PATHS['2022-03-01'].token],
      ['PUT', '/metadata/v1/instance'],
    ]) {
      const res = await metadata(vsi.metadataUrl, `${path}?version=2022-03-01`, { method: method as string });
      expect([res.status, metadataError(res).code]).toEqual([404, 'not_found']);
    }
  });
});

describe('IAM tokens of linked profiles', () => {
  it.each(['2022-03-01', '2025-08-26'] as const)('API %s: without a body, a token of the default profile that ICR takes', async (api) => {
    const res = await iamCall(vsi, await identityToken(vsi, api), undefined, api);
    expect(res.status).toBe(200);
    const body = json(res);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'created_at', 'expires_at', 'expires_in']);
    expect(body.expires_in).toBe(3600);
    const token = String(body.access_token);
    expect(decodeJwtPayload(token)).toMatchObject({
      iam_id: pusher.iamId,
      sub_type: 'ComputeResource',
      account: { bss: emu.accounts.main.id },
      grant_type: CR_TOKEN_GRANT,
    });
    expect(emu.secrets()).toContain(token);
    expect((await grantedActions(token))[0]?.actions).toEqual(['pull', 'push']);
  });

  it('gives a token of another linked profile named by ID or by CRN', async () => {
    for (const body of [{ id: reader.id }, { crn: reader.crn }]) {
      const token = await instanceIamToken(vsi, JSON.stringify({ trusted_profile: body }));
      expect(decodeJwtPayload(token).iam_id).toBe(reader.iamId);
      expect((await grantedActions(token))[0]?.actions).toEqual(['pull']);
    }
  });

  it('refuses a profile not linked to this instance, or unknown: 400 profile_not_linked', async () => {
    const stranger = emu.addProfile({ policies: [{ role: 'Manager' }] });
    const token = await identityToken(vsi);
    for (const body of [{ id: stranger.id }, { crn: stranger.crn }, { id: 'Profile-00000000-0000-0000-0000-000000000000' }]) {
      const res = await iamCall(vsi, token, JSON.stringify({ trusted_profile: body }));
      expect(res.status).toBe(400);
      expect(metadataError(res)).toMatchObject({
        code: 'profile_not_linked',
        message: 'The virtual server instance is not linked to the specified trusted profile.',
      });
    }
  });

  it('without a body and without a default profile: 400 missing_field', async () => {
    const bare = await emu.addInstance({ profiles: [reader] });
    const res = await iamCall(bare, await identityToken(bare));
    expect(res.status).toBe(400);
    expect(metadataError(res)).toMatchObject({
      code: 'missing_field',
      message: 'A trusted profile ID was not passed in the request body.',
    });
    expect(await instanceIamToken(bare, JSON.stringify({ trusted_profile: { id: reader.id } }))).toMatch(/^ey/);
  });

  it('a default profile that was not auto-linked is not linked', async () => {
    const unlinked = await emu.addInstance({ defaultProfile: pusher, autoLink: false });
    expect(unlinked.defaultProfileId).toBe(pusher.id);
    expect(metadataError(await iamCall(unlinked, await identityToken(unlinked))).code).toBe('profile_not_linked');
  });

  it('a Profile-CR rule on the VPC links every instance of it in the profile’s account, and no other', async () => {
    const target = await emu.addInstance();
    const byRule = emu.addProfile({ computeResources: [crRule('VSI', { vpc_id: target.vpcId })], policies: [{ role: 'Reader' }] });
    expect(await instanceIamToken(target, JSON.stringify({ trusted_profile: { id: byRule.id } }))).toMatch(/^ey/);
    const elsewhere = await emu.addInstance({ accountId: emu.accounts.other.id });
    const foreignRule = emu.addProfile({ computeResources: [crRule('VSI', { vpc_id: elsewhere.vpcId })] });
    expect(
      metadataError(await iamCall(elsewhere, await identityToken(elsewhere), JSON.stringify({ trusted_profile: { id: foreignRule.id } })))
        .code,
    ).toBe('profile_not_linked');
  });

  it('refuses bodies it cannot read', async () => {
    const token = await identityToken(vsi);
    const cases: Array<[string, string]> = [
      ['{"trusted_profile": {"id": 1}}', 'invalid_value'],
      ['{"trusted_profile": "Profile-x"}', 'invalid_value'],
      [JSON.stringify({ trusted_profile: { id: reader.id, crn: reader.crn } }), 'invalid_value'],
      [JSON.stringify({ trusted_profile: { name: reader.name } }), 'unknown_field'],
      [JSON.stringify({ profile: { id: reader.id } }), 'unknown_field'],
      ['{"trusted_profile": ', 'invalid_request'],
    ];
    for (const [body, code] of cases) {
      const res = await iamCall(vsi, token, body);
      expect([body, res.status, metadataError(res).code]).toEqual([body, 400, code]);
    }
  });

  it('refuses a missing, bad, foreign or expired instance identity token: 401 unauthenticated', async () => {
    const missing = await metadata(vsi.metadataUrl, `${PATHS['2022-03-01'].iam}?version=2022-03-01`, { method: 'POST' });
    expect([missing.status, metadataError(missing).code]).toEqual([401, 'unauthenticated']);
    const other = await emu.addInstance({ defaultProfile: pusher });
    const short = await emu.addInstance({ defaultProfile: pusher, identityTokenLifetime: 1 });
    const expiring = await identityToken(short);
    const [head, , sig] = (await identityToken(vsi)).split('.');
    const forged = `${head}.${Buffer.from(JSON.stringify({ iaas: { instanceID: vsi.id }, exp: 4102444800 })).toString('base64url')}.${sig}`;
    for (const [instance, token] of [
      [vsi, 'not-a-token'],
      [vsi, forged],
      [vsi, await identityToken(other)],
    ] as const) {
      const res = await iamCall(instance, token);
      expect(res.status).toBe(401);
      expect(metadataError(res)).toMatchObject({ code: 'unauthenticated', message: 'The provided token is invalid or expired.' });
    }
    expect(json(await tokenCall(short)).expires_in).toBe(1);
    await sleep(1100);
    expect(metadataError(await iamCall(short, expiring)).code).toBe('unauthenticated');
  });

  it('hands out IAM tokens that expire: ICR refuses one past its lifetime', async () => {
    const brief = await emu.addInstance({ defaultProfile: pusher, iamTokenLifetime: 1 });
    const res = await iamCall(brief, await identityToken(brief));
    expect(json(res).expires_in).toBe(1);
    const token = String(json(res).access_token);
    expect((await client.token('iambearer', token)).status).toBe(200);
    await sleep(1100);
    expect((await client.token('iambearer', token)).status).toBe(refusedStatus(emu));
  });
});

describe('the service as a port', () => {
  it('disabled, it never answers; enabled again, it answers; it can also refuse, reset or hang', async () => {
    const off = await emu.addInstance({ defaultProfile: pusher, enabled: false });
    await expect(tokenCall(off, '2022-03-01', '{}', { timeoutMs: 500 })).rejects.toThrow(/timeout/);
    await off.setEnabled(true);
    expect((await tokenCall(off)).status).toBe(200);
    await off.setReachability('reset');
    await expect(tokenCall(off)).rejects.toThrow(/ECONNRESET|socket hang up/);
    await off.setReachability('silent');
    await expect(tokenCall(off, '2022-03-01', '{}', { timeoutMs: 500 })).rejects.toThrow(/timeout/);
    await off.setEnabled(false);
    await expect(tokenCall(off, '2022-03-01', '{}', { timeoutMs: 500 })).rejects.toThrow(/timeout/);
    await off.setReachability('refuse');
    await expect(tokenCall(off)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('records requests as server "metadata" and takes injected faults', async () => {
    emu.inject('metadata', { status: 503, body: 'busy' });
    expect((await tokenCall(vsi)).status).toBe(503);
    expect((await tokenCall(vsi)).status).toBe(200);
    const [faulted, ok] = emu.requests.filter((r) => r.server === 'metadata').slice(-2);
    expect(faulted).toMatchObject({ method: 'PUT', path: PATHS['2022-03-01'].token, host: new URL(vsi.metadataUrl).host, status: 503 });
    expect(ok?.status).toBe(200);
  });

  it('stop() closes every instance’s port', async () => {
    const own = await startEmulator({ registry: false });
    const instance = await own.addInstance();
    expect((await tokenCall(instance)).status).toBe(200);
    await own.stop();
    await expect(tokenCall(instance)).rejects.toThrow(/ECONNREFUSED/);
  });
});
