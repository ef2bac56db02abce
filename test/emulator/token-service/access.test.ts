// Roles and scopes end to end: the token service grants only what a key's policies allow on a repository
// of that region, and each region's real registry enforces it. Namespaces must exist in the region.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startEmulator, writeOciImage, decodeJwtPayload } from '../index.ts';
import type { Emulator, Policy } from '../index.ts';
import { httpsRequest } from '../net/https-request.ts';
import { runClient } from '../testing/run-client.ts';
import { clientFor, clientHome, json, refusedLogin, tempDir } from '../testing/test-client.ts';
import type { Client } from '../testing/test-client.ts';

const NOT_AUTHORIZED = 'denied: You are not authorized to access the specified resource.';
const NO_NAMESPACE = 'denied: requested access to the resource is denied';
/**
 * skopeo first asks HEAD of a blob: with no pull right that 403 has no body to quote, so skopeo says
 * `403 (Forbidden)`; with pull but no push, the upload's 403 carries ICR's words.
 */
const REFUSED_PUSH = /denied: You are not authorized to access the specified resource\.|: 403 \(Forbidden\)/;

let emu: Emulator;
let client: Client;
let env: Record<string, string>;
let image: string;
let group: string;
beforeAll(async () => {
  emu = await startEmulator({ regions: ['us-south', 'eu-de'] });
  client = await clientFor(emu);
  ({ env } = await clientHome(emu));
  image = (await writeOciImage(await tempDir('emu-oci-'))).ref;
  group = emu.addResourceGroup();
  emu.addNamespace('us-south', 'ns-a');
  emu.addNamespace('eu-de', 'ns-a');
  emu.addNamespace('us-south', 'ns-b');
  emu.addNamespace('us-south', 'ns-rg', { resourceGroup: group });
  emu.addNamespace('us-south', 'foreign-ns', { accountId: emu.accounts.other.id });
}, 60_000);
afterAll(() => emu?.stop(), 30_000);

let tag = 0;
const push = (username: string, password: string, region: string, repository: string) =>
  runClient('skopeo', ['copy', '--dest-creds', `${username}:${password}`, image, `docker://${emu.hostOf(region)}/${repository}:${++tag}`], {
    env,
  });

async function grantedActions(username: string, password: string, region: string, repository: string): Promise<string[]> {
  const res = await client.token(username, password, `service=registry&scope=repository:${repository}:push,pull`, emu.hostOf(region));
  expect(res.status).toBe(200);
  const access = decodeJwtPayload(String(json(res).token)).access as Array<{ name: string; actions: string[] }>;
  expect(access.map((a) => a.name)).toEqual([repository]);
  return [...(access[0]?.actions ?? [])].sort();
}

/** What the registry answers the user key's blob-upload POST to a repository it may not push to. */
async function uploadRefusal(region: string, repository: string): Promise<string> {
  const host = emu.hostOf(region);
  const grant = await client.token('iamapikey', emu.keys.user.key, `service=registry&scope=repository:${repository}:push,pull`, host);
  const res = await httpsRequest(`https://${host}/v2/${repository}/blobs/uploads/`, {
    ca: client.ca,
    method: 'POST',
    headers: { Authorization: `Bearer ${String(json(grant).token)}` },
  });
  expect(res.status).toBe(403);
  const [error] = (json(res).errors ?? []) as Array<{ code: string; message: string }>;
  expect(error?.code).toBe('DENIED');
  return `denied: ${error?.message}`;
}

type Who = 'main' | 'other';
const PULL_PUSH = ['pull', 'push'];
/** name, account of the key, its policies, region and namespace pushed to, actions granted (push or not decides). */
const cases: Array<[string, Who, Policy[], string, string, string[]]> = [
  ['no role at all', 'main', [], 'us-south', 'ns-a', []],
  ['Reader on the account', 'main', [{ role: 'Reader' }], 'us-south', 'ns-a', ['pull']],
  ['Writer on the account, other region', 'main', [{ role: 'Writer' }], 'eu-de', 'ns-a', PULL_PUSH],
  ['Writer on ns-a in us-south, there', 'main', [{ role: 'Writer', region: 'us-south', namespace: 'ns-a' }], 'us-south', 'ns-a', PULL_PUSH],
  ['Writer on ns-a in us-south, to ns-b', 'main', [{ role: 'Writer', region: 'us-south', namespace: 'ns-a' }], 'us-south', 'ns-b', []],
  [
    'Writer on ns-a in us-south, to ns-a in eu-de',
    'main',
    [{ role: 'Writer', region: 'us-south', namespace: 'ns-a' }],
    'eu-de',
    'ns-a',
    [],
  ],
  ['Writer on ns-a in any region, to eu-de', 'main', [{ role: 'Writer', namespace: 'ns-a' }], 'eu-de', 'ns-a', PULL_PUSH],
  ['Writer on us-south, to ns-b there', 'main', [{ role: 'Writer', region: 'us-south' }], 'us-south', 'ns-b', PULL_PUSH],
  ['Writer on us-south, to eu-de', 'main', [{ role: 'Writer', region: 'us-south' }], 'eu-de', 'ns-a', []],
  ['Manager on a resource group, to its namespace', 'main', [{ role: 'Manager', resourceGroup: 'GROUP' }], 'us-south', 'ns-rg', PULL_PUSH],
  ['Manager on a resource group, to another', 'main', [{ role: 'Manager', resourceGroup: 'GROUP' }], 'us-south', 'ns-a', []],
  ['Manager on the account, to a namespace another account holds', 'main', [{ role: 'Manager' }], 'us-south', 'foreign-ns', []],
  ['Manager of the other account, to its own namespace', 'other', [{ role: 'Manager' }], 'us-south', 'foreign-ns', PULL_PUSH],
  ['Manager of the other account, to the main account’s', 'other', [{ role: 'Manager' }], 'us-south', 'ns', []],
];

