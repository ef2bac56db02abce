// IAM's two error shapes: the token endpoint's {errorCode, errorMessage, errorDetails, context} and the
// {trace, errors:[{code, message}], status_code} of IBM's other identity APIs. Tests inject either.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Fault } from '../net/types.ts';

export type IamErrorShape = 'identity' | 'platform';

export interface IamError {
  status: number;
  code: string;
  message: string;
  details?: string;
  /**
   * true: no public source confirms this code (nor, where said, these words). Such an answer keeps
   * IAM's status and shape, which is all a caller may rely on; never cite its number.
   */
  standIn?: boolean;
}

/**
 * What IAM answers for keys it will not take (`{key}` and `{ip}` in details are filled in per request).
 * Confirmed by public transcripts: BXNIM0415E (400) for an unknown or deleted key, its details naming
 * the key (an IBM runbook, 2020: "BXNIM0102E: Unable to find Object. Object Type: 'ApiKey' with ID:
 * '<APIKEY>' not found."); BXNIM0430E (401) with these details (IBM Cloud Kubernetes Service docs,
 * ts-loadbalancer-sync-failed); BXNIM0436E (401) for a suspended user (an IBM Go client that reads
 * it). A disabled key answers "Provided API key is disabled." under varying code numbers: the codes
 * of `disabled` and `expired`, and the words of `expired`, are stand-ins.
 */
export const KEY_REFUSALS = {
  unknown: {
    status: 400,
    code: 'BXNIM0415E',
    message: 'Provided API key could not be found.',
    details: "BXNIM0102E: Unable to find Object. Object Type: 'ApiKey' with ID: '{key}' not found.",
  },
  disabled: {
    status: 400,
    code: 'BXNIM0418E',
    message: 'Provided API key is disabled.',
    details: 'The API key is disabled.',
    standIn: true,
  },
  expired: {
    status: 400,
    code: 'BXNIM0417E',
    message: 'Provided API key has expired.',
    details: 'The API key reached its expiration date.',
    standIn: true,
  },
  ipNotPermitted: {
    status: 401,
    code: 'BXNIM0430E',
    message: 'User login from given IP address is not permitted.',
    details:
      "The user has configured IP address restriction for login. The given IP address '{ip}' is not contained in the list of allowed IP addresses.",
  },
  suspended: {
    status: 401,
    code: 'BXNIM0436E',
    message: 'User is suspended in the requested account or invalid.',
    // The details are a stand-in: no public transcript shows them.
    details: 'The user is suspended in the account that owns the API key.',
  },
} satisfies Record<string, IamError>;

/** One of KEY_REFUSALS for this key and caller. */
export function keyRefusal(reason: keyof typeof KEY_REFUSALS, key: string, address: string): IamError {
  const error: IamError = KEY_REFUSALS[reason];
  return { ...error, details: error.details?.replace('{key}', key).replace('{ip}', address) };
}

/**
 * The assume grant's answer when the profile does not trust the token's identity: a stand-in. Its
 * code and words were written for this emulator; no public source shows IAM's.
 */
export const PROFILE_NOT_TRUSTED = {
  status: 400,
  code: 'BXNIM0398E',
  message: 'Selected trusted profile not eligible.',
  standIn: true,
} satisfies IamError;

/** The `context` IAM puts in its token-endpoint errors. */
export function iamContext(req: IncomingMessage | undefined, url: string): Record<string, string> {
  const start = new Date();
  return {
    requestId: randomUUID(),
    requestType: 'incoming.Identity_Token',
    userAgent: String(req?.headers['user-agent'] ?? ''),
    url,
    instanceId: 'iamid-emulator-0',
    threadId: randomBytes(4).toString('hex'),
    host: 'iam-emulator',
    startTime: start.toUTCString(),
    endTime: new Date().toUTCString(),
    elapsedTime: '1',
    locale: 'en_US',
    clusterName: 'iam-emulator',
  };
}

export function iamErrorBody(error: IamError, shape: IamErrorShape, context: Record<string, string>): Record<string, unknown> {
  if (shape === 'platform') {
    return { trace: randomBytes(16).toString('hex'), errors: [{ code: error.code, message: error.message }], status_code: error.status };
  }
  return { errorCode: error.code, errorMessage: error.message, errorDetails: error.details ?? error.message, context };
}

/** A fault that makes IAM answer this error once, in either shape: `emu.inject('iam', iamErrorFault({...}))`. */
export function iamErrorFault(error: IamError & { shape?: IamErrorShape }): Fault {
  return {
    status: error.status,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(iamErrorBody(error, error.shape ?? 'identity', iamContext(undefined, 'https://iam.cloud.ibm.com'))),
  };
}
