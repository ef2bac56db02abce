// When to try a request again, and how long to wait first. Pure.
import { secondsToMs } from './time.ts';
export interface RetryPolicy {
  /** Retries after the first try. */
  readonly retries: number;
  readonly baseMs: number;
  readonly capMs: number;
}

export const IAM_RETRY: RetryPolicy = { retries: 4, baseMs: 1000, capMs: 30_000 };

/** Exponential backoff with jitter: half fixed, half random, so parallel jobs spread out. */
export function backoff(policy: RetryPolicy, retry: number, random: number = Math.random()): number {
  const full = Math.min(policy.capMs, policy.baseMs * 2 ** retry);
  return Math.round(full / 2 + (random * full) / 2);
}

/** Waits, or stops waiting the moment `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal?.addEventListener('abort', stop, { once: true });
  });
}

/** A Retry-After header (seconds or an HTTP date) in milliseconds, capped; undefined when absent or unreadable. */
export function retryAfter(header: string | undefined, capMs: number, now: number = Date.now()): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const v = header.trim();
  const ms = /^\d+(\.\d+)?$/.test(v) ? secondsToMs(Number(v)) : Date.parse(v) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(capMs, Math.max(0, Math.round(ms)));
}
