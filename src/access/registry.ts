// The registry's own answer on one repository, with exactly the credentials the clients were given: its
// token service asked for the repository's scope, then a request that stores nothing (pull: list tags;
// push: finish a blob upload that was never opened). HTTP adapter; secrets go only in Authorization
// headers. The answers are read in probe-answer.ts.
import { randomUUID } from '../lib/random-id.ts';
import type { Credential } from '../iam/credential.ts';
import type { AccessKind } from '../inputs/images.ts';
import { httpRequest, type Network } from '../http/request.ts';
import { bearerChallenge } from './challenge.ts';
import { readPullAnswer, readPushAnswer, readRealm, readTokenAnswer, unexpected, type Probe } from './probe-answer.ts';

export type { Probe } from './probe-answer.ts';

const EMPTY_DIGEST = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

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
  const challenge = ping.status === 401 ? bearerChallenge(ping.header('www-authenticate')) : undefined;
  if (!challenge) return unexpected(`${host}/v2/`, ping);
  const url = readRealm(host, challenge['realm']!);
  if (!(url instanceof URL)) return url;
  if (challenge['service']) url.searchParams.set('service', challenge['service']);
  url.searchParams.set('scope', `repository:${repo}:${access === 'push' ? 'pull,push' : 'pull'}`);
  const basic = Buffer.from(`${credential.username}:${credential.secret}`).toString('base64');
  const answer = readTokenAnswer(host, await httpRequest('GET', url.href, { ...net, headers: { authorization: `Basic ${basic}` } }));
  if (!('token' in answer)) return answer;
  // A registry token is a credential too: hidden before anything could print it.
  mask(answer.token);
  return `Bearer ${answer.token}`;
}

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
  if (access === 'pull') return readPullAnswer(host, await httpRequest('GET', `${base}/tags/list`, { ...net, headers }));
  // Finishing an upload that was never opened stores nothing and needs push alone: the registry
  // authorises before it looks the upload up. Opening one and cancelling it would leave an upload open
  // whenever the cancel failed, and the cancel needs the delete action too (Writer has it: docs/icr.md;
  // a custom role may grant push without it).
  const ghost = `${base}/blobs/uploads/${randomUUID()}?digest=${EMPTY_DIGEST}`;
  return readPushAnswer(host, await httpRequest('PUT', ghost, { ...net, headers: { ...headers, 'content-length': '0' } }));
}
