// The registry's own answer on one repository, with exactly the credentials the clients were given: its
// token service asked for the repository's scope, then a request that stores nothing (pull: list tags;
// push: finish a blob upload that was never opened). HTTP adapter; secrets go only in Authorization headers.
import { randomUUID } from 'node:crypto';
import type { Credential } from '../iam/credential.ts';
import type { AccessKind } from '../inputs/images.ts';
import { parseJsonObject } from '../lib/json.ts';
import { isRetryableStatus } from '../lib/retry.ts';
import { httpRequest, type HttpAnswer as Answer, type Network } from '../http/request.ts';

/** `ok` passed; `denied` the registry said no; `retry` may pass on the next try; `broken` will not. */
export type Probe = { readonly kind: 'ok' | 'denied' | 'retry' | 'broken'; readonly detail: string };

const EMPTY_DIGEST = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The registry's own words from an errors body, or the status. */
export function registryMessage(a: Answer): string {
  const errors = parseJsonObject(a.body)?.['errors'];
  const first = Array.isArray(errors) ? (errors[0] as Record<string, unknown> | undefined) : undefined;
  const text = [first?.['code'], first?.['message']].filter((p) => typeof p === 'string' && p !== '').join(': ');
  return text ? `HTTP ${a.status}: ${text}` : `HTTP ${a.status}`;
}

/** realm, service of a `Bearer realm="…",service="…"` challenge. */
export function parseChallenge(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!.toLowerCase()] = m[2]!;
  return params['realm'] ? params : undefined;
}

function unexpected(what: string, a: Answer): Probe {
  return { kind: isRetryableStatus(a.status) ? 'retry' : 'broken', detail: `${what} answered ${registryMessage(a)}` };
}

/** `Authorization` for the repository's scope, or the Probe that ends the check. */
async function authorize(
  host: string,
  repo: string,
  access: AccessKind,
  credential: Credential,
  net: Network,
  mask: (secret: string) => void,
): Promise<string | Probe> {
  const ping = await httpRequest('GET', `https://${host}/v2/`, { ...net, headers: {} });
  if (ping.status === 200) return '';
  const challenge = ping.status === 401 ? parseChallenge(ping.header('www-authenticate')) : undefined;
  if (!challenge) return unexpected(`${host}/v2/`, ping);
  const url = new URL(challenge['realm']!);
  if (challenge['service']) url.searchParams.set('service', challenge['service']);
  url.searchParams.set('scope', `repository:${repo}:${access === 'push' ? 'pull,push' : 'pull'}`);
  const basic = Buffer.from(`${credential.username}:${credential.secret}`).toString('base64');
  const answer = await httpRequest('GET', url.href, { ...net, headers: { authorization: `Basic ${basic}` } });
  if (answer.status === 401 || answer.status === 403)
    return { kind: 'denied', detail: `the token service refused the credentials (${registryMessage(answer)})` };
  if (answer.status !== 200) return unexpected(`The token service of ${host}`, answer);
  const body = parseJsonObject(answer.body);
  const token = body?.['token'] ?? body?.['access_token'];
  if (typeof token !== 'string' || token === '') return { kind: 'broken', detail: `the token service of ${host} answered no token` };
  // A registry token is a credential too, if a short one: hidden before anything could print it.
  mask(token);
  return `Bearer ${token}`;
}

const denied = (a: Answer): Probe => ({ kind: 'denied', detail: registryMessage(a) });

export async function probe(
  host: string,
  repo: string,
  access: AccessKind,
  credential: Credential,
  net: Network,
  mask: (secret: string) => void,
): Promise<Probe> {
  const auth = await authorize(host, repo, access, credential, net, mask);
  if (typeof auth !== 'string') return auth;
  const headers: Record<string, string> = auth ? { authorization: auth } : {};
  const base = `https://${host}/v2/${repo}`;
  if (access === 'pull') {
    const tags = await httpRequest('GET', `${base}/tags/list`, { ...net, headers });
    // 404: a repository not pushed yet, which the key may still pull once it is.
    if (tags.status === 200 || tags.status === 404) return { kind: 'ok', detail: 'can pull' };
    return tags.status === 401 || tags.status === 403 ? denied(tags) : unexpected(`${host} (list tags)`, tags);
  }
  // Not an upload opened and cancelled: the registry needs the delete action to cancel one, which
  // Writer lacks, so a Writer's upload would stay open. The registry authorizes before it looks up an
  // upload, so finishing one that never existed answers 401/403 without push, and 404 or 400 with it.
  const ghost = `${base}/blobs/uploads/${randomUUID()}?digest=${EMPTY_DIGEST}`;
  const put = await httpRequest('PUT', ghost, { ...net, headers: { ...headers, 'content-length': '0' } });
  if (put.status === 401 || put.status === 403) return denied(put);
  if (put.status !== 404 && put.status !== 400) return unexpected(`${host} (push test)`, put);
  return { kind: 'ok', detail: 'can push' };
}
