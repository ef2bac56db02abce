// A VPC virtual server's IAM token from its metadata service, a peer on 127.0.0.1 answering as the
// service does (docs/icr.md#a-vpc-virtual-server): both API versions and the 404 that moves to the
// next, each refusal in one sentence and never tried again, transient answers tried again, no proxy.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProfileRef } from '../../../src/inputs/identity.ts';
import { UserError } from '../../../src/lib/errors.ts';
import { vpcInstanceTokens, type VpcOptions } from '../../../src/iam/vpc-instance.ts';
import { startPeer, type Peer, type Reply } from '../../fakes/peer.ts';

const b64 = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const IDENTITY = 'instance-identity-token-0123456789abcdef';
const IAM_TOKEN = `${b64({ alg: 'RS256' })}.${b64({ account: { bss: 'acc1' }, exp: 1_900_000_000 })}.c2lnbmF0dXJl`;
const ID: ProfileRef = { by: 'id', value: 'Profile-1a2b3c4d-5e6f-4a1b-9c8d-0123456789ab' };
const CRN: ProfileRef = {
  by: 'crn',
  value: 'crn:v1:bluemix:public:iam-identity::a/acc1::profile:Profile-1a2b3c4d-5e6f-4a1b-9c8d-0123456789ab',
};
const vpcError = (status: number, code: string, message: string): Reply => ({
  status,
  body: { errors: [{ code, message, more_info: 'https://cloud.ibm.com/docs/vpc' }], status_code: status, trace: 't-1' },
});

const OLD = { token: '/instance_identity/v1/token', iam: '/instance_identity/v1/iam_token' };
const NEW = { token: '/identity/v1/token', iam: '/identity/v1/iam_tokens' };
type Path = (typeof OLD)[keyof typeof OLD] | (typeof NEW)[keyof typeof NEW];

let peer: Peer;
let masked: string[];
beforeAll(async () => {
  peer = await startPeer({ plain: true });
});
afterAll(() => peer.stop());
beforeEach(() => {
  peer.seen.length = 0;
  masked = [];
  serve();
});

/** The service: both versions, as IBM's answers them, but for the paths given (by the request's number on that path, from 1). */
function serve(overrides: Partial<Record<Path, Reply | ((n: number) => Reply | undefined)>> = {}): void {
  peer.answer = (s) => {
    const path = s.url.pathname as Path;
    const o = overrides[path];
    const n = peer.seen.filter((x) => x.url.pathname === path).length;
    const given = typeof o === 'function' ? o(n) : o;
    if (given) return given;
    if (path === OLD.token || path === NEW.token) return { status: 200, body: { access_token: IDENTITY, expires_in: 300 } };
    if (path === OLD.iam || path === NEW.iam) return { status: 200, body: { access_token: IAM_TOKEN, expires_in: 3600 } };
    return { status: 404, body: 'no route' };
  };
}

const options = (more: Partial<VpcOptions> = {}): VpcOptions => ({
  env: {},
  mask: (s) => void masked.push(s),
  policy: { retries: 1, baseMs: 10, capMs: 10 },
  totalMs: 5_000,
  ...more,
});
const tokens = (profile?: ProfileRef, more?: Partial<VpcOptions>) => vpcInstanceTokens(peer.url, profile, options(more));
const refusal = (profile?: ProfileRef, more?: Partial<VpcOptions>) =>
  tokens(profile, more).then(
    () => {
      throw new Error('gave a token');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).title).toBe('metadata service');
      return (e as UserError).message;
    },
  );
const calls = () => peer.seen.map((s) => `${s.method} ${s.path}`);

describe('the two operations', () => {
  it('asks API 2022-03-01 for an identity token of 300 s, then for the IAM token with it; masks both', async () => {
    const got = await tokens();
    expect(got.version).toBe('2022-03-01');
    expect(got.tokens).toMatchObject({ accessToken: IAM_TOKEN, accountId: 'acc1', expiresIn: 3600 });
    expect(calls()).toEqual([`PUT ${OLD.token}?version=2022-03-01`, `POST ${OLD.iam}?version=2022-03-01`]);
    const [token, iam] = peer.seen;
    expect(token!.headers).toMatchObject({ 'metadata-flavor': 'ibm', accept: 'application/json', 'content-type': 'application/json' });
    expect(token!.headers.authorization).toBeUndefined();
    expect(JSON.parse(token!.body)).toEqual({ expires_in: 300 });
    expect(iam!.headers).toMatchObject({ 'metadata-flavor': 'ibm', authorization: `Bearer ${IDENTITY}` });
    expect(masked).toEqual([IDENTITY, IAM_TOKEN]);
  });

  it.each<[string, ProfileRef | undefined, string, string | undefined]>([
    ['the instance’s default profile: no body', undefined, '', undefined],
    ['a profile by ID', ID, JSON.stringify({ trusted_profile: { id: ID.value } }), 'application/json'],
    ['a profile by CRN', CRN, JSON.stringify({ trusted_profile: { crn: CRN.value } }), 'application/json'],
  ])('asks for %s', async (_what, profile, body, type) => {
    await tokens(profile);
    const iam = peer.seen[1]!;
    expect(iam.body).toBe(body);
    expect(iam.headers['content-type']).toBe(type);
  });

  it('never goes through a proxy, whatever the env says', async () => {
    const proxy = 'http://127.0.0.1:9';
    const got = await tokens(undefined, { env: { HTTP_PROXY: proxy, http_proxy: proxy, HTTPS_PROXY: proxy } });
    expect(got.tokens.accessToken).toBe(IAM_TOKEN);
  });
});