describe('each role and scope, at the token service and at the registry', () => {
  it.each(cases)('%s', async (_name, who, policies, region, namespace, expected) => {
    const scoped = policies.map((p) => (p.resourceGroup === 'GROUP' ? { ...p, resourceGroup: group } : p));
    const key = emu.addKey({ accountId: emu.accounts[who].id, policies: scoped });
    const repository = `${namespace}/app`;
    const actions = await grantedActions('iamapikey', key.key, region, repository);
    const pushed = await push('iamapikey', key.key, region, repository);
    expect(actions).toEqual(expected);
    if (expected.includes('push')) {
      expect(pushed.stderr).toBe('');
      expect(pushed.code).toBe(0);
    } else {
      expect(pushed.code).toBe(1);
      expect(pushed.stderr).toMatch(REFUSED_PUSH);
    }
  });
});

describe('namespaces', () => {
  it('a push to a namespace that does not exist in that region is refused as ICR refuses it', async () => {
    expect(await grantedActions('iamapikey', emu.keys.user.key, 'us-south', 'no-such-ns/app')).toEqual([]);
    const pushed = await push('iamapikey', emu.keys.user.key, 'us-south', 'no-such-ns/app');
    expect(pushed.code).toBe(1);
    expect(pushed.stderr).toMatch(/no-such-ns\/app: 403 \(Forbidden\)/);
    // The upload itself, asked directly, gets ICR's words: no namespace here, or no role on one that is.
    expect(await uploadRefusal('us-south', 'no-such-ns/app')).toBe(NO_NAMESPACE);
    expect(await uploadRefusal('eu-de', 'ns-b/app')).toBe(NO_NAMESPACE); // ns-b exists in us-south only
    expect(await uploadRefusal('us-south', 'foreign-ns/app')).toBe(NOT_AUTHORIZED);
  });

  it('a Reader pulls what a Writer pushed; a key with no role cannot even pull', async () => {
    expect((await push('iamapikey', emu.keys.service.key, 'us-south', 'ns-a/shared')).code).toBe(0);
    const ref = `docker://${emu.host}/ns-a/shared:${tag}`;
    const reader = await runClient('skopeo', ['inspect', '--creds', `iamapikey:${emu.keys.reader.key}`, ref], { env });
    expect(reader.code).toBe(0);
    const nobody = emu.addKey();
    const refused = await runClient('skopeo', ['inspect', '--creds', `iamapikey:${nobody.key}`, ref], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/denied|403/);
  });
});

describe('logins', () => {
  const login = (username: string, password: string) =>
    runClient('podman', ['login', '--username', username, '--password-stdin', emu.host], { env, input: `${password}\n` });

  it('a key with no role logs in, as on ICR (its push is what fails)', async () => {
    const result = await login('iamapikey', emu.addKey().key);
    expect([result.code, result.stdout.trim()]).toEqual([0, 'Login Succeeded!']);
  });

  it('a disabled or expired key does not log in; a locked one does', async () => {
    for (const state of ['disabled', 'expired'] as const) {
      const key = emu.addKey({ policies: [{ role: 'Writer' }], state });
      expect((await login('iamapikey', key.key)).stderr).toMatch(refusedLogin(emu));
    }
    expect((await login('iamapikey', emu.addKey({ state: 'locked' }).key)).code).toBe(0);
  });

  it('the profile ID with a trusted service ID key of another account pushes with the profile’s rights', async () => {
    expect((await login(emu.profileId, emu.keys.foreign.key)).code).toBe(0);
    expect(await grantedActions(emu.profileId, emu.keys.foreign.key, 'us-south', 'ns/profiled')).toEqual(PULL_PUSH);
    expect((await push(emu.profileId, emu.keys.foreign.key, 'us-south', 'ns/profiled')).code).toBe(0);
    // The foreign key on its own has no rights in the main account.
    expect((await push('iamapikey', emu.keys.foreign.key, 'us-south', 'ns/profiled')).stderr).toMatch(REFUSED_PUSH);
  });

  it('a profile that does not trust the key refuses the login', async () => {
    const stranger = emu.addKey({ accountId: emu.accounts.other.id, policies: [{ role: 'Manager' }] });
    expect((await login(emu.profileId, stranger.key)).stderr).toMatch(refusedLogin(emu));
  });
});
