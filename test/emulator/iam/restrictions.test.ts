// An account's address rules and IAM's own reasons: a context-based restriction refuses a valid key
// with the right role as a missing role is refused; IAM's IP address access refuses the key itself
// (401 BXNIM0430E), as it refuses a suspended user's key (401 BXNIM0436E); ICR's login follows IAM.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { APIKEY_GRANT, KEY_REFUSALS, decodeJwtPayload, iamErrorFault, startEmulator, writeOciImage } from '../index.ts';
import type { Emulator } from '../index.ts';
import { addressList } from './addresses.ts';
import { httpsRequest } from '../net/https-request.ts';
import { runClient } from '../testing/run-client.ts';
import { accessTokenOf, clientFor, clientHome, json, refusedLogin, refusedStatus, tempDir } from '../testing/test-client.ts';
import type { Client } from '../testing/test-client.ts';

const NOT_AUTHORIZED = 'denied: You are not authorized to access the specified resource.';

let emu: Emulator;
let client: Client;
let env: Record<string, string>;
let image: string;
beforeAll(async () => {
  emu = await startEmulator({ regions: ['us-south', 'eu-de'] });
  client = await clientFor(emu);
  ({ env } = await clientHome(emu));
  image = (await writeOciImage(await tempDir('emu-oci-'))).ref;
  emu.addNamespace('us-south', 'team-a');
}, 60_000);
afterEach(() => {
  emu.liftRestrictions();
  emu.clearFaults();
});
afterAll(() => emu?.stop(), 30_000);

let tag = 0;
const push = (key: string, repository: string, region = 'us-south') =>
  runClient('skopeo', ['copy', '--dest-creds', `iamapikey:${key}`, image, `docker://${emu.hostOf(region)}/${repository}:${++tag}`], {
    env,
  });
const login = (key: string, host = emu.host) =>
  runClient('podman', ['login', '--username', 'iamapikey', '--password-stdin', host], { env, input: `${key}\n` });
const grants = async (key: string, repository: string, region = 'us-south'): Promise<string[]> => {
  const res = await client.token('iamapikey', key, `service=registry&scope=repository:${repository}:pull,push`, emu.hostOf(region));
  expect(res.status).toBe(200);
  return (decodeJwtPayload(String(json(res).token)).access as Array<{ actions: string[] }>)[0]?.actions ?? [];
};
const apikey = (key: string) => client.iam({ grant_type: APIKEY_GRANT, apikey: key });

describe('address lists as IBM Cloud takes them', () => {
  it('single addresses, ranges and subnets; ::ffff: forms; typos refused', () => {
    const list = addressList(['10.1.2.3', '192.168.0.10 - 192.168.0.20', '172.16.0.0/12']);
    for (const yes of ['10.1.2.3', '::ffff:10.1.2.3', '192.168.0.10', '192.168.0.20', '172.31.255.255']) expect(list(yes), yes).toBe(true);
    for (const no of ['10.1.2.4', '192.168.0.21', '172.32.0.0', '127.0.0.1', '']) expect(list(no), no).toBe(false);
    expect(addressList(['127.0.0.0/8'])('127.0.0.1')).toBe(true);
    for (const typo of ['10.1.2', '10.1.2.300', '10.0.0.0/33', '10.0.0.9 - 10.0.0.1', 'my-zone']) {
      expect(() => addressList([typo]), typo).toThrow(/not an IPv4 address/);
    }
  });
});

