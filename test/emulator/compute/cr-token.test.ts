// IAM's compute-resource grant as the emulator answers it: clusters sign projected service-account
// tokens, IAM checks signature, expiry, audience and lifetime, then the profile's Profile-CR rules and
// links; the token it issues is the profile's, and ICR takes it as iambearer with the profile's policies.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { CR_TOKEN_GRANT, CR_TOKEN_REFUSALS, crRule, decodeJwtPayload, startEmulator } from '../index.ts';
import type { ClusterRecord, Emulator, ProfileRecord } from '../index.ts';
import { clientFor, json, jwtHeader } from '../testing/test-client.ts';
import type { Client } from '../testing/test-client.ts';
import { crGrant, identityToken } from './metadata-client.ts';

let emu: Emulator;
let client: Client;
let cluster: ClusterRecord;
let profile: ProfileRecord;
beforeAll(async () => {
  emu = await startEmulator({ registry: false });
  client = await clientFor(emu);
  cluster = emu.addCluster({ name: 'ci-cluster' });
  profile = emu.addProfile({
    name: 'ci-runner',
    policies: [{ role: 'Writer', namespace: 'ns' }],
    computeResources: [crRule('IKS_SA', { service_instance: cluster.id, namespace: 'ci', name: 'runner' })],
  });
});
afterAll(() => emu?.stop());

const runnerToken = (options: Partial<Parameters<ClusterRecord['serviceAccountToken']>[0]> = {}, from = cluster) =>
  from.serviceAccountToken({ namespace: 'ci', name: 'runner', pod: 'runner-abcde', ...options });

async function expectRefused(crToken: string, fields: Record<string, string>, expected: { code: string; message?: string }) {
  const res = await crGrant(client, crToken, fields);
  expect(res.status).toBe(400);
  const body = json(res);
  expect(body).toMatchObject({ errorCode: expected.code, ...(expected.message ? { errorMessage: expected.message } : {}) });
  expect(body.context).toMatchObject({ requestType: 'incoming.Identity_Token' });
  return body;
}

describe('the clusters’ service-account tokens', () => {
  it('are RS256 JWTs shaped as Kubernetes projects them, each cluster with its own key', () => {
    const token = runnerToken();
    const header = jwtHeader(token);
    expect(header).toMatchObject({ alg: 'RS256' });
    expect(header.kid).toMatch(/^[\w-]{43}$/);
    const payload = decodeJwtPayload(token);
    expect(payload).toMatchObject({
      aud: ['iam'],
      iss: cluster.issuer,
      sub: 'system:serviceaccount:ci:runner',
      'kubernetes.io': { namespace: 'ci', pod: { name: 'runner-abcde' }, serviceaccount: { name: 'runner' } },
    });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(3600);
    expect(emu.secrets()).toContain(token);
    expect(jwtHeader(emu.addCluster().serviceAccountToken({ namespace: 'ci', name: 'runner' })).kid).not.toBe(header.kid);
    expect(cluster.crn).toBe(`crn:v1:bluemix:public:containers-kubernetes:us-south:a/${emu.accounts.main.id}:${cluster.id}::`);
  });
});

