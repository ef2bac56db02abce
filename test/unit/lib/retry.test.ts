import { describe, expect, it } from 'vitest';
import { backoff, retryAfter } from '../../../src/lib/retry.ts';

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
