import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { exchangeApiKey } from '../../../src/iam/exchange.ts';
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
        exchangeApiKey(url, 'key', { policy: { retries: 4, baseMs: 60_000, capMs: 60_000 }, signal: cancel.signal }),
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