describe('the 404 that moves to API 2025-08-26', () => {
  const v1 = '?version=2022-03-01';
  const v2 = '?version=2025-08-26';
  it.each<[string, Partial<Record<Path, Reply>>, string[]]>([
    ['of the identity token', { [OLD.token]: { status: 404 } }, [`PUT ${OLD.token}${v1}`, `PUT ${NEW.token}${v2}`, `POST ${NEW.iam}${v2}`]],
    [
      'of the IAM token',
      { [OLD.iam]: { status: 404 } },
      [`PUT ${OLD.token}${v1}`, `POST ${OLD.iam}${v1}`, `PUT ${NEW.token}${v2}`, `POST ${NEW.iam}${v2}`],
    ],
  ])('%s', async (_what, overrides, sent) => {
    serve(overrides);
    const got = await tokens(ID);
    expect(got.version).toBe('2025-08-26');
    expect(got.tokens.accessToken).toBe(IAM_TOKEN);
    expect(calls()).toEqual(sent);
    expect(peer.seen.at(-1)!.body).toBe(JSON.stringify({ trusted_profile: { id: ID.value } }));
  });

  it('both 404: no identity API at this address', async () => {
    serve({ [OLD.token]: { status: 404 }, [NEW.token]: { status: 404 } });
    expect(await refusal()).toBe(
      `The metadata service at ${peer.url} answered 404 for both identity APIs, 2022-03-01 (/instance_identity/v1/token) and 2025-08-26 (/identity/v1/token); check metadata-endpoint, and that this is a VPC virtual server.`,
    );
  });
});

describe('refusals, in one sentence, never tried again', () => {
  const service = () => `The metadata service at ${peer.url}`;
  it.each<[string, Path, Reply, ProfileRef | undefined, (s: string) => string]>([
    [
      'no identity token',
      OLD.token,
      vpcError(403, 'forbidden', 'Not allowed.'),
      undefined,
      (s) =>
        `${s} refused to issue an instance identity token (403 forbidden: Not allowed.); check metadata-endpoint, and report it if it persists.`,
    ],
    [
      'its own identity token refused',
      OLD.iam,
      vpcError(401, 'unauthorized', 'Token expired.'),
      undefined,
      (s) =>
        `${s} refused the instance identity token it had just issued (401 unauthorized: Token expired.); run the job again, and check the virtual server's clock if it persists.`,
    ],
    [
      'a profile not linked to the instance',
      OLD.iam,
      vpcError(400, 'invalid_profile', 'Profile not linked.'),
      ID,
      (s) =>
        `${s} gave no IAM token for trusted profile ${ID.value} (400 invalid_profile: Profile not linked.); link ${ID.value} to this virtual server (a trusted profile link or rule of type VSI) or name a profile that is linked to it in trusted-profile.`,
    ],
    [
      'no default profile',
      OLD.iam,
      vpcError(403, 'no_profile', 'No default profile.'),
      undefined,
      (s) =>
        `${s} gave no IAM token for the instance's default trusted profile (403 no_profile: No default profile.); give this virtual server a default trusted profile, or set trusted-profile to the ID or CRN of a profile linked to it.`,
    ],
    [
      'an answer that is no token (a portal)',
      OLD.token,
      { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>hi</html>' },
      undefined,
      (s) =>
        `${s} answered 200 with an HTML page (a proxy or captive portal answering instead of the metadata service?); check metadata-endpoint, and that nothing else answers at that address.`,
    ],
  ])('%s', async (_what, path, reply, profile, sentence) => {
    serve({ [path]: reply });
    expect(await refusal(profile)).toBe(sentence(service()));
    expect(peer.seen.filter((s) => s.url.pathname === path)).toHaveLength(1);
    expect(peer.seen.some((s) => s.url.pathname.startsWith('/identity/'))).toBe(false);
  });
});

describe('answers that may pass, and none at all', () => {
  it('tries a 503 again and takes the token that follows', async () => {
    serve({ [OLD.token]: (n) => (n === 1 ? { status: 503 } : undefined) });
    expect((await tokens()).tokens.accessToken).toBe(IAM_TOKEN);
    expect(calls().map((c) => c.split('?')[0])).toEqual([`PUT ${OLD.token}`, `PUT ${OLD.token}`, `POST ${OLD.iam}`]);
  });

  it('gives up after the policy’s retries, saying what each try saw', async () => {
    serve({ [OLD.iam]: vpcError(503, 'unavailable', 'Try later.') });
    expect(await refusal()).toBe(
      `The metadata service at ${peer.url} gave no token (try 1: 503 with unavailable: Try later.; try 2: 503 with unavailable: Try later.); run the job again later, or check IBM Cloud status.`,
    );
  });

  it('says how to turn the service on when nothing answers at the address', async () => {
    const down = await startPeer({ plain: true });
    await down.stop();
    const message = await vpcInstanceTokens(down.url, undefined, options()).catch((e: Error) => e.message);
    expect(message).toMatch(
      new RegExp(
        `^The metadata service at ${down.url} could not be reached \\(try 1: connect ECONNREFUSED [^;]+; try 2: connect ECONNREFUSED [^)]+\\); it is off until enabled: `,
      ),
    );
  });

  it('stops when the step is cancelled', async () => {
    serve({ [OLD.token]: { status: 503 } });
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 100);
    const message = await vpcInstanceTokens(
      peer.url,
      undefined,
      options({ signal: cancel.signal, policy: { retries: 4, baseMs: 60_000, capMs: 60_000 }, totalMs: 600_000 }),
    ).catch((e: Error) => e.message);
    expect(message).toBe('The request to the metadata service was cancelled.');
  });
});
