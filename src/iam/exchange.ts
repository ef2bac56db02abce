// The one IAM token exchange of a step: retries with backoff, a bound on each request and on the whole
// (docs/icr.md#iams-token-api).
import { httpRequest } from '../http/request.ts';
import { UserError } from '../lib/errors.ts';
import { readIamAnswer, type IamFailure, type IamTokens } from './answer.ts';
import { answeredWith, describeFailure, knownRefusal } from './failure-words.ts';
import pkg from '../../package.json' with { type: 'json' };
import { IAM_RETRY } from '../lib/limits.ts';
import { retryAfter } from '../lib/retry.ts';
import { describeTries, neverAnswered, tryRequest, type ExchangeOptions } from './tries.ts';

export type { ExchangeOptions } from './tries.ts';

/** IBM's SDKs name themselves to IAM; so do we (docs/icr.md, "IAM"). */
export const USER_AGENT = `icr-login/${pkg.version}`;

/** One sentence for an answer that refused the grant (IAM's 400/401/403). */
export type RefusalText = (failure: IamFailure) => string;

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

/** One grant at IAM's token endpoint, retried as IAM_RETRY says; `refused` words a 400/401/403. */
export async function requestToken(
  endpoint: string,
  form: Record<string, string>,
  options: ExchangeOptions,
  refused: RefusalText = describeFailure,
): Promise<IamTokens> {
  const url = `${endpoint}/identity/token`;
  const body = new URLSearchParams(form).toString();
  const capMs = (options.policy ?? IAM_RETRY).capMs;
  const result = await tryRequest<IamTokens>(
    `IAM ${url}`,
    options,
    (signal) =>
      httpRequest('POST', url, {
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': USER_AGENT },
        body,
        env: options.env,
        signal,
      }),
    (res) => {
      const answer = readIamAnswer(res.status, res.header('content-type') ?? '', res.body);
      if (answer.ok) return { value: answer.tokens };
      if (answer.kind !== 'retry') {
        // IAM's own reason (an IP allowlist, a suspended user) outranks a grant's words for a refusal.
        throw new UserError(answer.kind === 'refused' ? (knownRefusal(answer) ?? refused(answer)) : describeFailure(answer), 'IAM');
      }
      return { again: answeredWith(answer), waitMs: retryAfter(res.header('retry-after'), capMs) };
    },
    CANCELLED,
  );
  if ('value' in result) return result.value;
  const message = `Could not get a token from IAM at ${endpoint} (${describeTries(result)}); check the runner's network and proxy settings, or IBM Cloud status.`;
  // IAM never answered at all: a firewall that lets only *.icr.io through looks like this.
  throw neverAnswered(result) ? new IamUnreachable(message) : new UserError(message, 'IAM');
}