describe('context-based restrictions (ICR docs: troubleshoot-resource, troubleshoot-scope)', () => {
  it('a Manager key logs in from outside the rule, but may neither push nor pull: refused as a missing role is', async () => {
    expect(await grants(emu.keys.service.key, 'team-a/app')).toEqual(['pull', 'push']);
    emu.restrictAccount(emu.accounts.main.id, { allow: ['203.0.113.0/24'] });
    expect((await login(emu.keys.service.key)).code).toBe(0);
    expect(await grants(emu.keys.service.key, 'team-a/app')).toEqual([]);
    const pushed = await push(emu.keys.service.key, 'team-a/app');
    expect(pushed.code).toBe(1);
    expect(pushed.stderr).toMatch(/: 403 \(Forbidden\)|denied: You are not authorized to access the specified resource\./);
    // The same key, the same role: the only difference is where the request came from.
    emu.liftRestrictions(emu.accounts.main.id);
    expect((await push(emu.keys.service.key, 'team-a/app')).code).toBe(0);
  });

  it('a rule that allows the caller’s address lets everything through', async () => {
    emu.restrictAccount(emu.accounts.main.id, { allow: ['203.0.113.7', '127.0.0.0/8'] });
    expect(await grants(emu.keys.service.key, 'team-a/app')).toEqual(['pull', 'push']);
    expect((await push(emu.keys.service.key, 'team-a/app')).code).toBe(0);
  });

  it('a rule on one namespace of one region covers only that namespace there', async () => {
    emu.addNamespace('eu-de', 'team-a');
    emu.restrictAccount(emu.accounts.main.id, { allow: ['203.0.113.7'], region: 'us-south', namespace: 'team-a' });
    expect(await grants(emu.keys.service.key, 'team-a/app')).toEqual([]);
    expect(await grants(emu.keys.service.key, 'ns/app')).toEqual(['pull', 'push']);
    expect(await grants(emu.keys.service.key, 'team-a/app', 'eu-de')).toEqual(['pull', 'push']);
  });

  it('the registry’s refusal is word for word the one for a missing role', async () => {
    const upload = async (key: string): Promise<string> => {
      const scope = 'service=registry&scope=repository:team-a/app:pull,push';
      const token = String(json(await client.token('iamapikey', key, scope)).token);
      const res = await httpsRequest(`https://${emu.host}/v2/team-a/app/blobs/uploads/`, {
        ca: client.ca,
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Length': '0' },
      });
      expect(res.status).toBe(403);
      const [error] = json(res).errors as Array<{ code: string; message: string }>;
      return `${error?.code}: ${error?.message}`;
    };
    const noRole = await upload(emu.addKey().key);
    emu.restrictAccount(emu.accounts.main.id, { allow: ['203.0.113.7'], namespace: 'team-a' });
    expect(await upload(emu.keys.service.key)).toBe(noRole);
    expect(noRole).toBe(`DENIED: ${NOT_AUTHORIZED.replace('denied: ', '')}`);
  });

  it('binds only the account it is on', async () => {
    emu.addNamespace('us-south', 'their-ns', { accountId: emu.accounts.other.id });
    emu.restrictAccount(emu.accounts.other.id, { allow: ['203.0.113.7'] });
    expect(await grants(emu.keys.foreign.key, 'their-ns/app')).toEqual([]);
    expect(await grants(emu.keys.service.key, 'team-a/app')).toEqual(['pull', 'push']);
  });

  it('ICR’s API refuses account-wide calls from outside an account-wide rule: 403 CRG0003E', async () => {
    const auth = { token: await accessTokenOf(client, emu.keys.service.key), account: emu.accounts.main.id };
    expect((await client.api(emu.host, '/api/v1/quotas', auth)).status).toBe(200);
    emu.restrictAccount(emu.accounts.main.id, { allow: ['203.0.113.7'], region: 'us-south' });
    for (const path of ['/api/v1/quotas', '/api/v1/namespaces']) {
      const res = await client.api(emu.host, path, auth);
      expect(res.status).toBe(403);
      expect(json(res)).toMatchObject({ code: 'CRG0003E', message: 'You are not authorized to access the specified resource.' });
    }
    expect((await client.api(emu.hostOf('eu-de'), '/api/v1/quotas', auth)).status).toBe(200);
    // IAM is not behind the rule: IAM's token API takes no context-based restriction (IAM docs).
    expect((await apikey(emu.keys.service.key)).status).toBe(200);
  });

  it('takes only real addresses', () => {
    expect(() => emu.restrictAccount(emu.accounts.main.id, { allow: [] })).toThrow(/at least one address/);
    expect(() => emu.restrictAccount(emu.accounts.main.id, { allow: ['github-runners'] })).toThrow(/not an IPv4 address/);
    expect(() => emu.restrictAccount('no-such-account', { allow: ['10.0.0.1'] })).toThrow(/no emulated account/);
  });
});

