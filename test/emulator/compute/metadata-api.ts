// One instance's metadata service, identity operations only: create an instance identity token
// (PUT …/token) and exchange it for an IAM token of a linked trusted profile (POST …/iam_token[s]), in
// API 2022-03-01 (/instance_identity/v1/…) and 2025-08-26 (/identity/v1/…), checked as IBM documents.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MetadataVersion } from './types.ts';
import type { Instance, Instances } from './instances.ts';
import type { MetadataError } from './metadata-errors.ts';
import * as E from './metadata-errors.ts';
import { trustsComputeResource } from './cr-rules.ts';
import { COMPUTE_RESOURCE_CLAIMS, CR_TOKEN_GRANT } from './cr-token-grant.ts';
import { parseBearer, readBody, sendJson } from '../net/http-util.ts';

interface Operation {
  method: 'PUT' | 'POST';
  api: MetadataVersion;
  run: (req: IncomingMessage, body: Record<string, unknown>, instance: Instance, services: Instances) => MetadataError | object;
}

/** The first version date of the identity API; the 2025-08-26 release removed /instance_identity for later dates. */
const FIRST_VERSION = '2022-03-01';
const SECOND_API = '2025-08-26';
const DEFAULT_LIFETIME = 300;

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

function createToken(
  _req: IncomingMessage,
  body: Record<string, unknown>,
  instance: Instance,
  services: Instances,
): MetadataError | object {
  const unknown = Object.keys(body).find((k) => k !== 'expires_in' && k !== 'nonce');
  if (unknown !== undefined) return E.unknownField(unknown);
  const asked = 'expires_in' in body ? body.expires_in : DEFAULT_LIFETIME;
  if (typeof asked !== 'number' || !Number.isInteger(asked) || asked < 5 || asked > 3600) return E.expiresInInvalid(asked);
  if (body.nonce !== undefined && typeof body.nonce !== 'string') return E.fieldInvalid('nonce', body.nonce);
  const lifetime = instance.identityTokenLifetime ?? asked;
  const { token, iat, exp } = services.signIdentityToken(instance, lifetime, body.nonce);
  return { access_token: token, created_at: iso(iat), expires_at: iso(exp), expires_in: lifetime };
}

function createIamToken(
  req: IncomingMessage,
  body: Record<string, unknown>,
  instance: Instance,
  services: Instances,
): MetadataError | object {
  const token = parseBearer(req.headers.authorization);
  if (token === undefined) return E.TOKEN_MISSING;
  if (!services.verifyIdentityToken(instance, token)) return E.TOKEN_INVALID;
  const unknown = Object.keys(body).find((k) => k !== 'trusted_profile');
  if (unknown !== undefined) return E.unknownField(unknown);
  const wanted = body.trusted_profile ?? {};
  if (typeof wanted !== 'object' || wanted === null || Array.isArray(wanted)) return E.fieldInvalid('trusted_profile', wanted);
  const ref = wanted as Record<string, unknown>;
  const extra = Object.keys(ref).find((k) => k !== 'id' && k !== 'crn');
  if (extra !== undefined) return E.unknownField(`trusted_profile.${extra}`);
  for (const k of ['id', 'crn'])
    if (ref[k] !== undefined && typeof ref[k] !== 'string') return E.fieldInvalid(`trusted_profile.${k}`, ref[k]);
  // Stand-in: one profile per request, by ID or by CRN, as both SDKs send it.
  if (ref.id !== undefined && ref.crn !== undefined) return E.fieldInvalid('trusted_profile', ref);
  const { dir, iam } = services;
  // Without a profile in the body: the instance's default profile.
  const crn = ref.crn as string | undefined;
  const id = (ref.id as string | undefined) ?? (crn === undefined ? instance.defaultProfileId : undefined);
  if (id === undefined && crn === undefined) return E.NO_PROFILE;
  const profile = crn === undefined ? dir.profile(id ?? '') : dir.findProfile((p) => p.crn === crn);
  if (!profile || !trustsComputeResource(profile, instance.resource)) return E.NOT_LINKED;
  const granted = iam.tokens.response(profile, CR_TOKEN_GRANT, false, {
    ...(instance.iamTokenLifetime === undefined ? {} : { lifetime: instance.iamTokenLifetime }),
    claims: COMPUTE_RESOURCE_CLAIMS,
  });
  const exp = Number(granted.expiration);
  const lifetime = Number(granted.expires_in);
  // IBM's example answer gives these two without milliseconds.
  const bare = (seconds: number): string => iso(seconds).replace(/\.\d{3}Z$/, 'Z');
  return { access_token: granted.access_token, created_at: bare(exp - lifetime), expires_at: bare(exp), expires_in: lifetime };
}

const OPERATIONS: Record<string, Operation> = {
  '/instance_identity/v1/token': { method: 'PUT', api: FIRST_VERSION, run: createToken },
  '/instance_identity/v1/iam_token': { method: 'POST', api: FIRST_VERSION, run: createIamToken },
  '/identity/v1/token': { method: 'PUT', api: SECOND_API, run: createToken },
  '/identity/v1/iam_tokens': { method: 'POST', api: SECOND_API, run: createIamToken },
};

/** A date from the first version to today (UTC), as `YYYY-MM-DD`. */
function validVersion(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) && value >= FIRST_VERSION && date.getTime() <= Date.now();
}

/** The request's error, if any check fails before the operation runs: path, version, Metadata-Flavor. */
function precheck(req: IncomingMessage, url: URL, instance: Instance): MetadataError | Operation {
  const op = OPERATIONS[url.pathname];
  if (!op || req.method !== op.method || !instance.versions.includes(op.api)) return E.NOT_FOUND;
  const version = url.searchParams.get('version');
  if (version === null || version === '') return E.VERSION_MISSING;
  if (!validVersion(version)) return E.versionInvalid(version);
  // Documented: with a version of 2025-08-26 or later the /instance_identity methods answer 404.
  if (op.api === FIRST_VERSION && version >= SECOND_API) return E.NOT_FOUND;
  // IBM documents the header for the token request; the SDKs send it on both, and so must a client here.
  const flavor = req.headers['metadata-flavor'];
  if (flavor === undefined || flavor === '') return E.FLAVOR_MISSING;
  if (flavor !== 'ibm') return E.flavorInvalid(String(flavor));
  return op;
}

export async function handleMetadata(req: IncomingMessage, res: ServerResponse, instance: Instance, services: Instances): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://metadata');
  const op = precheck(req, url, instance);
  const text = await readBody(req);
  if ('status' in op) return E.sendMetadataError(res, op);
  let body: unknown = {};
  try {
    if (text.trim() !== '') body = JSON.parse(text);
  } catch {
    return E.sendMetadataError(res, E.MALFORMED);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return E.sendMetadataError(res, E.MALFORMED);
  const answer = op.run(req, body as Record<string, unknown>, instance, services);
  if ('status' in answer && 'code' in answer) return E.sendMetadataError(res, answer as MetadataError);
  sendJson(res, 200, answer);
}
