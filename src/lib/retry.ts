// The one retry loop: how long to wait, when to stop, and which answers may change on the next try. Pure
// but for the clock.
import { MIN_TRY_MS, type RetryPolicy } from './limits.ts';
import { secondsToMs } from './time.ts';

export type { RetryPolicy } from './limits.ts';

/** What one try ended with: a result to keep, or one the next try may change (after the server's own wait, if it named one). */
export type Try<T> = { readonly final: T } | { readonly transient: T; readonly waitMs?: number };

export const final = <T>(value: T): Try<T> => ({ final: value });
export const transient = <T>(value: T, waitMs?: number): Try<T> =>
  waitMs === undefined ? { transient: value } : { transient: value, waitMs };

export interface RetryOptions<T> {
  readonly policy: RetryPolicy;
  /** When the whole operation must have ended, retries included (epoch ms). */
  readonly deadline: number;
  /** Stops waiting at once; the last try's result is returned. */
  readonly signal?: AbortSignal;
  /** Told of each transient result that will be tried again. */
  readonly onRetry?: (result: T, attempt: number, waitMs: number) => void;
}

/**
 * Runs `attempt` until it gives a final result, the policy's retries are spent, or too little time
 * is left for another try; then the last result, transient or not. The caller's classifier is the
 * `attempt` itself: it says which of its results may change.
 */
export async function withRetries<T>(options: RetryOptions<T>, attempt: (n: number) => Promise<Try<T>>): Promise<T> {
  for (let n = 0; ; n++) {
    const result = await attempt(n);
    if ('final' in result) return result.final;
    const wait = result.waitMs ?? backoff(options.policy, n);
    const timeLeft = options.deadline - Date.now() - wait >= MIN_TRY_MS;
    if (n >= options.policy.retries || !timeLeft || options.signal?.aborted) return result.transient;
    options.onRetry?.(result.transient, n, wait);
    await sleep(wait, options.signal);
    if (options.signal?.aborted) return result.transient;
  }
}

/** An HTTP status the next try may answer differently: 429 and 5xx, but not 501 (IBM's SDK rule, docs/icr.md#iams-token-api). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599 && status !== 501);
}

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
