// The servers: HTTPS for IAM and each registry host, plain HTTP for each instance's metadata service.
// Each records every request and lets injected faults pre-empt the normal answer; close() destroys
// keep-alive sockets too.
import { Server, createServer } from 'node:https';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { Server as TcpServer, Socket } from 'node:net';
import type { FaultTarget, Reachability, RequestRecord } from './types.ts';
import type { FaultQueue } from './faults.ts';
import { applyFault } from './faults.ts';
import { parseBasicAuth, sendJson } from './http-util.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Route {
  target?: FaultTarget;
  handler: Handler;
}

export interface ServerContext {
  kind: RequestRecord['server'];
  /** the region a registry host serves */
  region?: string;
  tls: { key: string; cert: string };
  requests: RequestRecord[];
  faults: FaultQueue;
}

/**
 * Creates (not yet listening) an HTTPS server. `route` picks the handler for a path;
 * `hostOf` is read per request because the port is only known after listen().
 */
export function createRecordingServer(ctx: ServerContext, hostOf: () => string, route: (path: string) => Route): Server {
  return createServer({ key: ctx.tls.key, cert: ctx.tls.cert }, recordingListener(ctx, hostOf, route));
}

/** The request listener of a recording server: records, applies a fault of the route's target, or routes. */
export function recordingListener(
  ctx: Omit<ServerContext, 'tls'>,
  hostOf: () => string,
  route: (path: string) => Route,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    const record: RequestRecord = { server: ctx.kind, host: hostOf(), method: req.method ?? '', path, status: 0 };
    if (ctx.region !== undefined) record.region = ctx.region;
    const username = parseBasicAuth(req.headers.authorization)?.username;
    if (username !== undefined) record.username = username;
    const userAgent = req.headers['user-agent'];
    if (userAgent !== undefined) record.userAgent = userAgent;
    let recorded = false;
    const finish = (): void => {
      if (recorded) return;
      recorded = true;
      record.status = res.headersSent ? res.statusCode : 0;
      ctx.requests.push(record);
    };
    res.once('finish', finish);
    res.once('close', finish);

    const { target, handler } = route(path);
    const fault = target ? ctx.faults.take(target, { ...record, url: req.url ?? '' }) : undefined;
    void (async () => {
      if (fault && (await applyFault(fault, req, res))) {
        if (fault.reset) finish();
        return;
      }
      await handler(req, res);
    })().catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
      } else {
        sendJson(res, 500, { error: 'emulator failure', message: err instanceof Error ? err.message : String(err) });
      }
    });
  };
}

export interface Listening {
  port: number;
  close(): Promise<void>;
  /** `refuse` stops listening (the port refuses connections), `reset` and `silent` accept and reset or ignore. */
  setReachability(mode: Reachability): Promise<void>;
}

async function listenTcp(server: TcpServer, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  return address.port;
}

/**
 * Listens on a free loopback port. With `redirectPlainHttp` the port also speaks plain HTTP
 * (first byte not a TLS handshake) and redirects it to https, as a real registry front end
 * does: docker treats 127.0.0.0/8 as insecure and retries a failed login over http://, and
 * without this its final error would be a bare "EOF" instead of the registry's answer.
 */
export async function listenHttps(tlsServer: Server | HttpServer, hostOf: () => string, redirectPlainHttp: boolean): Promise<Listening> {
  const sockets = new Set<Socket>();
  let mode: Reachability = 'up';
  const plain = createHttpServer((req, res) => {
    req.resume();
    const status = req.method === 'GET' || req.method === 'HEAD' ? 301 : 308;
    res.writeHead(status, { Location: `https://${hostOf()}${req.url ?? '/'}`, 'Content-Length': '0' });
    res.end();
  });
  const tcp = createTcpServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (mode === 'reset') {
      socket.resetAndDestroy();
      return;
    }
    if (mode === 'silent') return; // held open, never read or answered; close() destroys it
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      if (chunk[0] === 0x16 || !redirectPlainHttp) {
        // TLSSocket takes over the handle and replays what is buffered in the socket; a plain HTTP
        // server (a metadata service) reads it once the socket flows again.
        tlsServer.emit('connection', socket);
        if (!(tlsServer instanceof Server)) socket.resume();
      } else {
        plain.emit('connection', socket);
        socket.resume();
      }
    });
  });
  const port = await listenTcp(tcp);
  const dropAll = (): void => {
    tlsServer.closeAllConnections();
    plain.closeAllConnections();
    for (const socket of sockets) socket.destroy();
  };
  const stopListening = async (): Promise<void> => {
    if (!tcp.listening) return;
    const closed = new Promise<void>((resolve) => tcp.close(() => resolve()));
    dropAll();
    await closed;
  };
  return {
    port,
    close: stopListening,
    setReachability: async (next) => {
      mode = next;
      // Kept-alive connections would bypass the new mode: drop them either way.
      if (next === 'refuse') await stopListening();
      else if (!tcp.listening) await listenTcp(tcp, port);
      else dropAll();
    },
  };
}
