// The one IAM token exchange of a step: retries with backoff, a bound on each request and on the whole
// (docs/icr.md#iams-token-api).
import { httpRequest, type Env } from '../http/request.ts';
import { firstLine, UserError } from '../lib/errors.ts';
import { answeredWith, describeFailure, readIamAnswer, type IamFailure, type IamTokens } from './answer.ts';
import pkg from '../../package.json' with { type: 'json' };
import { backoff, IAM_RETRY, retryAfter, sleep, type RetryPolicy } from '../lib/retry.ts';

/** IBM's SDKs name themselves to IAM; so do we (docs/icr.md, "IAM"). */
export const USER_AGENT = `icr-login/${pkg.version}`;

export interface ExchangeOptions {
  /** Bound on the whole exchange, retries included. */
  readonly totalMs?: number;
  /** Bound on one request. */
  readonly requestMs?: number;
  readonly policy?: RetryPolicy;
  /** Stops the exchange (a missing client already failed the step). */
  readonly signal?: AbortSignal;
  readonly debug?: (message: string) => void;
  /** The step's environment, where the proxy settings come from; process.env until every step passes its own. */
  readonly env?: Env;
}

/** One sentence for an answer that refused the grant (IAM's 400/401/403). */
export type RefusalText = (failure: IamFailure) => string;

function networkCause(error: unknown): string {
  const e = error as { code?: string; cause?: { code?: string; message?: string }; message?: string; name?: string };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return 'no answer in time';
  const code = e?.cause?.code ?? e?.code;
  const text = firstLine(e?.cause?.message ?? e?.message ?? String(error));
  return code && !text.includes(code) ? `${code} (${text})` : text || 'unknown network error';
}

/** IAM could not be reached at all (refused, reset, DNS, proxy, no answer in time), as opposed to answering badly. */
export class IamUnreachable extends UserError {
  constructor(message: string) {
    super(message, 'IAM');
  }
}

const CANCELLED = (): UserError => new UserError('The IAM token exchange was cancelled.', 'IAM');

/** Exchanges an API key for IAM tokens. Throws a UserError that says what each try saw. */
export function exchangeApiKey(endpoint: string, apiKey: string, options: ExchangeOptions = {}): Promise<IamTokens> {
  return requestToken(
    endpoint,
    { grant_type: 'urn:ibm:params:oauth:grant-type:apikey', apikey: apiKey, response_type: 'cloud_iam' },
    options,
  );
}

/** One grant at IAM's token endpoint, retried as IAM_RETRY says; `refused` words a 400/401/403. */
export async function requestToken(
  endpoint: string,
  form: Record<string, string>,
  options: ExchangeOptions,
  refused: RefusalText = describeFailure,
): Promise<IamTokens> {
  const policy = options.policy ?? IAM_RETRY;
  const deadline = Date.now() + (options.totalMs ?? 60_000);
  const url = `${endpoint}/identity/token`;
  const body = new URLSearchParams(form).toString();
  const tries: string[] = [];
  let unanswered = 0;

  for (let attempt = 0; ; attempt++) {
    const left = deadline - Date.now();
    const timeout = Math.max(1, Math.min(options.requestMs ?? 30_000, left));
    let outcome: string;
    let wait: number | undefined;
    let answered = false;
    try {
      const res = await httpRequest('POST', url, {
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': USER_AGENT },
        body,
        env: options.env ?? process.env,
        signal: options.signal ? AbortSignal.any([AbortSignal.timeout(timeout), options.signal]) : AbortSignal.timeout(timeout),
      });
      const answer = readIamAnswer(res.status, res.header('content-type') ?? '', res.body);
      if (answer.ok) return answer.tokens;
      if (answer.kind !== 'retry') throw new UserError(answer.kind === 'refused' ? refused(answer) : describeFailure(answer), 'IAM');
      answered = true;
      outcome = answeredWith(answer);
      wait = retryAfter(res.header('retry-after'), policy.capMs);
    } catch (error) {
      if (error instanceof UserError) throw error;
      if (options.signal?.aborted) throw CANCELLED();
      outcome = networkCause(error);
    }
    tries.push(`try ${attempt + 1}: ${outcome}`);
    options.debug?.(`IAM ${url} ${tries.at(-1)}`);
    const delay = wait ?? backoff(policy, attempt);
    if (!answered) unanswered++;
    if (attempt >= policy.retries || Date.now() + delay >= deadline) {
      const message = `Could not get a token from IAM at ${endpoint} (${tries.join('; ')}); check the runner's network and proxy settings, or IBM Cloud status.`;
      // IAM never answered at all: a firewall that lets only *.icr.io through looks like this.
      throw unanswered === tries.length ? new IamUnreachable(message) : new UserError(message, 'IAM');
    }
    await sleep(delay, options.signal);
    if (options.signal?.aborted) throw CANCELLED();
  }
}
