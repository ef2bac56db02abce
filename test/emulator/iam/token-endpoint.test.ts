// The emulated IAM as IBM runs it: no refresh token for API keys (unless the CLI's client asks), key
// states, both error shapes, the assume grant across accounts, User-Agent records, and an IAM out of reach.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { APIKEY_GRANT, ASSUME_GRANT, KEY_REFUSALS, PROFILE_NOT_TRUSTED, decodeJwtPayload, iamErrorFault, startEmulator } from '../index.ts';
import type { Emulator } from '../index.ts';
import { httpsRequest } from '../net/https-request.ts';
import { accessTokenOf, clientFor, iamToken, json, refusedStatus } from '../testing/test-client.ts';
import type { Client } from '../testing/test-client.ts';

let emu: Emulator;
let client: Client;
beforeAll(async () => {
  emu = await startEmulator({ registry: false, regions: ['us-south', 'eu-de'] });
  client = await clientFor(emu);
});
afterEach(async () => {
  emu.clearFaults();
  await emu.setIamReachability('up');
});
afterAll(() => emu?.stop());

const apikey = (key: string, headers: Record<string, string> = {}) => client.iam({ grant_type: APIKEY_GRANT, apikey: key }, { headers });
const assume = (accessToken: string, profileId: string) =>
  client.iam({ grant_type: ASSUME_GRANT, access_token: accessToken, profile_id: profileId });

describe('refresh tokens', () => {
  it('are not issued for an API-key grant: "not_supported"', async () => {
    const body = await iamToken(client, emu.keys.user.key);
    expect(body.refresh_token).toBe('not_supported');
    expect(body).not.toHaveProperty('refresh_token_expiration');
  });

  it('are issued to the IBM Cloud CLI’s client credentials (bx:bx), and work as iamrefresh', async () => {
    const res = await apikey(emu.keys.user.key, { Authorization: `Basic ${Buffer.from('bx:bx').toString('base64')}` });
    expect(res.status).toBe(200);
    const refresh = String(json(res).refresh_token);
    expect(refresh).not.toBe('not_supported');
    expect(emu.secrets()).toContain(refresh);
    expect((await client.token('iamrefresh', refresh)).status).toBe(200);
    const wrongSecret = await apikey(emu.keys.user.key, { Authorization: `Basic ${Buffer.from('bx:nope').toString('base64')}` });
    expect(json(wrongSecret).refresh_token).toBe('not_supported');
  });
});

/** An IAM code, as any caller may see it: only its shape, for codes no public source confirms. */
const IAM_CODE = /^BXNIM\d{4}E$/;

describe('API key states', () => {
  it.each(['disabled', 'expired', 'deleted'] as const)(
    'a %s key is refused by IAM (400, words that name the state) and by ICR’s login',
    async (state) => {
      const key = emu.addKey({ policies: [{ role: 'Manager' }] });
      expect((await apikey(key.key)).status).toBe(200);
      emu.setKeyState(key.key, state);
      const res = await apikey(key.key);
      const expected = KEY_REFUSALS[state === 'deleted' ? 'unknown' : state];
      expect(res.status).toBe(400);
      expect(json(res)).toMatchObject({ errorMessage: expected.message });
      expect(json(res).errorCode).toMatch(IAM_CODE);
      if (state !== 'deleted') expect(expected.message).toContain(state);
      expect((await client.token('iamapikey', key.key)).status).toBe(refusedStatus(emu));
      expect(emu.secrets()).toContain(key.key);
    },
  );

  it('marks the codes no public source confirms as stand-ins: disabled, expired (and a disabled key’s words are IBM’s)', () => {
    expect(
      Object.entries(KEY_REFUSALS)
        .filter(([, e]) => 'standIn' in e && e.standIn)
        .map(([name]) => name),
    ).toEqual(['disabled', 'expired']);
    expect(KEY_REFUSALS.disabled.message).toBe('Provided API key is disabled.');
    expect(KEY_REFUSALS.unknown.code).toBe('BXNIM0415E');
    expect(KEY_REFUSALS.suspended).toMatchObject({ status: 401, code: 'BXNIM0436E' });
    expect(PROFILE_NOT_TRUSTED.standIn).toBe(true);
  });

  it('a locked key still works, at IAM and at ICR', async () => {
    const key = emu.addKey({ state: 'locked', policies: [{ role: 'Writer' }] });
    expect((await apikey(key.key)).status).toBe(200);
    expect(decodeJwtPayload(String(json(await client.token('iamapikey', key.key)).token)).access).toEqual([
      { type: 'repository', name: 'ns/img', actions: ['pull', 'push'] },
    ]);
  });
});

