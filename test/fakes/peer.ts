// An HTTPS server on 127.0.0.1 for unit tests of the code that sends to `https://HOST` (the registry
// probe, ICR's API, the access check): a throw-away CA (test/emulator/net/certs.ts, made with openssl) is
// added to this worker's default CAs, so the request function of src/http/ reaches the peer through
// node:https and a real TLS handshake, as it reaches ICR, with nothing of src/ replaced. With `plain`,
// the same over http (a VPC metadata service, IAM on loopback). Every request is recorded; `answer`
// decides each one.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { generateCerts } from '../emulator/net/certs.ts';

export interface Seen {
  readonly method: string;
  /** Path and query, as sent. */
  readonly path: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A status with headers and a body (an object is sent as JSON), or no answer at all, or a reset connection. */
export type Reply =
  { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string | object } | 'hang' | 'reset';

export interface Peer {
  /** `127.0.0.1:PORT`, as a registry host is written. */
  readonly host: string;
  /** `https://127.0.0.1:PORT`, or `http://` with `plain`. */
  readonly url: string;
  /** Every request so far, in the order they arrived. */
  readonly seen: Seen[];
  /** Decides each answer; set it per test. */
  answer: (request: Seen) => Reply;
  stop(): Promise<void>;
}

let trusted: Promise<{ key: string; cert: string }> | undefined;

/** One CA and server certificate per worker, trusted by every TLS client of it from then on. */
function trustedCert(): Promise<{ key: string; cert: string }> {
  trusted ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'icr-unit-certs-'));
    try {
      const certs = await generateCerts(dir);
      setDefaultCACertificates([...getCACertificates('default'), certs.caPem]);
      return { key: certs.serverKeyPem, cert: certs.serverCertPem };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return trusted;
}

export async function startPeer({ plain = false }: { plain?: boolean } = {}): Promise<Peer> {
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const seen: Seen = {
        method: req.method ?? '',
        path,
        url: new URL(path, `https://${req.headers.host}`),
        headers: req.headers,
        body,
      };
      peer.seen.push(seen);
      const reply = peer.answer(seen);
      if (reply === 'hang') return;
      if (reply === 'reset') return void req.socket.destroy();
      const text = typeof reply.body === 'object' ? JSON.stringify(reply.body) : (reply.body ?? '');
      const type = typeof reply.body === 'object' ? { 'content-type': 'application/json' } : {};
      res.writeHead(reply.status, { ...type, ...reply.headers }).end(text);
    });
  };
  const server = plain ? createHttpServer(serve) : createServer(await trustedCert(), serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const peer: Peer = {
    host: `127.0.0.1:${port}`,
    url: `${plain ? 'http' : 'https'}://127.0.0.1:${port}`,
    seen: [],
    answer: () => ({ status: 404 }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return peer;
}
