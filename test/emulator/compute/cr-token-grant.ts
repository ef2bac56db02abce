// IAM's compute-resource grant (POST /identity/token, grant_type=…:cr-token): a cr_token (a projected
// service-account token) and a trusted profile by profile_id, profile_crn or profile_name become an
// access token of that profile, if the token is good and the profile has a rule or link that trusts it.
import type { ProfileRecord } from '../iam/types.ts';
import type { Directory } from '../iam/identities.ts';
import type { IamError } from '../iam/errors.ts';
import type { Clusters, CrTokenFault } from './clusters.ts';
import type { ComputeResource } from './cr-rules.ts';
import { trustsComputeResource } from './cr-rules.ts';

export const CR_TOKEN_GRANT = 'urn:ibm:params:oauth:grant-type:cr-token';

/** What an IAM token of a compute resource carries besides the profile (public trace: sub_type ComputeResource). */
export const COMPUTE_RESOURCE_CLAIMS = { sub_type: 'ComputeResource' };

/**
 * IAM's answers for a cr_token it will not take. The codes are NOT verified against IBM (no public
 * transcript shows them): stand-ins whose messages name the fault. Status 400, as for every bad grant.
 */
export const CR_TOKEN_REFUSALS = {
  invalid: {
    status: 400,
    code: 'BXNIM0520E',
    message: 'Provided compute resource token is invalid.',
    details: 'The cr_token is malformed, or no cluster IAM knows signed it.',
  },
  expired: {
    status: 400,
    code: 'BXNIM0521E',
    message: 'Provided compute resource token is expired.',
    details: 'The cr_token is past its exp.',
  },
  audience: {
    status: 400,
    code: 'BXNIM0522E',
    message: 'Provided compute resource token has an invalid audience.',
    details: "The cr_token's aud must include 'iam'.",
  },
  lifetime: {
    status: 400,
    code: 'BXNIM0523E',
    message: 'Provided compute resource token lives too long.',
    details: 'A cr_token may live at most 3600 seconds (expirationSeconds: 3600 or less).',
  },
} satisfies Record<CrTokenFault, IamError>;

/** Stand-in too: profile_id and profile_name given together must name the same profile (the SDKs' rule). */
const PROFILES_DIFFER: IamError = {
  status: 400,
  code: 'BXNIM0524E',
  message: 'The given trusted profile parameters do not match.',
  details: 'profile_id, profile_crn and profile_name name different trusted profiles.',
};

const missing = (name: string): IamError => ({
  status: 400,
  code: 'BXNIM0109E',
  message: 'Property missing or empty.',
  details: `Property '${name}' missing or empty.`,
});

/**
 * IAM's refusal of a profile that does not trust the compute resource, code, words and details as public
 * transcripts show them (confidential-containers/cloud-api-adaptor#991, 2023-05; the status and message
 * also in external-secrets/external-secrets#4474, 2025-02). Callers should still match status and shape.
 */
export function notEligible(cr: ComputeResource, profileRef: string): IamError {
  return {
    status: 400,
    code: 'BXNIM0398E',
    message: 'Selected trusted profile not eligible.',
    details: `The given token with identifier '${cr.identifier}' is not permitted to assume the indicated trusted profile; profile ID '${profileRef}'.`,
  };
}

/** The cr-token grant: the profile to issue a token for, or IAM's refusal. */
export function crTokenGrant(form: URLSearchParams, clusters: Clusters, dir: Directory): { profile: ProfileRecord } | IamError {
  const token = form.get('cr_token') ?? '';
  if (!token) return missing('cr_token');
  const ids = { id: form.get('profile_id') ?? '', crn: form.get('profile_crn') ?? '', name: form.get('profile_name') ?? '' };
  if (!ids.id && !ids.crn && !ids.name) return missing('profile_id');
  const cr = clusters.verify(token.trim());
  if (typeof cr === 'string') return CR_TOKEN_REFUSALS[cr];
  // A name is looked up in the compute resource's own account: the container authenticators of both
  // SDKs send profile_name alone (the assume grant sends it with `account`).
  const found = [
    ids.id ? dir.profile(ids.id) : undefined,
    ids.crn ? dir.findProfile((p) => p.crn === ids.crn) : undefined,
    ids.name ? dir.findProfile((p) => p.name === ids.name && p.accountId === cr.accountId) : undefined,
  ];
  const given = [ids.id, ids.crn, ids.name].map(Boolean);
  const profiles = new Set(found.filter((p, i) => given[i] && p !== undefined));
  if (profiles.size > 1) return PROFILES_DIFFER;
  const [profile] = profiles;
  const ref = profile?.iamId ?? (ids.id || ids.crn || ids.name);
  if (!profile || found.some((p, i) => given[i] && !p) || !trustsComputeResource(profile, cr)) return notEligible(cr, ref);
  return { profile };
}