describe('the cr-token grant', () => {
  it('gives a token of the profile, with no refresh token, that ICR takes with the profile’s policies', async () => {
    const res = await crGrant(client, runnerToken(), { profile_id: profile.id });
    expect(res.status).toBe(200);
    const body = json(res);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, refresh_token: 'not_supported' });
    const token = String(body.access_token);
    expect(decodeJwtPayload(token)).toMatchObject({
      iam_id: profile.iamId,
      identifier: profile.id,
      sub_type: 'ComputeResource',
      account: { bss: emu.accounts.main.id },
      grant_type: CR_TOKEN_GRANT,
    });
    expect(emu.secrets()).toContain(token);
    const registry = decodeJwtPayload(String(json(await client.token('iambearer', token)).token));
    expect(registry.access).toEqual([{ type: 'repository', name: 'ns/img', actions: ['pull', 'push'] }]);
  });

  it('finds the profile by CRN, or by name in the cluster’s own account; a token file’s trailing newline is fine', async () => {
    const lookups: Array<Record<string, string>> = [
      { profile_crn: profile.crn },
      { profile_name: 'ci-runner' },
      { profile_id: profile.id, profile_name: 'ci-runner' },
    ];
    for (const fields of lookups) {
      const res = await crGrant(client, `${runnerToken()}\n`, fields);
      expect([JSON.stringify(fields), res.status]).toEqual([JSON.stringify(fields), 200]);
      expect(decodeJwtPayload(String(json(res).access_token)).iam_id).toBe(profile.iamId);
    }
    emu.addProfile({ name: 'elsewhere', accountId: emu.accounts.other.id, computeResources: [crRule('IKS_SA', { namespace: 'ci' })] });
    await expectRefused(runnerToken(), { profile_name: 'elsewhere' }, { code: 'BXNIM0398E' });
  });

  it('refuses a profile with no rule that trusts this service account: BXNIM0398E naming it and the profile', async () => {
    const cases = [
      runnerToken({ namespace: 'other' }),
      runnerToken({ name: 'default' }),
      runnerToken({}, emu.addCluster({ name: 'second' })),
      runnerToken({}, emu.addCluster({ kind: 'roks' })),
    ];
    for (const token of cases)
      await expectRefused(token, { profile_id: profile.id }, { code: 'BXNIM0398E', message: 'Selected trusted profile not eligible.' });
    const body = await expectRefused(runnerToken({ namespace: 'other', pod: 'p-1' }), { profile_id: profile.id }, { code: 'BXNIM0398E' });
    expect(body.errorDetails).toBe(
      `The given token with identifier 'ci-cluster:other:runner:p-1' is not permitted to assume the indicated trusted profile; profile ID '${profile.iamId}'.`,
    );
  });

  it('refuses an unknown profile, and profile fields that name different profiles', async () => {
    await expectRefused(runnerToken(), { profile_id: 'Profile-00000000-0000-0000-0000-000000000000' }, { code: 'BXNIM0398E' });
    await expectRefused(runnerToken(), { profile_name: 'no-such-profile' }, { code: 'BXNIM0398E' });
    await expectRefused(runnerToken(), { profile_id: profile.id, profile_name: 'no-such-profile' }, { code: 'BXNIM0398E' });
    const twin = emu.addProfile({ name: 'twin', computeResources: [...profile.computeResources] });
    await expectRefused(runnerToken(), { profile_id: twin.id, profile_name: 'ci-runner' }, { code: 'BXNIM0524E' });
  });

  it('refuses a token with a bad signature, of a cluster IAM does not know, a VSI’s identity token, or no JWT', async () => {
    const [head, payload, sig] = runnerToken().split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${head}.${Buffer.from(JSON.stringify({ ...claims, sub: 'system:serviceaccount:ci:admin' })).toString('base64url')}.${sig}`;
    const stranger = await startEmulator({ registry: false });
    try {
      const foreign = stranger.addCluster().serviceAccountToken({ namespace: 'ci', name: 'runner' });
      const vsiToken = await identityToken(await emu.addInstance());
      for (const token of [tampered, foreign, vsiToken, 'not-a-jwt', `${head}.${payload}.`]) {
        await expectRefused(token, { profile_id: profile.id }, CR_TOKEN_REFUSALS.invalid);
      }
    } finally {
      await stranger.stop();
    }
  });

  it('refuses an expired token, a wrong audience, and a token that lives longer than an hour', async () => {
    await expectRefused(runnerToken({ expiresIn: 0 }), { profile_id: profile.id }, CR_TOKEN_REFUSALS.expired);
    await expectRefused(
      runnerToken({ audience: 'https://kubernetes.default.svc' }),
      { profile_id: profile.id },
      CR_TOKEN_REFUSALS.audience,
    );
    await expectRefused(runnerToken({ expiresIn: 7200 }), { profile_id: profile.id }, CR_TOKEN_REFUSALS.lifetime);
    expect((await crGrant(client, runnerToken({ audience: ['vault', 'iam'], expiresIn: 600 }), { profile_id: profile.id })).status).toBe(
      200,
    );
  });

  it('refuses missing fields: BXNIM0109E', async () => {
    expect(json(await crGrant(client, '', { profile_id: profile.id }))).toMatchObject({
      errorCode: 'BXNIM0109E',
      errorDetails: "Property 'cr_token' missing or empty.",
    });
    expect(json(await crGrant(client, runnerToken(), {}))).toMatchObject({ errorCode: 'BXNIM0109E' });
  });
});

describe('Profile-CR rules and links', () => {
  it('a rule trusts resources of the profile’s own account only; a link may cross accounts', async () => {
    const partner = emu.addCluster({ accountId: emu.accounts.other.id, name: 'partner' });
    const token = partner.serviceAccountToken({ namespace: 'ci', name: 'runner' });
    const byRule = emu.addProfile({ computeResources: [crRule('IKS_SA', { namespace: 'ci' })] });
    await expectRefused(token, { profile_id: byRule.id }, { code: 'BXNIM0398E' });
    const byLink = emu.addProfile({ computeResources: [{ crType: 'IKS_SA', crn: partner.crn, namespace: 'ci', name: 'runner' }] });
    expect((await crGrant(client, token, { profile_id: byLink.id })).status).toBe(200);
    const wrongName = emu.addProfile({ computeResources: [{ crType: 'IKS_SA', crn: partner.crn, namespace: 'ci', name: 'deployer' }] });
    await expectRefused(token, { profile_id: wrongName.id }, { code: 'BXNIM0398E' });
  });

  it('applies IAM’s operators: NOT_EQUALS, EQUALS_IGNORE_CASE, IN, CONTAINS', async () => {
    const roks = emu.addCluster({ kind: 'roks', name: 'OpenShift-CI' });
    const rule = (claim: string, operator: 'NOT_EQUALS' | 'EQUALS_IGNORE_CASE' | 'IN' | 'CONTAINS', value: string | string[]) =>
      emu.addProfile({ computeResources: [{ crType: 'ROKS_SA', conditions: [{ claim, operator, value }] }] });
    const token = roks.serviceAccountToken({ namespace: 'tekton-pipelines', name: 'pipeline' });
    const grants = async (p: ProfileRecord) => (await crGrant(client, token, { profile_id: p.id })).status;
    expect(await grants(rule('namespace', 'NOT_EQUALS', 'default'))).toBe(200);
    expect(await grants(rule('namespace', 'NOT_EQUALS', 'tekton-pipelines'))).toBe(400);
    expect(await grants(rule('name', 'EQUALS_IGNORE_CASE', 'PIPELINE'))).toBe(200);
    expect(await grants(rule('name', 'IN', ['deployer', 'pipeline']))).toBe(200);
    expect(await grants(rule('name', 'IN', ['deployer']))).toBe(400);
    expect(await grants(rule('namespace', 'CONTAINS', 'tekton'))).toBe(200);
    expect(await grants(rule('location', 'EQUALS_IGNORE_CASE', 'US-SOUTH'))).toBe(200);
  });
});
