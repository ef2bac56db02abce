// What the compute-resource tests share: a plain-HTTP client for an instance's metadata service (the
// way IBM's SDKs call it) and the IAM cr-token grant, and readers of their answers.
import { expect } from 'vitest';
import type { InstanceRecord } from '../index.ts';
import { CR_TOKEN_GRANT } from '../index.ts';
import { httpsRequest } from '../net/https-request.ts';
import type { HttpsResponse } from '../net/https-request.ts';
import type { Client } from '../testing/test-client.ts';
import { json } from '../testing/test-client.ts';

export interface MetadataCall {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

/** One request to a metadata service; `Metadata-Flavor: ibm` and JSON unless told otherwise. */
export const metadata = (base: string, path: string, call: MetadataCall = {}): Promise<HttpsResponse> =>
  httpsRequest(`${base}${path}`, {
    ca: '',
    method: call.method ?? 'PUT',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Metadata-Flavor': 'ibm', ...call.headers },
    ...(call.body === undefined ? {} : { body: call.body }),
    ...(call.timeoutMs === undefined ? {} : { timeoutMs: call.timeoutMs }),
  });

export type Api = '2022-03-01' | '2025-08-26';
export const PATHS: Record<Api, { token: string; iam: string }> = {
  '2022-03-01': { token: '/instance_identity/v1/token', iam: '/instance_identity/v1/iam_token' },
  '2025-08-26': { token: '/identity/v1/token', iam: '/identity/v1/iam_tokens' },
};

/** PUT …/token of that API (at its own version date unless told), asking for `expires_in`. */
export const tokenCall = (instance: InstanceRecord, api: Api = '2022-03-01', body = '{"expires_in": 300}', call: MetadataCall = {}) =>
  metadata(instance.metadataUrl, `${PATHS[api].token}?version=${api}`, { body, ...call });

/** The instance identity token, which must be a 200. */
export async function identityToken(instance: InstanceRecord, api: Api = '2022-03-01'): Promise<string> {
  const res = await tokenCall(instance, api);
  expect(res.status, res.body).toBe(200);
  return String(json(res).access_token);
}

/** POST …/iam_token[s] with the identity token as Bearer and an optional body. */
export const iamCall = (instance: InstanceRecord, token: string, body?: string, api: Api = '2022-03-01', call: MetadataCall = {}) =>
  metadata(instance.metadataUrl, `${PATHS[api].iam}?version=${api}`, {
    method: 'POST',
    ...call,
    headers: { Authorization: `Bearer ${token}`, ...call.headers },
    ...(body === undefined ? {} : { body }),
  });

/** The IAM access token of the instance's default (or the named) profile, which must be a 200. */
export async function instanceIamToken(instance: InstanceRecord, body?: string, api: Api = '2022-03-01'): Promise<string> {
  const res = await iamCall(instance, await identityToken(instance, api), body, api);
  expect(res.status, res.body).toBe(200);
  return String(json(res).access_token);
}

/** The first error of a metadata error answer. */
export interface MetadataErrorItem {
  code?: string;
  message?: string;
  more_info?: string;
  target?: Record<string, unknown>;
}

export function metadataError(res: HttpsResponse): MetadataErrorItem {
  const body = json(res) as { errors?: MetadataErrorItem[]; status_code?: number; trace?: string };
  expect(body.status_code).toBe(res.status);
  expect(body.trace).toMatch(/^[0-9a-f-]{36}$/);
  return body.errors?.[0] ?? {};
}

/** IAM's cr-token grant with a cr_token and profile fields. */
export const crGrant = (client: Client, crToken: string, profile: Record<string, string>) =>
  client.iam({ grant_type: CR_TOKEN_GRANT, cr_token: crToken, ...profile });
