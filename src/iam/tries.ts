// One token request, tried as IAM_RETRY says: each try bounded, the whole bounded, what each try saw
// kept for the one line a failure becomes. Shared by IAM's token endpoint and the VPC metadata service.
import { networkCause, type Env, type HttpAnswer } from '../http/request.ts';
import { UserError } from '../lib/errors.ts';
import { DEFAULT_TIMEOUT_SECONDS, IAM_RETRY, REQUEST_MS } from '../lib/limits.ts';
import { final, transient, withRetries, type RetryPolicy } from '../lib/retry.ts';
import { secondsToMs } from '../lib/time.ts';

export interface ExchangeOptions {
  /** Bound on the whole exchange, retries included. */
  readonly totalMs?: number;
  /** When the whole exchange must have ended (epoch ms); wins over totalMs, so several requests share one bound. */
  readonly deadline?: number;
  /** Bound on one request. */
  readonly requestMs?: number;
  readonly policy?: RetryPolicy;
  /** Stops the exchange (a missing client already failed the step). */
  readonly signal?: AbortSignal;
  readonly debug?: (message: string) => void;
  /** The step's environment, where the proxy settings come from. */
  readonly env: Env;
}

/** What a try that got no result saw: an answer that may change, or none at all. */
export interface Seen {
  readonly saw: string;
  readonly answered: boolean;
}

/** How one answer reads: a result, or something the next try may answer differently (after `waitMs`). */
export type Reading<T> = { readonly value: T } | { readonly again: string; readonly waitMs?: number };

/** A request given up on: what every try saw. */
export interface GivenUp {
  readonly tries: readonly Seen[];
}

/** `try 1: ECONNREFUSED; try 2: 503 with an empty body`. */
export const describeTries = (given: GivenUp): string => given.tries.map((t, i) => `try ${i + 1}: ${t.saw}`).join('; ');

/** No try got an answer at all (refused, reset, DNS, a proxy, no answer in time). */
export const neverAnswered = (given: GivenUp): boolean => given.tries.every((t) => !t.answered);

/**
 * Sends until `read` finds a result, throws (a final answer, in one sentence), or the policy or the
 * bound runs out. `label` names the request in debug lines; `cancelled` is thrown when the signal stops it.
 */
export async function tryRequest<T>(
  label: string,
  options: ExchangeOptions,
  send: (signal: AbortSignal) => Promise<HttpAnswer>,
  read: (answer: HttpAnswer) => Reading<T>,
  cancelled: () => UserError,
): Promise<{ readonly value: T } | GivenUp> {
  const policy = options.policy ?? IAM_RETRY;
  const deadline = options.deadline ?? Date.now() + (options.totalMs ?? secondsToMs(DEFAULT_TIMEOUT_SECONDS));
  const tries: Seen[] = [];
  const seen = (attempt: Seen): Seen => {
    tries.push(attempt);
    options.debug?.(`${label} try ${tries.length}: ${attempt.saw}`);
    return attempt;
  };
  const last = await withRetries<{ readonly value: T } | Seen>({ policy, deadline, signal: options.signal }, async () => {
    const timeout = AbortSignal.timeout(Math.max(1, Math.min(options.requestMs ?? REQUEST_MS, deadline - Date.now())));
    let res: HttpAnswer;
    try {
      res = await send(options.signal ? AbortSignal.any([timeout, options.signal]) : timeout);
    } catch (error) {
      // One sentence already (an answer too large, a proxy variable that is no URL): as it is, not tried again.
      if (error instanceof UserError) throw error;
      if (options.signal?.aborted) throw cancelled();
      return transient(seen({ saw: networkCause(error), answered: false }));
    }
    const reading = read(res);
    if ('value' in reading) return final(reading);
    return transient(seen({ saw: reading.again, answered: true }), reading.waitMs);
  });
  if ('value' in last) return last;
  if (options.signal?.aborted) throw cancelled();
  return { tries };
}
