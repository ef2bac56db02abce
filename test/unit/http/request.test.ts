// The one request function against a real HTTP server and a real proxy on 127.0.0.1: answers read
// whole, the 1 MiB cap, and the proxy taken from the env passed in (never process.env).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AnswerTooLarge, httpRequest, MAX_ANSWER_BYTES, type Env } from '../../../src/http/request.ts';
import { UserError } from '../../../src/lib/errors.ts';
import { streamBody } from '../../emulator/net/faults.ts';
import { startConnectProxy, type ConnectProxy } from '../../harness/connect-proxy.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end('ok');
/** How each answer ended on the server's side: all written, or cut off by the client. */
const endings: ('finished' | 'cut off')[] = [];
const server = createServer((req, res) => {
  res.on('close', () => endings.push(res.writableFinished ? 'finished' : 'cut off'));
  req.resume().on('end', () => handler(req, res));
});
let base: string;
let proxy: ConnectProxy;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  proxy = await startConnectProxy();
});
afterEach(() => {
  handler = (_req, res) => res.end('ok');
  endings.length = 0;
  proxy.forwarded.length = 0;
});
afterAll(async () => {
  await proxy.stop();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const get = (env: Env = {}, path = '/') => httpRequest('GET', `${base}${path}`, { env, headers: {}, signal: AbortSignal.timeout(5_000) });

describe('answers', () => {
  it('gives status, the first value of a header, and the body as UTF-8, POST body and headers sent', async () => {
    let seen: { method?: string; type?: string; length?: string; body: string } = { body: '' };
    const server2 = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => (body += c));
      req.on('end', () => {
        seen = { method: req.method, type: req.headers['content-type'], length: req.headers['content-length'], body };
        res.writeHead(201, [
          ['Set-Cookie', 'a=1'],
          ['Set-Cookie', 'b=2'],
          ['Content-Type', 'application/json'],
        ]);
        // "é" split across two writes: decoded from the whole body, not chunk by chunk.
        const e = Buffer.from('{"name":"é"}');
        res.write(e.subarray(0, 10));
        res.end(e.subarray(10));
      });
    });
    await new Promise<void>((r) => server2.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server2.address() as { port: number }).port}/token`;
      const body = 'grant=é';
      const a = await httpRequest('POST', url, {
        env: {},
        headers: { 'content-type': 'text/plain' },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      expect(a.status).toBe(201);
      expect(a.header('set-cookie')).toBe('a=1');
      expect(a.header('content-type')).toBe('application/json');
      expect(a.header('x-missing')).toBeUndefined();
      expect(a.body).toBe('{"name":"é"}');
      expect(seen).toEqual({ method: 'POST', type: 'text/plain', length: String(Buffer.byteLength(body)), body });
    } finally {
      server2.closeAllConnections();
      await new Promise((r) => server2.close(r));
    }
  });

  it('reads an answer of exactly 1 MiB whole', async () => {
    handler = (_req, res) => void streamBody(res, MAX_ANSWER_BYTES);
    const a = await get();
    expect(a.body.length).toBe(MAX_ANSWER_BYTES);
  });

  it('stops reading an answer that passes 1 MiB, aborts it, and says so in one sentence naming the host', async () => {
    // 64 MiB with no Content-Length: only counting what arrives can stop it.
    handler = (_req, res) => void streamBody(res, 64 * MAX_ANSWER_BYTES);
    const error = await get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnswerTooLarge);
    expect(error).toBeInstanceOf(UserError);
    const host = new URL(base).host;
    expect((error as Error).message).toBe(
      `The answer from ${host} passed 1 MiB, far more than any answer icr-login reads, so it stopped reading it; check that ${host} is the service meant and that no proxy or portal answers in its place.`,
    );
    await expect.poll(() => endings).toEqual(['cut off']);
  });

  it('refuses at once an answer whose Content-Length passes 1 MiB', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Length': String(MAX_ANSWER_BYTES + 1) });
      res.write('{');
      // The rest never comes: only the declared length can have refused it.
    };
    await expect(get()).rejects.toBeInstanceOf(AnswerTooLarge);
    await expect.poll(() => endings).toEqual(['cut off']);
  });

  it('ends with the signal when the server never answers', async () => {
    handler = () => {};
    const started = Date.now();
    const error = await httpRequest('GET', base, { env: {}, headers: {}, signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);
    expect((error as Error).name).toMatch(/AbortError|TimeoutError/);
    expect(Date.now() - started).toBeLessThan(4_000); // not a benchmark: the signal, not the 5 s test timeout, ended it
  });
});

describe('the proxy comes from the env passed in', () => {
  it.each(['HTTP_PROXY', 'http_proxy'])('%s in the passed env carries the request through the proxy', async (name) => {
    const a = await get({ [name]: proxy.url }, '/through');
    expect(a.body).toBe('ok');
    expect(proxy.forwarded).toEqual([new URL(base).host]);
  });

  it('a bare host:port is an http:// proxy, as curl and the clients read it', async () => {
    await get({ HTTP_PROXY: new URL(proxy.url).host });
    expect(proxy.forwarded).toEqual([new URL(base).host]);
  });

  it("ignores process.env's proxy: the passed env alone decides", async () => {
    const before = { ...process.env };
    Object.assign(process.env, { HTTP_PROXY: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9', NODE_USE_ENV_PROXY: '1' });
    try {
      expect((await get({})).body).toBe('ok');
    } finally {
      for (const k of ['HTTP_PROXY', 'http_proxy', 'NODE_USE_ENV_PROXY']) if (!(k in before)) delete process.env[k];
      Object.assign(process.env, before);
    }
    expect(proxy.forwarded).toEqual([]);
  });

  it.each([
    ['NO_PROXY', '127.0.0.1'],
    ['no_proxy', 'example.com, 127.0.0.1'],
    ['NO_PROXY', '*'],
    ['NO_PROXY', 'localhost, 127.0.0.1:PORT'],
  ])('%s=%s sends it direct', async (name, value) => {
    const noProxy = value.replace('PORT', new URL(base).port);
    expect((await get({ HTTP_PROXY: proxy.url, [name]: noProxy })).body).toBe('ok');
    expect(proxy.forwarded).toEqual([]);
  });

  it('direct (a service of the machine’s own link) never goes through the proxy the env names', async () => {
    const a = await httpRequest('GET', base, {
      env: { HTTP_PROXY: proxy.url },
      headers: {},
      signal: AbortSignal.timeout(5_000),
      direct: true,
    });
    expect(a.body).toBe('ok');
    expect(proxy.forwarded).toEqual([]);
  });

  it('NO_PROXY with another port still goes through the proxy', async () => {
    await get({ HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1:1' });
    expect(proxy.forwarded).toEqual([new URL(base).host]);
  });

  it('a proxy that refuses the connection is a network error naming the cause, not an answer', async () => {
    const error = (await get({ HTTP_PROXY: 'http://127.0.0.1:9' }).catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(error).not.toBeInstanceOf(UserError);
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('a proxy variable that is no proxy URL is one sentence that does not repeat it (it may hold a password)', async () => {
    const error = (await get({ HTTP_PROXY: 'socks5://user:pa55@127.0.0.1:1080' }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe('HTTP_PROXY is not a proxy URL icr-login can use; set it to http://host:port (or https://), or unset it.');
  });
});
