import { describe, expect, it } from 'vitest';
import { backoff, final, isRetryableStatus, retryAfter, transient, withRetries } from '../../../src/lib/retry.ts';

describe('retry timing', () => {
  it('backs off exponentially from 1 s with jitter, capped', () => {
    const p = { retries: 4, baseMs: 1000, capMs: 30_000 };
    expect([0, 1, 2, 3].map((n) => backoff(p, n, 0))).toEqual([500, 1000, 2000, 4000]);
    expect([0, 1, 2, 3].map((n) => backoff(p, n, 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoff(p, 10, 1)).toBe(30_000);
  });

  it('reads Retry-After as seconds or an HTTP date, capped', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(retryAfter('2', 30_000, now)).toBe(2000);
    expect(retryAfter('Tue, 24 Nov 2026 10:00:05 GMT', 30_000, now)).toBe(5000);
    expect(retryAfter('Tue, 24 Nov 2026 09:00:00 GMT', 30_000, now)).toBe(0);
    expect(retryAfter('3600', 30_000, now)).toBe(30_000);
    expect(retryAfter('soon', 30_000, now)).toBeUndefined();
    expect(retryAfter(undefined, 30_000, now)).toBeUndefined();
  });
});

describe('withRetries', () => {
  const policy = { retries: 2, baseMs: 1, capMs: 1 };
  const far = (): number => Date.now() + 60_000;

  it.each([
    ['a final result at once', ['final'], 1, 'final'],
    ['transient, then final', ['transient', 'final'], 2, 'final'],
    ['transient until the retries are spent: the last transient', ['transient', 'transient', 'transient', 'final'], 3, 'transient'],
  ])('%s', async (_name, script, tries, last) => {
    let n = 0;
    const result = await withRetries({ policy, deadline: far() }, async () => {
      const kind = script[n++]!;
      return kind === 'final' ? final(kind) : transient(kind);
    });
    expect(n).toBe(tries);
    expect(result).toBe(last);
  });

  it('does not start a try that would have less than a second left after its wait', async () => {
    let n = 0;
    const result = await withRetries({ policy: { retries: 5, baseMs: 1, capMs: 1 }, deadline: Date.now() + 500 }, async () => {
      n++;
      return transient('no');
    });
    expect([n, result]).toEqual([1, 'no']);
  });

  it('waits what the server asked for, and tells of each retry', async () => {
    const heard: [string, number, number][] = [];
    let n = 0;
    const started = Date.now();
    await withRetries({ policy, deadline: far(), onRetry: (r, attempt, wait) => heard.push([r, attempt, wait]) }, async () =>
      n++ === 0 ? transient('busy', 120) : final('ok'),
    );
    expect(heard).toEqual([['busy', 0, 120]]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('stops waiting when the signal aborts, with the last result', async () => {
    const cancel = new AbortController();
    const started = Date.now();
    const result = withRetries(
      { policy: { retries: 3, baseMs: 60_000, capMs: 60_000 }, deadline: Date.now() + 600_000, signal: cancel.signal },
      async () => transient('pending'),
    );
    setTimeout(() => cancel.abort(), 20);
    expect(await result).toBe('pending');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('isRetryableStatus', () => {
  it.each([
    [429, true],
    [500, true],
    [501, false],
    [502, true],
    [503, true],
    [599, true],
    [400, false],
    [401, false],
    [404, false],
    [600, false],
  ])('%i → %s', (status, retry) => expect(isRetryableStatus(status)).toBe(retry));
});
