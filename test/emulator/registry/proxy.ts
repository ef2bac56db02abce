// Streams /v2/... requests from a region's host to its docker-registry process and back, pointing the
// token realm at that host (in the challenge form this caller gets). The registry decides every request; where it refuses a token for lack of
// scope (a 401 with error="insufficient_scope"), the answer is put in ICR's words, a 403 DENIED.
import { request } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { realmFor } from '../token-service/service.ts';
import { challengeParams, formatChallenge } from '../token-service/challenge.ts';
import type { ChallengeStyle } from '../token-service/challenge.ts';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function copyHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

/** The registry's challenge with the realm on our host, in the given form. */
export function rewriteChallenge(value: string, host: string, style: ChallengeStyle = 'quoted'): string {
  const params = challengeParams(value).map(([k, v]): [string, string] => [k, k === 'realm' ? realmFor(host) : v]);
  return formatChallenge(params, style);
}

/** The repository a /v2/ path is about, e.g. `ns/img` for /v2/ns/img/blobs/uploads/. */
export const repositoryOf = (path: string): string | undefined => /^\/v2\/(.+?)\/(?:blobs|manifests|tags)\//.exec(path)?.[1];

function denied(res: ServerResponse, message: string): void {
  const text = JSON.stringify({ errors: [{ code: 'DENIED', message }] });
  res.writeHead(403, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/**
 * `deniedMessage` words a refusal for a repository: ICR says `requested access to the resource is
 * denied` for a namespace that is not there, and `You are not authorized…` for a missing role.
 */
export function proxyToRegistry(
  req: IncomingMessage,
  res: ServerResponse,
  registryPort: number,
  host: string,
  deniedMessage: (repository: string) => string,
  style: ChallengeStyle = 'quoted',
): void {
  const headers = copyHeaders(req.headers);
  // Keep the client's Host so anything the registry derives from it names the public host.
  headers.host = host;
  // Request bodies without Content-Length must stay chunked on the way out.
  if (req.headers['transfer-encoding'] && !req.headers['content-length']) headers['transfer-encoding'] = 'chunked';
  const upstream = request({ host: '127.0.0.1', port: registryPort, method: req.method, path: req.url, headers }, (up) => {
    const challenge = up.headers['www-authenticate'];
    const repository = repositoryOf(new URL(req.url ?? '/', 'https://x').pathname);
    if (up.statusCode === 401 && repository !== undefined && /insufficient_scope/.test(String(challenge))) {
      up.resume();
      denied(res, deniedMessage(repository));
      return;
    }
    const out = copyHeaders(up.headers);
    if (challenge !== undefined) {
      const rewrite = (c: string): string => rewriteChallenge(c, host, style);
      out['www-authenticate'] = Array.isArray(challenge) ? challenge.map(rewrite) : rewrite(challenge);
    }
    res.writeHead(up.statusCode ?? 502, up.statusMessage, out);
    up.pipe(res);
    up.on('error', () => res.destroy());
  });
  upstream.on('error', (err) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const text = JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: `registry unavailable: ${err.message}` }] });
    res.writeHead(502, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
    res.end(text);
  });
  // A client that goes away mid-upload must not leave the upstream request hanging.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}