describe('error shapes', () => {
  it.each([400, 401, 403])('injects %i in the token endpoint’s shape and in the platform shape', async (status) => {
    emu.inject(
      'iam',
      iamErrorFault({ status, code: 'BXNIM0415E', message: 'Provided API key could not be found.' }),
      iamErrorFault({ status, shape: 'platform', code: 'BXNIM0415E', message: 'Provided API key could not be found.' }),
    );
    const identity = await apikey(emu.keys.user.key);
    expect(identity.status).toBe(status);
    expect(identity.headers['content-type']).toBe('application/json');
    const first = json(identity);
    expect(first).toMatchObject({ errorCode: 'BXNIM0415E', errorMessage: 'Provided API key could not be found.' });
    expect((first.context as Record<string, unknown>).requestId).toMatch(/^[0-9a-f-]{36}$/);
    const platform = await apikey(emu.keys.user.key);
    expect(platform.status).toBe(status);
    const second = json(platform);
    expect(second).toMatchObject({
      errors: [{ code: 'BXNIM0415E', message: 'Provided API key could not be found.' }],
      status_code: status,
    });
    expect(second.trace).toMatch(/^[0-9a-f]{32}$/);
    expect((await apikey(emu.keys.user.key)).status).toBe(200);
  });
});

describe('trusted profiles and the assume grant', () => {
  it('the default profile lives in the main account and trusts a service ID of the other account', () => {
    expect(emu.profile).toMatchObject({ id: emu.profileId, accountId: emu.accounts.main.id, kind: 'profile' });
    expect(emu.keys.foreign.accountId).toBe(emu.accounts.other.id);
    expect(emu.accounts.other.id).not.toBe(emu.accounts.main.id);
    expect(emu.profile.trusts).toEqual(expect.arrayContaining([emu.keys.service.iamId, emu.keys.foreign.iamId]));
  });

  it('turns the foreign service ID’s token (its own account) into a token of the profile (the profile’s account)', async () => {
    const own = await accessTokenOf(client, emu.keys.foreign.key);
    expect(decodeJwtPayload(own)).toMatchObject({
      account: { bss: emu.accounts.other.id },
      iam_id: emu.keys.foreign.iamId,
      sub_type: 'ServiceId',
    });
    const res = await assume(own, emu.profileId);
    expect(res.status).toBe(200);
    const body = json(res);
    expect(body).toMatchObject({ refresh_token: 'not_supported', token_type: 'Bearer', expires_in: 3600 });
    const payload = decodeJwtPayload(String(body.access_token));
    expect(payload).toMatchObject({
      account: { bss: emu.accounts.main.id },
      iam_id: emu.profile.iamId,
      sub: emu.profile.iamId.replace(/^iam-/, ''),
      sub_type: 'Profile',
      grant_type: ASSUME_GRANT,
    });
    expect(Number(payload.exp)).toBeGreaterThan(Date.now() / 1000);
    expect(emu.secrets()).toContain(String(body.access_token));
    // The profile's token is good for ICR: as iambearer, and for the API with the profile's account.
    expect((await client.token('iambearer', String(body.access_token))).status).toBe(200);
    const quotas = await client.api(emu.host, '/api/v1/quotas', { token: String(body.access_token), account: emu.accounts.main.id });
    expect(quotas.status).toBe(200);
  });

  it('refuses, in IAM’s shape, a profile that does not trust the token’s identity', async () => {
    const stranger = emu.addKey({ accountId: emu.accounts.other.id });
    for (const key of [stranger.key, emu.keys.user.key]) {
      const res = await assume(await accessTokenOf(client, key), emu.profileId);
      // A stand-in answer (PROFILE_NOT_TRUSTED): its status and shape are what a caller may read.
      expect(res.status).toBe(400);
      expect(json(res).errorCode).toMatch(IAM_CODE);
      expect(json(res)).toMatchObject({ errorCode: PROFILE_NOT_TRUSTED.code, errorMessage: PROFILE_NOT_TRUSTED.message });
      expect(String(json(res).errorDetails)).toContain(emu.profile.iamId);
    }
    const unknown = await assume(await accessTokenOf(client, emu.keys.service.key), 'Profile-00000000-0000-0000-0000-000000000000');
    expect([unknown.status, json(unknown).errorCode]).toEqual([400, PROFILE_NOT_TRUSTED.code]);
  });

  it('refuses a bad access token and missing fields', async () => {
    expect(json(await assume('not-a-token', emu.profileId))).toMatchObject({ errorCode: 'BXNIM0407E' });
    const noProfile = await client.iam({ grant_type: ASSUME_GRANT, access_token: await accessTokenOf(client, emu.keys.service.key) });
    expect([noProfile.status, json(noProfile).errorCode]).toEqual([400, 'BXNIM0109E']);
  });

  it('a profile added by a test trusts only whom it names', async () => {
    const partner = emu.addKey({ accountId: emu.accounts.other.id, name: 'partner-ci' });
    const profile = emu.addProfile({ accountId: emu.accounts.main.id, trusts: [partner.iamId], policies: [{ role: 'Reader' }] });
    expect((await assume(await accessTokenOf(client, partner.key), profile.id)).status).toBe(200);
    expect((await assume(await accessTokenOf(client, emu.keys.foreign.key), profile.id)).status).toBe(400);
    // ICR's login with the profile ID as username exchanges the key itself.
    const login = await client.token(profile.id, partner.key);
    expect(decodeJwtPayload(String(json(login).token))).toMatchObject({
      sub: profile.iamId,
      access: [{ name: 'ns/img', actions: ['pull'] }],
    });
  });
});

