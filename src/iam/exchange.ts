// The one IAM token exchange of a step: retries with backoff, a bound on each request and on the whole
// (docs/icr.md#iams-token-api).
import { httpRequest, type Env } from '../http/request.ts';
import { firstLine, UserError } from '../lib/errors.ts';
import { answeredWith, describeFailure, knownRefusal, readIamAnswer, type IamFailure, type IamTokens } from './answer.ts';
import pkg from '../../package.json' with { type: 'json' };
import { DEFAULT_TIMEOUT_SECONDS, IAM_RETRY, REQUEST_MS } from '../lib/limits.ts';
import { final, retryAfter, transient, withRetries, type RetryPolicy } from '../lib/retry.ts';
import { secondsToMs } from '../lib/time.ts';

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
  /** The step's environment, where the proxy settings come from. */
  readonly env: Env;
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
export function exchangeApiKey(endpoint: string, apiKey: string, options: ExchangeOptions): Promise<IamTokens> {
  return requestToken(
    endpoint,
    { grant_type: 'urn:ibm:params:oauth:grant-type:apikey', apikey: apiKey, response_type: 'cloud_iam' },
    options,
  );
}

/** What a try that got no tokens saw: an answer that may change, or none at all. */
interface Seen {
  readonly saw: string;
  readonly answered: boolean;
}

/** One grant at IAM's token endpoint, retried as IAM_RETRY says; `refused` words a 400/401/403. */
export async function requestToken(
  endpoint: string,
  form: Record<string, string>,
  options: ExchangeOptions,
  refused: RefusalText = describeFailure,
): Promise<IamTokens> {
  const policy = options.policy ?? IAM_RETRY;
  const deadline = Date.now() + (options.totalMs ?? secondsToMs(DEFAULT_TIMEOUT_SECONDS));
  const url = `${endpoint}/identity/token`;
  const body = new URLSearchParams(form).toString();
  const tries: Seen[] = [];
  const seen = (attempt: Seen): Seen => {
    tries.push(attempt);
    options.debug?.(`IAM ${url} try ${tries.length}: ${attempt.saw}`);
    return attempt;
  };

  const last = await withRetries<{ readonly tokens: IamTokens } | Seen>({ policy, deadline, signal: options.signal }, async () => {
    const timeout = Math.max(1, Math.min(options.requestMs ?? REQUEST_MS, deadline - Date.now()));
    let res;
    try {
      res = await httpRequest('POST', url, {
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': USER_AGENT },
        body,
        env: options.env,
        signal: options.signal ? AbortSignal.any([AbortSignal.timeout(timeout), options.signal]) : AbortSignal.timeout(timeout),
      });
    } catch (error) {
      // One sentence already (an answer too large, a proxy variable that is no URL): as it is, not tried again.
      if (error instanceof UserError) throw error;
      if (options.signal?.aborted) throw CANCELLED();
      return transient(seen({ saw: networkCause(error), answered: false }));
    }
    const answer = readIamAnswer(res.status, res.header('content-type') ?? '', res.body);
    if (answer.ok) return final({ tokens: answer.tokens });
    if (answer.kind !== 'retry') {
      // IAM's own reason (an IP allowlist, a suspended user) outranks a grant's words for a refusal.
      throw new UserError(answer.kind === 'refused' ? (knownRefusal(answer) ?? refused(answer)) : describeFailure(answer), 'IAM');
    }
    return transient(seen({ saw: answeredWith(answer), answered: true }), retryAfter(res.header('retry-after'), policy.capMs));
  });
  if ('tokens' in last) return last.tokens;
  if (options.signal?.aborted) throw CANCELLED();
  const said = tries.map((t, i) => `try ${i + 1}: ${t.saw}`).join('; ');
  const message = `Could not get a token from IAM at ${endpoint} (${said}); check the runner's network and proxy settings, or IBM Cloud status.`;
  // IAM never answered at all: a firewall that lets only *.icr.io through looks like this.
  throw tries.every((t) => !t.answered) ? new IamUnreachable(message) : new UserError(message, 'IAM');
}
