// A pod's IAM token: its compute-resource token read from the file and exchanged at IAM (a peer on
// 127.0.0.1) with the cr-token grant, the profile named as IBM's SDKs name it, and a refusal that names
// what to fix.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { containerTokens, CR_TOKEN_GRANT, type ContainerOptions } from '../../../src/iam/container.ts';
import type { ProfileRef } from '../../../src/inputs/identity.ts';
import { UserError } from '../../../src/lib/errors.ts';
import { startPeer, type Peer, type Reply } from '../../fakes/peer.ts';

const CR_TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6Y2k6cnVubmVyIn0.c2lnbmF0dXJl';
const b64 = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const IAM_TOKEN = `${b64({ alg: 'RS256' })}.${b64({ account: { bss: 'acc1' }, exp: 1_900_000_000 })}.c2lnbmF0dXJl`;
const PROFILE_ID = 'Profile-1a2b3c4d-5e6f-4a1b-9c8d-0123456789ab';

let iam: Peer;
let dir: string;
let file: string;
let reply: Reply;
let masked: string[];
/** How many requests IAM had seen when each secret was masked. */
let maskedAt: number[];
beforeAll(async () => {
  iam = await startPeer({ plain: true });
  iam.answer = () => reply;
  dir = await mkdtemp(join(tmpdir(), 'icr-unit-cr-token-'));
  file = join(dir, 'token');
  await writeFile(file, `${CR_TOKEN}\n`);
});
afterAll(async () => {
  await iam.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  iam.seen.length = 0;
  masked = [];
  maskedAt = [];
  reply = { status: 200, body: { access_token: IAM_TOKEN, expires_in: 3600, token_type: 'Bearer' } };
});

const options = (): ContainerOptions => ({
  env: {},
  mask: (s) => {
    masked.push(s);
    maskedAt.push(iam.seen.length);
  },
  policy: { retries: 1, baseMs: 10, capMs: 10 },
  totalMs: 5_000,
});
const form = () => Object.fromEntries(new URLSearchParams(iam.seen[0]!.body));

describe('the cr-token grant', () => {
  it.each<[ProfileRef, string]>([
    [{ by: 'id', value: PROFILE_ID }, 'profile_id'],
    [{ by: 'crn', value: `crn:v1:bluemix:public:iam-identity::a/acc1::profile:${PROFILE_ID}` }, 'profile_crn'],
    [{ by: 'name', value: 'ci-runner' }, 'profile_name'],
  ])('names the profile %j as %s, with the file’s token, trimmed and masked first', async (profile, field) => {
    const got = await containerTokens(iam.url, file, profile, options());
    expect(got).toMatchObject({ path: file, tokens: { accessToken: IAM_TOKEN, accountId: 'acc1' } });
    expect(iam.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /identity/token']);
    expect(form()).toEqual({ grant_type: CR_TOKEN_GRANT, cr_token: CR_TOKEN, [field]: profile.value });
    expect(masked).toContain(CR_TOKEN);
    expect(maskedAt.every((n) => n === 0)).toBe(true);
  });
});

describe('what fails', () => {
  const profile: ProfileRef = { by: 'name', value: 'ci-runner' };

  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  it.each<[string, Reply, (from: string) => string]>([
    [
      'a refusal with IAM’s details of the identity it saw, capped',
      {
        status: 400,
        body: {
          errorCode: 'BXNIM0537E',
          errorMessage: 'The compute resource token is not trusted.',
          errorDetails: `cluster c1, namespace ci, service account runner ${'x'.repeat(400)}`,
        },
      },
      (from) =>
        `IAM refused the compute-resource token from ${from} for trusted profile ci-runner (BXNIM0537E: The compute resource token is not trusted. ${`cluster c1, namespace ci, service account runner ${'x'.repeat(400)}`.slice(0, 300)}); check that the profile has a compute-resource rule or link trusting this cluster, namespace and service account, and that the token has audience iam and lives an hour or less.`,
    ],
    [
      'a refusal whose details only repeat its message',
      { status: 400, body: { errorCode: 'BXNIM0537E', errorMessage: 'Not trusted.', errorDetails: 'Not trusted.' } },
      (from) =>
        `IAM refused the compute-resource token from ${from} for trusted profile ci-runner (BXNIM0537E: Not trusted.); check that the profile has a compute-resource rule or link trusting this cluster, namespace and service account, and that the token has audience iam and lives an hour or less.`,
    ],
    [
      'a refusal without details',
      { status: 403, body: { errorCode: 'BXNIM0514E', errorMessage: 'Not trusted.' } },
      (from) =>
        `IAM refused the compute-resource token from ${from} for trusted profile ci-runner (BXNIM0514E: Not trusted.); check that the profile has a compute-resource rule or link trusting this cluster, namespace and service account, and that the token has audience iam and lives an hour or less.`,
    ],
  ])('%s', async (_what, r, message) => {
    reply = r;
    const error = await containerTokens(iam.url, file, profile, options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(message(file));
    expect(iam.seen).toHaveLength(1);
  });

  it('a token file that is not there: said, and IAM never asked', async () => {
    const missing = join(dir, 'no-such-token');
    const error = await containerTokens(iam.url, missing, profile, options()).catch((e: unknown) => e);
    expect((error as UserError).title).toBe('cr-token-file');
    expect((error as UserError).message).toMatch(
      new RegExp(`^The compute-resource token file ${escaped(missing)} does not exist \\(input cr-token-file\\)`),
    );
    expect(iam.seen).toEqual([]);
  });
});