describe('requests as recorded', () => {
  it('carry the User-Agent a caller sent, and none when it sent none', async () => {
    const before = emu.requests.length;
    await apikey(emu.keys.user.key, { 'User-Agent': 'icr-login/9.9.9' });
    await apikey(emu.keys.user.key);
    const [withAgent, without] = emu.requests.slice(before);
    expect(withAgent).toMatchObject({ server: 'iam', path: '/identity/token', userAgent: 'icr-login/9.9.9', status: 200 });
    expect(without).not.toHaveProperty('userAgent');
    await client.token('iamapikey', emu.keys.user.key, undefined, emu.hosts[1]);
    expect(emu.requests.at(-1)).toMatchObject({ server: 'registry', region: 'eu-de', host: emu.hosts[1] });
  });
});

describe('IAM out of reach', () => {
  const call = () => httpsRequest(`${emu.iamUrl}/identity/token`, { ca: client.ca, method: 'POST', body: '', timeoutMs: 1500 });

  it('refuses connections, resets them, or never answers; and comes back', async () => {
    await emu.setIamReachability('refuse');
    await expect(call()).rejects.toThrow(/ECONNREFUSED/);
    await emu.setIamReachability('reset');
    await expect(call()).rejects.toThrow(/ECONNRESET|socket hang up/);
    await emu.setIamReachability('silent');
    await expect(call()).rejects.toThrow(/timeout/);
    await emu.setIamReachability('up');
    expect((await apikey(emu.keys.user.key)).status).toBe(200);
  });

  it('leaves the registry hosts reachable: ICR exchanges API keys itself', async () => {
    await emu.setIamReachability('refuse');
    expect((await client.token('iamapikey', emu.keys.user.key)).status).toBe(200);
  });
});
