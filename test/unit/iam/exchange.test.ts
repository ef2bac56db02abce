import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { exchangeApiKey, IamUnreachable, USER_AGENT } from '../../../src/iam/exchange.ts';
import { UserError } from '../../../src/lib/errors.ts';
import { sleep } from '../../../src/lib/retry.ts';

describe('cancelling the IAM exchange', () => {
  it('stops at once, mid-backoff, without waiting out the delay', async () => {
    // A server that always answers 503: the exchange backs off for a minute unless cancelled.
    const server = createServer((_req, res) => res.writeHead(503).end('busy'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 100);
    try {
      await expect(
        exchangeApiKey(url, 'key', {
          env: {},
          policy: { retries: 4, baseMs: 60_000, capMs: 60_000 },
          totalMs: 600_000,
          signal: cancel.signal,
        }),
      ).rejects.toThrow('The IAM token exchange was cancelled.');
    } finally {
      await new Promise((r) => server.close(r));
    }
  }, 5_000);

  it('does not sleep at all when already cancelled', async () => {
    const cancel = new AbortController();
    cancel.abort();
    await sleep(60_000, cancel.signal); // the 5 s test timeout fails this if it waits
  }, 5_000);
});

/** An IAM stand-in on 127.0.0.1 that records each request's headers and answers with `answer`. */
async function iam(answer: (res: import('node:http').ServerResponse) => void) {
  const seen: import('node:http').IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume().on('end', () => answer(res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, seen, close: () => new Promise((r) => server.close(r)) };
}

const FAST = { env: {}, policy: { retries: 1, baseMs: 10, capMs: 10 }, totalMs: 5_000, requestMs: 2_000 };

describe('the IAM exchange', () => {
  it('names itself in a User-Agent, as IBM SDKs do', async () => {
    const s = await iam((res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"an-opaque-token-0123","expires_in":60}'),
    );
    try {
      await exchangeApiKey(s.url, 'key', FAST);
      expect(s.seen[0]?.['user-agent']).toBe(USER_AGENT);
      expect(USER_AGENT).toMatch(/^icr-login\/\d+\.\d+\.\d+/);
    } finally {
      await s.close();
    }
  });

  it('tells an IAM that never answers apart from one that answers badly', async () => {
    const down = await iam(() => {});
    await down.close(); // nothing listens on that port now: connection refused
    await expect(exchangeApiKey(down.url, 'key', FAST)).rejects.toBeInstanceOf(IamUnreachable);

    const outage = await iam((res) => res.writeHead(503).end('busy'));
    try {
      const error = await exchangeApiKey(outage.url, 'key', FAST).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect(error).not.toBeInstanceOf(IamUnreachable);
      expect((error as Error).message).toMatch(/try 2: 503/);
    } finally {
      await outage.close();
    }
  });

  it('never retries a refusal, in either error shape', async () => {
    const s = await iam((res) =>
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ trace: 't', errors: [{ code: 'BXNIM0407E', message: 'Invalid token.' }], status_code: 401 })),
    );
    try {
      await expect(exchangeApiKey(s.url, 'key', FAST)).rejects.toThrow(/^IAM rejected the API key \(BXNIM0407E: Invalid token\.\)/);
      expect(s.seen).toHaveLength(1);
    } finally {
      await s.close();
    }
  });
});