describe('IAM’s IP address access (IBM Cloud docs, account-ips)', () => {
  it('refuses the account’s keys from other addresses: 401 BXNIM0430E naming the address', async () => {
    emu.restrictIamLogins(emu.accounts.main.id, ['198.51.100.0/24']);
    const res = await apikey(emu.keys.service.key);
    expect(res.status).toBe(401);
    expect(json(res)).toMatchObject({
      errorCode: 'BXNIM0430E',
      errorMessage: 'User login from given IP address is not permitted.',
      errorDetails:
        "The user has configured IP address restriction for login. The given IP address '127.0.0.1' is not contained in the list of allowed IP addresses.",
    });
    expect(KEY_REFUSALS.ipNotPermitted).toMatchObject({ status: 401, code: 'BXNIM0430E' });
    expect(KEY_REFUSALS.ipNotPermitted).not.toHaveProperty('standIn');
    // Another account's keys are not bound by it.
    expect((await apikey(emu.keys.foreign.key)).status).toBe(200);
    emu.restrictIamLogins(emu.accounts.main.id, ['198.51.100.0/24', '127.0.0.1']);
    expect((await apikey(emu.keys.service.key)).status).toBe(200);
  });

  it('ICR’s own exchange of the key is refused too (assumed: ICR hands the caller’s address on)', async () => {
    emu.restrictIamLogins(emu.accounts.main.id, ['198.51.100.7']);
    const refused = await login(emu.keys.service.key);
    expect(refused.code).toBe(125);
    expect(refused.stderr).toMatch(refusedLogin(emu));
    expect((await client.token(emu.profileId, emu.keys.service.key)).status).toBe(refusedStatus(emu));
    // A token IAM issued before is still a token: iambearer logs in.
    emu.liftRestrictions();
    const token = await accessTokenOf(client, emu.keys.service.key);
    emu.restrictIamLogins(emu.accounts.main.id, ['198.51.100.7']);
    expect((await client.token('iambearer', token)).status).toBe(200);
  });
});

describe('a suspended user', () => {
  it('IAM refuses the user’s key: 401 BXNIM0436E; ICR’s login too; unsuspended, it works again', async () => {
    const user = emu.addKey({ kind: 'user', policies: [{ role: 'Writer' }] });
    emu.suspendUser(user.key);
    expect(user.suspended).toBe(true);
    const res = await apikey(user.key);
    expect(res.status).toBe(401);
    expect(json(res)).toMatchObject({ errorCode: 'BXNIM0436E', errorMessage: 'User is suspended in the requested account or invalid.' });
    expect((await login(user.key)).stderr).toMatch(refusedLogin(emu));
    emu.suspendUser(user.key, false);
    expect((await apikey(user.key)).status).toBe(200);
    expect((await login(user.key)).code).toBe(0);
  });

  it('only users are suspended', () => {
    expect(() => emu.suspendUser(emu.keys.service.key)).toThrow(/not a user API key/);
  });

  it('either reason can be injected as a fault, in either shape', async () => {
    emu.inject('iam', iamErrorFault(KEY_REFUSALS.suspended), iamErrorFault({ ...KEY_REFUSALS.ipNotPermitted, shape: 'platform' }));
    expect(json(await apikey(emu.keys.user.key))).toMatchObject({ errorCode: 'BXNIM0436E' });
    const platform = await apikey(emu.keys.user.key);
    expect(platform.status).toBe(401);
    expect(json(platform)).toMatchObject({ errors: [{ code: 'BXNIM0430E' }], status_code: 401 });
  });
});
