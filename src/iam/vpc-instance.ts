// A VPC virtual server's IAM token, with no key at all (docs/icr.md#a-vpc-virtual-server): its own
// metadata service issues an instance identity token, then exchanges it for an IAM token of a trusted
// profile linked to the instance. API 2022-03-01 first, 2025-08-26 where that answers 404.
import { httpRequest } from '../http/request.ts';
import type { ProfileRef } from '../inputs/identity.ts';
import { UserError } from '../lib/errors.ts';
import { DEFAULT_TIMEOUT_SECONDS, IAM_RETRY, METADATA_REQUEST_MS } from '../lib/limits.ts';
import { retryAfter } from '../lib/retry.ts';
import type { IamTokens } from './answer.ts';
import { answeredWith } from './failure-words.ts';
import { USER_AGENT } from './exchange.ts';
import {
  describeMetadataFailure,
  describeNoIdentityApi,
  describeUnreachable,
  iamTokenBody,
  METADATA_APIS,
  readMetadataAnswer,
  type MetadataApi,
  type MetadataStep,
} from './metadata-answer.ts';
import { describeTries, neverAnswered, tryRequest, type ExchangeOptions } from './tries.ts';
import { secondsToMs } from '../lib/time.ts';

export interface VpcOptions extends ExchangeOptions {
  /** Hides each token the moment it arrives. */
  readonly mask: (secret: string) => void;
}

/** The IAM token, and the API version that gave it. */
export interface VpcTokens {
  readonly tokens: IamTokens;
  readonly version: MetadataApi['version'];
}

/** Seconds the instance identity token lives: it is used once, at once (IBM's SDKs ask for the same). */
const IDENTITY_TOKEN_SECONDS = 300;

const CANCELLED = (): UserError => new UserError('The request to the metadata service was cancelled.', 'metadata service');

/** Either a token, or this API version is not served here. */
type Got = IamTokens | 'missing';

export async function vpcInstanceTokens(endpoint: string, profile: ProfileRef | undefined, options: VpcOptions): Promise<VpcTokens> {
  // One bound for every request of this login: both versions, both operations, their retries.
  const deadline = options.deadline ?? Date.now() + (options.totalMs ?? secondsToMs(DEFAULT_TIMEOUT_SECONDS));
  const shared = { ...options, deadline };
  for (const api of METADATA_APIS) {
    const identity = await call(endpoint, api, 'token', JSON.stringify({ expires_in: IDENTITY_TOKEN_SECONDS }), undefined, profile, shared);
    if (identity === 'missing') continue;
    const iam = await call(endpoint, api, 'iamToken', iamTokenBody(profile), identity.accessToken, profile, shared);
    if (iam === 'missing') continue;
    return { tokens: iam, version: api.version };
  }
  throw new UserError(describeNoIdentityApi(endpoint), 'metadata service');
}

/** One operation of one API version, tried as IAM's exchange is. */
async function call(
  endpoint: string,
  api: MetadataApi,
  step: MetadataStep,
  body: string | undefined,
  bearer: string | undefined,
  profile: ProfileRef | undefined,
  options: VpcOptions & { readonly deadline: number },
): Promise<Got> {
  const url = `${endpoint}${api[step]}?version=${api.version}`;
  const headers: Record<string, string> = {
    accept: 'application/json',
    'metadata-flavor': 'ibm',
    'user-agent': USER_AGENT,
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
  };
  const capMs = (options.policy ?? IAM_RETRY).capMs;
  // The service is on the machine's own link: an answer takes milliseconds, so a try waits little.
  const requestMs = Math.min(options.requestMs ?? METADATA_REQUEST_MS, METADATA_REQUEST_MS);
  const result = await tryRequest<Got>(
    `metadata service ${url}`,
    { ...options, requestMs },
    // Direct, whatever HTTP_PROXY says: a proxy would reach its own machine's metadata, or none.
    (signal) =>
      httpRequest(step === 'token' ? 'PUT' : 'POST', url, {
        headers,
        ...(body === undefined ? {} : { body }),
        env: options.env,
        signal,
        direct: true,
      }),
    (res) => {
      const answer = readMetadataAnswer(res.status, res.header('content-type') ?? '', res.body);
      if (answer.ok) {
        options.mask(answer.tokens.accessToken);
        return { value: answer.tokens };
      }
      if ('missing' in answer) return { value: 'missing' };
      if (answer.kind !== 'retry') throw new UserError(describeMetadataFailure(endpoint, step, answer, profile), 'metadata service');
      return { again: answeredWith(answer), waitMs: retryAfter(res.header('retry-after'), capMs) };
    },
    CANCELLED,
  );
  if ('value' in result) return result.value;
  throw new UserError(describeUnreachable(endpoint, describeTries(result), !neverAnswered(result)), 'metadata service');
}
