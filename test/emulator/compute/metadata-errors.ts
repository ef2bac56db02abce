// The VPC metadata service's error shape and the errors it answers, from IBM's "Metadata API error codes"
// (cloud-docs vpc, metadata-error-codes.md, 2026-06): `{errors: [{code, message, more_info?, target?}],
// status_code, trace}`. Codes, statuses and the messages quoted there are IBM's; the rest are stand-ins.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson } from '../net/http-util.ts';

export interface MetadataError {
  status: number;
  code: string;
  message: string;
  target?: { name: string; type: 'field' | 'header' | 'query'; value?: string };
}

const MORE_INFO = 'https://cloud.ibm.com/docs/vpc?topic=vpc-imd-configure-service';

export function sendMetadataError(res: ServerResponse, error: MetadataError): void {
  const item = { code: error.code, message: error.message, more_info: MORE_INFO, ...(error.target ? { target: error.target } : {}) };
  sendJson(res, error.status, { errors: [item], status_code: error.status, trace: randomUUID() });
}

/** IBM's example message for `missing_value`. */
export const FLAVOR_MISSING: MetadataError = {
  status: 400,
  code: 'missing_value',
  message: 'A value such as `ibm` must be provided in the `Metadata-Flavor` header.',
  target: { name: 'Metadata-Flavor', type: 'header' },
};

/** Stand-in message: a Metadata-Flavor other than `ibm`. */
export const flavorInvalid = (value: string): MetadataError => ({
  status: 400,
  code: 'invalid_value',
  message: 'The value provided for the `Metadata-Flavor` header must be `ibm`.',
  target: { name: 'Metadata-Flavor', type: 'header', value },
});

/** Stand-in message and code choice (`missing_field` covers a required query parameter). */
export const VERSION_MISSING: MetadataError = {
  status: 400,
  code: 'missing_field',
  message: 'The `version` query parameter is required.',
  target: { name: 'version', type: 'query' },
};

/** Stand-in message: a version that is not a date from 2022-03-01 (the identity API's first) to today. */
export const versionInvalid = (value: string): MetadataError => ({
  status: 400,
  code: 'invalid_value',
  message: 'The `version` query parameter must be a date in the format `YYYY-MM-DD`, from `2022-03-01` to today.',
  target: { name: 'version', type: 'query', value },
});

/** A path this service does not answer (documented: /instance_identity with version 2025-08-26 or later). Message is a stand-in. */
export const NOT_FOUND: MetadataError = { status: 404, code: 'not_found', message: 'The requested resource was not found.' };

/** IBM's example message for `invalid_request`. */
export const MALFORMED: MetadataError = { status: 400, code: 'invalid_request', message: 'The request body was malformed.' };

/** IBM's example message for `unknown_field`. */
export const unknownField = (name: string): MetadataError => ({
  status: 400,
  code: 'unknown_field',
  message: `Unknown property \`${name}\` was specified in the request body.`,
  target: { name, type: 'field' },
});

/** IBM's example message for `invalid_value`. */
export const expiresInInvalid = (value: unknown): MetadataError => ({
  status: 400,
  code: 'invalid_value',
  message: 'The value provided for the `expires_in` field must be between `5` and `3600`.',
  target: { name: 'expires_in', type: 'field', value: JSON.stringify(value) },
});

/** Stand-in message: a field of the wrong type. */
export const fieldInvalid = (name: string, value: unknown): MetadataError => ({
  status: 400,
  code: 'invalid_value',
  message: `The value provided for the \`${name}\` field is not valid.`,
  target: { name, type: 'field', value: JSON.stringify(value) },
});

/** IBM's example message for `unauthenticated`. */
export const TOKEN_INVALID: MetadataError = { status: 401, code: 'unauthenticated', message: 'The provided token is invalid or expired.' };

/** Stand-in message: no `Authorization: Bearer` at all. */
export const TOKEN_MISSING: MetadataError = {
  status: 401,
  code: 'unauthenticated',
  message: 'An instance identity token must be provided in the `Authorization` header as a Bearer token.',
  target: { name: 'Authorization', type: 'header' },
};

/** IBM's example message for `missing_field`: no profile in the body and no default profile. */
export const NO_PROFILE: MetadataError = {
  status: 400,
  code: 'missing_field',
  message: 'A trusted profile ID was not passed in the request body.',
  target: { name: 'trusted_profile', type: 'field' },
};

/** IBM's example message for `profile_not_linked`. */
export const NOT_LINKED: MetadataError = {
  status: 400,
  code: 'profile_not_linked',
  message: 'The virtual server instance is not linked to the specified trusted profile.',
};
