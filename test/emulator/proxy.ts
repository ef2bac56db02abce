// Streams /v2/... requests from a host server to the docker-registry process and back,
// pointing the token realm at the host the client talked to (each host is self-contained).
import { request } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { realmFor } from './token-service.ts';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function copyHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

export function rewriteRealm(value: string, host: string): string {
  return value.replace(/realm="[^"]*"/, `realm="${realmFor(host)}"`);
}

export function proxyToRegistry(req: IncomingMessage, res: ServerResponse, registryPort: number, host: string): void {
  const headers = copyHeaders(req.headers);
  // Keep the client's Host so anything the registry derives from it names the public host.
  headers.host = host;
  // Request bodies without Content-Length must stay chunked on the way out.
  if (req.headers['transfer-encoding'] && !req.headers['content-length']) headers['transfer-encoding'] = 'chunked';
  const upstream = request({ host: '127.0.0.1', port: registryPort, method: req.method, path: req.url, headers }, (up) => {
    const out = copyHeaders(up.headers);
    const challenge = up.headers['www-authenticate'];
    if (challenge !== undefined) {
      out['www-authenticate'] = Array.isArray(challenge) ? challenge.map((c) => rewriteRealm(c, host)) : rewriteRealm(challenge, host);
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
