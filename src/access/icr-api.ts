// ICR's API on a registry host (docs/icr.md): namespaces and quotas, with the IAM access token and the
// Account header. HTTP adapter; the token goes only in the Authorization header.
import { parseJson, parseJsonObject } from '../lib/json.ts';
import { httpRequest, type HttpAnswer as Answer, type Network } from '../http/request.ts';

export interface IamSession {
  readonly accessToken: string;
  readonly accountId: string;
}

export interface Quota {
  readonly limit: { readonly storage: number; readonly traffic: number };
  readonly usage: { readonly storage: number; readonly traffic: number };
}

const headers = (iam: IamSession): Record<string, string> => ({ authorization: `Bearer ${iam.accessToken}`, account: iam.accountId });

/** ICR's own message of an error body, or the status. */
export function apiMessage(a: Answer): string {
  const body = parseJsonObject(a.body);
  const code = typeof body?.['code'] === 'string' ? `${body['code']} ` : '';
  return typeof body?.['message'] === 'string' ? `HTTP ${a.status}, ${code}${body['message']}` : `HTTP ${a.status}`;
}

/** The namespaces the key sees in this region, or undefined when ICR will not say. */
export async function listNamespaces(host: string, iam: IamSession, net: Network): Promise<string[] | undefined> {
  const a = await httpRequest('GET', `https://${host}/api/v1/namespaces`, { ...net, headers: headers(iam) });
  if (a.status !== 200) return undefined;
  const list = parseJson(a.body);
  if (!Array.isArray(list)) return undefined;
  return list.map((n: unknown) => (typeof n === 'string' ? n : String((n as Record<string, unknown>)?.['name'] ?? '')));
}

export type Created =
  { readonly kind: 'created' | 'exists' } | { readonly kind: 'held' | 'no-manager' | 'failed'; readonly detail: string };

export async function createNamespace(host: string, name: string, iam: IamSession, net: Network): Promise<Created> {
  const a = await httpRequest('PUT', `https://${host}/api/v1/namespaces/${encodeURIComponent(name)}`, {
    ...net,
    headers: { ...headers(iam), 'content-length': '0' },
  });
  if (a.status === 201) return { kind: 'created' };
  if (a.status === 200) return { kind: 'exists' };
  if (a.status === 409) return { kind: 'held', detail: apiMessage(a) };
  if (a.status === 401 || a.status === 403) return { kind: a.status === 403 ? 'no-manager' : 'failed', detail: apiMessage(a) };
  return { kind: 'failed', detail: apiMessage(a) };
}

const bytes = (o: unknown, key: string): number => {
  const v = (o as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'number' ? v : -1;
};

/** The region's quota and use, or the answer that refused it. */
export async function readQuota(host: string, iam: IamSession, net: Network): Promise<Quota | string> {
  const a = await httpRequest('GET', `https://${host}/api/v1/quotas`, { ...net, headers: headers(iam) });
  const body = a.status === 200 ? parseJsonObject(a.body) : undefined;
  if (!body) return apiMessage(a);
  const pair = (o: unknown) => ({ storage: bytes(o, 'storage_bytes'), traffic: bytes(o, 'traffic_bytes') });
  return { limit: pair(body['limit']), usage: pair(body['usage']) };
}
