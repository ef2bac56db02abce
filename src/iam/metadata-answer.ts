// What a VPC metadata service answers to its two identity operations, read into a token or one clear
// sentence (docs/icr.md#a-vpc-virtual-server). Its errors come in IBM's platform shape,
// `{errors: [{code, message}], status_code, trace}`, which answer.ts reads too. Pure.
import type { ProfileRef } from '../inputs/identity.ts';
import { readIamAnswer, type IamFailure, type IamTokens } from './answer.ts';
import { answeredWith } from './failure-words.ts';

/** The two API versions, oldest (both SDKs' default) first: a service that does not know one answers 404. */
export const METADATA_APIS = [
  { version: '2022-03-01', token: '/instance_identity/v1/token', iamToken: '/instance_identity/v1/iam_token' },
  { version: '2025-08-26', token: '/identity/v1/token', iamToken: '/identity/v1/iam_tokens' },
] as const;

export type MetadataApi = (typeof METADATA_APIS)[number];

/** Which of the two operations answered. */
export type MetadataStep = 'token' | 'iamToken';

/** The token, or `missing` (404: this API version is not served here), or why there is none. */
export type MetadataAnswer =
  { readonly ok: true; readonly tokens: IamTokens } | { readonly ok: false; readonly missing: true } | IamFailure;

export function readMetadataAnswer(status: number, contentType: string, body: string): MetadataAnswer {
  if (status === 404) return { ok: false, missing: true };
  // Any 2xx with an access_token is success (IBM's SDKs check only the status class).
  return readIamAnswer(status, contentType, body, Date.now(), 'the metadata service');
}

/** The body of the IAM-token request: the profile by ID or CRN, or none for the instance's default profile. */
export function iamTokenBody(profile: ProfileRef | undefined): string | undefined {
  if (!profile) return undefined;
  return JSON.stringify({ trusted_profile: profile.by === 'crn' ? { crn: profile.value } : { id: profile.value } });
}

/** `trusted profile Profile-…`, or the default one. */
export const profileWords = (profile: ProfileRef | undefined): string =>
  profile ? `trusted profile ${profile.value}` : "the instance's default trusted profile";

const said = (f: IamFailure): string => `${f.status} ${f.code ? `${f.code}: ${f.detail}` : f.detail}`;

/** One sentence for a final failure of one operation, saying what the service said and what to do. */
export function describeMetadataFailure(endpoint: string, step: MetadataStep, f: IamFailure, profile: ProfileRef | undefined): string {
  const service = `The metadata service at ${endpoint}`;
  if (f.kind !== 'refused')
    return `${service} answered ${answeredWith(f)}; check metadata-endpoint, and that nothing else answers at that address.`;
  if (step === 'token') {
    return `${service} refused to issue an instance identity token (${said(f)}); check metadata-endpoint, and report it if it persists.`;
  }
  if (f.status === 401) {
    return `${service} refused the instance identity token it had just issued (${said(f)}); run the job again, and check the virtual server's clock if it persists.`;
  }
  const fix = profile
    ? `link ${profile.value} to this virtual server (a trusted profile link or rule of type VSI) or name a profile that is linked to it in trusted-profile`
    : 'give this virtual server a default trusted profile, or set trusted-profile to the ID or CRN of a profile linked to it';
  return `${service} gave no IAM token for ${profileWords(profile)} (${said(f)}); ${fix}.`;
}

/** Both API versions answered 404: no identity API at this address. */
export function describeNoIdentityApi(endpoint: string): string {
  const versions = METADATA_APIS.map((a) => `${a.version} (${a.token})`).join(' and ');
  return `The metadata service at ${endpoint} answered 404 for both identity APIs, ${versions}; check metadata-endpoint, and that this is a VPC virtual server.`;
}

/** No answer that could ever give a token, after every try. */
export function describeUnreachable(endpoint: string, tries: string, answered: boolean): string {
  if (answered) return `The metadata service at ${endpoint} gave no token (${tries}); run the job again later, or check IBM Cloud status.`;
  return `The metadata service at ${endpoint} could not be reached (${tries}); it is off until enabled: turn it on for this virtual server (ibmcloud is instance-update INSTANCE --metadata-service true), and check metadata-endpoint (https works only with the service's secure access).`;
}
