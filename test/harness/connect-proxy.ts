// A real HTTP proxy on 127.0.0.1 that records what went through it: CONNECT tunnels (https) and plain
// requests in absolute form (http), both only to loopback; `map` sends tunnels to named hosts
// (`us.icr.io:443`) to loopback addresses, so real clients reach an emulated registry by its real name.
import { createServer, request, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface ConnectProxy {
  readonly url: string;
  /** host:port of every tunnel asked for. */
  readonly tunnels: string[];
  /** host:port of every plain HTTP request forwarded. */
  readonly forwarded: string[];
  stop(): Promise<void>;
}

const LOOPBACK = /^(127\.0\.0\.1|localhost):(\d+)$/;

export interface ConnectProxyOptions {
  /** `name:port` → `127.0.0.1:PORT`: where a tunnel to that name goes (any other name is refused 403). */
  readonly map?: Readonly<Record<string, string>>;
}

export async function startConnectProxy({ map = {} }: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  for (const [name, to] of Object.entries(map)) {
    if (!LOOPBACK.test(to)) throw new Error(`connect-proxy maps ${name} to ${to}, which is not a loopback host:port`);
  }
  const tunnels: string[] = [];
  const forwarded: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const target = URL.parse(req.url ?? '');
    const m = target?.protocol === 'http:' ? LOOPBACK.exec(target.host) : null;
    if (!target || !m) {
      res.writeHead(403).end('loopback only');
      return;
    }
    forwarded.push(target.host);
    const path = `${target.pathname}${target.search}`;
    const upstream = request(
      { host: '127.0.0.1', port: Number(m[2]), method: req.method, path, headers: req.headers, agent: false },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    tunnels.push(target);
    const m = LOOPBACK.exec(Object.hasOwn(map, target) ? map[target]! : target);
    if (!m) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(Number(m[2]), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    forwarded,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
