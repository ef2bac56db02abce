// What a VPC metadata service answers, read as the action reads it, and the sentence each failure becomes.
import { describe, expect, it } from 'vitest';
import {
  describeMetadataFailure,
  describeNoIdentityApi,
  describeUnreachable,
  iamTokenBody,
  METADATA_APIS,
  readMetadataAnswer,
} from '../../../src/iam/metadata-answer.ts';
import type { IamFailure } from '../../../src/iam/answer.ts';

const b64 = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const IAM = `${b64({ alg: 'RS256' })}.${b64({ account: { bss: 'acc1' }, exp: 1_900_000_000, sub_type: 'ComputeResource' })}.c2ln`;
const vpcError = (status: number, code: string, message: string): string =>
  JSON.stringify({ errors: [{ code, message, more_info: 'https://cloud.ibm.com/docs/vpc' }], status_code: status, trace: 't-1' });
const ENDPOINT = 'http://169.254.169.254';
const ID = { by: 'id', value: 'Profile-1a2b3c4d-5e6f-4a1b-9c8d-0123456789ab' } as const;

function failure(status: number, body: string): IamFailure {
  const a = readMetadataAnswer(status, 'application/json', body);
  if (a.ok || 'missing' in a) throw new Error(`not a failure: ${JSON.stringify(a)}`);
  return a;
}

describe('metadata answers', () => {
  it('reads the IAM token, its expiry from expires_at and its account', () => {
    const body = JSON.stringify({
      access_token: IAM,
      created_at: '2026-07-01T10:00:00Z',
      expires_at: '2026-07-01T11:00:00Z',
      expires_in: 3600,
    });
    expect(readMetadataAnswer(200, 'application/json', body)).toEqual({
      ok: true,
      tokens: {
        accessToken: IAM,
        expiresIn: 3600,
        expiration: Date.parse('2026-07-01T11:00:00Z') / 1000,
        refreshToken: undefined,
        refreshTokenExpiration: undefined,
        accountId: 'acc1',
      },
    });
  });

  it('takes any 2xx as success', () => {
    expect(
      readMetadataAnswer(201, 'application/json', JSON.stringify({ access_token: 'opaque-instance-identity-token', expires_in: 300 })),
    ).toMatchObject({
      ok: true,
    });
  });

  it('a 404 is an API version this service does not serve, whatever the body', () => {
    expect(readMetadataAnswer(404, 'application/json', vpcError(404, 'not_found', 'x'))).toEqual({ ok: false, missing: true });
    expect(readMetadataAnswer(404, 'text/plain', '')).toEqual({ ok: false, missing: true });
  });

  it('reads the VPC error shape: code and message as the service wrote them', () => {
    const f = failure(
      400,
      vpcError(400, 'profile_not_linked', 'The virtual server instance is not linked to the specified trusted profile.'),
    );
    expect(f).toMatchObject({ kind: 'refused', status: 400, code: 'profile_not_linked' });
  });

  it('retries 429 and 5xx but 501; anything else is broken', () => {
    expect(failure(503, vpcError(503, 'service_unavailable', 'busy')).kind).toBe('retry');
    expect(failure(429, '').kind).toBe('retry');
    expect(failure(501, '').kind).toBe('broken');
    expect(failure(200, '<html>portal</html>')).toMatchObject({ kind: 'broken', detail: expect.stringContaining('HTML page') as string });
    expect(failure(200, '{"token":"x"}')).toMatchObject({ kind: 'broken', detail: 'JSON without an access_token' });
  });
});

describe('the IAM-token request body', () => {
  it('names the profile by ID or CRN, or is absent for the default profile (as both SDKs send it)', () => {
    expect(iamTokenBody(ID)).toBe(`{"trusted_profile":{"id":"${ID.value}"}}`);
    expect(iamTokenBody({ by: 'crn', value: 'crn:v1:x' })).toBe('{"trusted_profile":{"crn":"crn:v1:x"}}');
    expect(iamTokenBody(undefined)).toBeUndefined();
  });

  it('tries 2022-03-01 first, then 2025-08-26, on the paths IBM documents', () => {
    expect(METADATA_APIS).toEqual([
      { version: '2022-03-01', token: '/instance_identity/v1/token', iamToken: '/instance_identity/v1/iam_token' },
      { version: '2025-08-26', token: '/identity/v1/token', iamToken: '/identity/v1/iam_tokens' },
    ]);
  });
});

describe('what each failure says', () => {
  const notLinked = failure(
    400,
    vpcError(400, 'profile_not_linked', 'The virtual server instance is not linked to the specified trusted profile.'),
  );
  const noProfile = failure(400, vpcError(400, 'missing_field', 'A trusted profile ID was not passed in the request body.'));

  it('a named profile not linked: its own words, and to link it', () => {
    expect(describeMetadataFailure(ENDPOINT, 'iamToken', notLinked, ID)).toBe(
      `The metadata service at ${ENDPOINT} gave no IAM token for trusted profile ${ID.value} (400 profile_not_linked: The virtual server instance is not linked to the specified trusted profile.); link ${ID.value} to this virtual server (a trusted profile link or rule of type VSI) or name a profile that is linked to it in trusted-profile.`,
    );
  });

  it('no profile named and none linked by default: to give it one, or to name one', () => {
    expect(describeMetadataFailure(ENDPOINT, 'iamToken', noProfile, undefined)).toBe(
      `The metadata service at ${ENDPOINT} gave no IAM token for the instance's default trusted profile (400 missing_field: A trusted profile ID was not passed in the request body.); give this virtual server a default trusted profile, or set trusted-profile to the ID or CRN of a profile linked to it.`,
    );
  });

  it('the identity token refused, and refused when exchanged', () => {
    const flavor = failure(400, vpcError(400, 'missing_value', 'A value such as `ibm` must be provided in the `Metadata-Flavor` header.'));
    expect(describeMetadataFailure(ENDPOINT, 'token', flavor, undefined)).toMatch(
      /refused to issue an instance identity token \(400 missing_value: A value/,
    );
    const stale = failure(401, vpcError(401, 'unauthenticated', 'The provided token is invalid or expired.'));
    expect(describeMetadataFailure(ENDPOINT, 'iamToken', stale, ID)).toMatch(
      /refused the instance identity token it had just issued \(401 unauthenticated: /,
    );
  });

  it('an answer that is no answer of the service', () => {
    expect(describeMetadataFailure(ENDPOINT, 'token', failure(200, '<html>'), undefined)).toBe(
      `The metadata service at ${ENDPOINT} answered 200 with an HTML page (a proxy or captive portal answering instead of the metadata service?); check metadata-endpoint, and that nothing else answers at that address.`,
    );
  });

  it('both versions missing, and nothing reached', () => {
    expect(describeNoIdentityApi(ENDPOINT)).toBe(
      `The metadata service at ${ENDPOINT} answered 404 for both identity APIs, 2022-03-01 (/instance_identity/v1/token) and 2025-08-26 (/identity/v1/token); check metadata-endpoint, and that this is a VPC virtual server.`,
    );
    expect(describeUnreachable(ENDPOINT, 'try 1: ECONNREFUSED', false)).toMatch(
      /could not be reached \(try 1: ECONNREFUSED\); it is off until enabled: turn it on for this virtual server \(ibmcloud is instance-update INSTANCE --metadata-service true\)/,
    );
    expect(describeUnreachable(ENDPOINT, 'try 1: 503 with an empty body', true)).toMatch(/gave no token \(try 1: 503/);
  });
});
