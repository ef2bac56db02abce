// IAM's two error shapes: the token endpoint's {errorCode, errorMessage, errorDetails, context} and the
// {trace, errors:[{code, message}], status_code} of IBM's other identity APIs. Tests inject either.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Fault } from './types.ts';

export type IamErrorShape = 'identity' | 'platform';

export interface IamError {
  status: number;
  code: string;
  message: string;
  details?: string;
}

/**
 * What IAM answers for keys it will not take. BXNIM0415E (400) is IBM's documented answer for an
 * unknown or deleted key. The codes for disabled and expired keys are NOT verified against IBM: their
 * messages name the state, which is what a caller should read.
 */
export const KEY_REFUSALS = {
  unknown: {
    status: 400,
    code: 'BXNIM0415E',
    message: 'Provided API key could not be found.',
    details: 'The API key is not found or is invalid.',
  },
  disabled: {
    status: 400,
    code: 'BXNIM0418E',
    message: 'Provided API key is disabled.',
    details: 'The API key is locked for use: it was disabled.',
  },
  expired: {
    status: 400,
    code: 'BXNIM0417E',
    message: 'Provided API key has expired.',
    details: 'The API key reached its expiration date.',
  },
} satisfies Record<string, IamError>;

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
