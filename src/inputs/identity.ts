// Input identity and what goes with it: how this login proves who it is (an API key, a VPC virtual
// server's metadata service, a pod's compute-resource token) and which trusted profile it becomes
// (docs/icr.md#compute-resources). Pure.
import { UserError } from '../lib/errors.ts';
import { quote } from '../lib/text.ts';
import { parseChoice, profileId } from './parse.ts';

export const IDENTITIES = ['api-key', 'vpc', 'container'] as const;
export type IdentityKind = (typeof IDENTITIES)[number];

/** A trusted profile as the user named it: by ID, by CRN, or (a pod's grant only) by name. */
export interface ProfileRef {
  readonly by: 'id' | 'crn' | 'name';
  readonly value: string;
}

export type Identity =
  | { readonly kind: 'api-key' }
  /** Without a profile, the metadata service hands out a token of the instance's default trusted profile. */
  | { readonly kind: 'vpc'; readonly metadataEndpoint: string; readonly profile: ProfileRef | undefined }
  /** Without a token file, the first of the SDKs' default paths that exists. */
  | { readonly kind: 'container'; readonly tokenFile: string | undefined; readonly profile: ProfileRef };

/** The metadata service as seen from inside a VPC virtual server (IBM's VPC docs; both SDKs' default). */
export const DEFAULT_METADATA_ENDPOINT = 'http://169.254.169.254';

/** The name IBM documents for the metadata service; with its "secure access" it is the only https one. */
const METADATA_HOST = 'api.metadata.cloud.ibm.com';

export function parseIdentity(value: string): IdentityKind {
  return parseChoice('identity', value, IDENTITIES, 'api-key');
}

const ID_HINT = 'it looks like Profile-1a2b3c4d-… (IAM > Trusted profiles > Details)';

/** crn:v1:bluemix:public:iam-identity::a/ACCOUNT::profile:Profile-…: ten fields, IAM's service, a profile. */
function isProfileCrn(value: string): boolean {
  const f = value.split(':');
  return f.length === 10 && f[0] === 'crn' && f[1] === 'v1' && f[4] === 'iam-identity' && /^a\/\w+$/.test(f[6]!) && f[8] === 'profile';
}

/**
 * Input trusted-profile for a compute identity: an ID, a CRN, or (where `names` allows it) a name.
 * A value that starts like an ID or a CRN is held to that form, so a typo is not taken for a name.
 */
export function parseProfileRef(value: string, names: boolean): ProfileRef | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  const mistake = (what: string): UserError => new UserError(`Input trusted-profile ${quote(value)} ${what}.`, 'trusted-profile');
  if (/^profile-/i.test(v)) {
    const id = profileId(v);
    if (!id) throw mistake(`is not a trusted profile ID; ${ID_HINT}`);
    return { by: 'id', value: id };
  }
  if (/^crn:/i.test(v)) {
    if (!isProfileCrn(v))
      throw mistake('is not the CRN of a trusted profile; it looks like crn:v1:bluemix:public:iam-identity::a/ACCOUNT::profile:Profile-…');
    return { by: 'crn', value: v };
  }
  if (!names) {
    throw mistake(
      `is neither a trusted profile ID nor a CRN, the two ways the metadata service takes one (${ID_HINT}); a profile's name works only with identity container`,
    );
  }
  if (/[\u0000-\u001f\u007f]/.test(v)) throw mistake('holds control characters; give the profile name as IAM shows it');
  return { by: 'name', value: v };
}

/** 169.254.0.0/16, fe80::/10 and loopback: addresses that never leave the machine's own link. */
function isLinkLocalOrLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[(.+)\]$/, '$1').toLowerCase();
  if (h === 'localhost' || h === '::1' || /^fe[89ab][0-9a-f]:/.test(h)) return true;
  return /^(169\.254|127\.\d{1,3})\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Input metadata-endpoint: the metadata service's base URL. Plain http only where it never leaves the
 * machine (the link-local address, IBM's own name for it, loopback): it carries the tokens.
 */
export function parseMetadataEndpoint(value: string): string {
  const v = value.trim();
  if (v === '') return DEFAULT_METADATA_ENDPOINT;
  const url = URL.parse(v);
  const mistake = (what: string): UserError =>
    new UserError(`Input metadata-endpoint ${quote(value)} ${what}; leave it empty for ${DEFAULT_METADATA_ENDPOINT}.`, 'metadata-endpoint');
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw mistake('is not an http or https URL');
  if (url.protocol === 'http:' && !isLinkLocalOrLoopback(url.hostname) && url.hostname !== METADATA_HOST) {
    throw mistake(`must use https unless it is the instance's own link-local address (169.254.169.254, ${METADATA_HOST} or loopback)`);
  }
  if (url.username || url.password || url.search || url.hash)
    throw mistake('must be a plain base URL, without credentials, query or fragment');
  return url.href.replace(/\/+$/, '');
}

/** Input cr-token-file: a path as given (relative to the working folder), or undefined for the default order. */
export function parseTokenFile(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  if (/[\u0000-\u001f\u007f]/.test(v)) {
    throw new UserError(
      `Input cr-token-file ${quote(value)} holds control characters; give the path of the token file alone.`,
      'cr-token-file',
    );
  }
  return v;
}
