// Faults for the registry's answers to the push probe that Distribution itself gives only in states
// the emulator cannot reach by set-up: 404 NAME_UNKNOWN (a registry that does not know the repository
// or its namespace) and the 400 with no body that Distribution's dispatcher answers for any error of
// its access controller other than a challenge (registry/handlers/app.go, `authorized`). Each fault
// waits for a PUT to a blob upload, so the ping, the token and the logins before it pass untouched.
import type { Fault } from '../net/types.ts';

export interface ProbeFaultOptions {
  /** only this region's host */
  region?: string;
  /** only uploads to this repository (`ns/img`); also names it in NAME_UNKNOWN's detail */
  repository?: string;
}

const DISTRIBUTION = { 'Docker-Distribution-Api-Version': 'registry/2.0' };

function uploadPut(options: ProbeFaultOptions): NonNullable<Fault['match']> {
  const repository = options.repository?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') ?? '.+';
  return {
    method: 'PUT',
    path: new RegExp(`^/v2/${repository}/blobs/uploads/[^/]+$`),
    ...(options.region === undefined ? {} : { region: options.region }),
  };
}

/** 404 NAME_UNKNOWN in Distribution's words, once, to the next PUT of a blob upload that fits. */
export function nameUnknownFault(options: ProbeFaultOptions = {}): Fault {
  const error = {
    code: 'NAME_UNKNOWN',
    message: 'repository name not known to registry',
    ...(options.repository === undefined ? {} : { detail: { name: options.repository } }),
  };
  return {
    match: uploadPut(options),
    status: 404,
    headers: { ...DISTRIBUTION, 'Content-Type': 'application/json; charset=utf-8' },
    body: `${JSON.stringify({ errors: [error] })}\n`,
  };
}

/** Distribution's 400 with no body (an error in its auth layer), once, to the next PUT of a blob upload that fits. */
export function authLayerErrorFault(options: ProbeFaultOptions = {}): Fault {
  return { match: uploadPut(options), status: 400, headers: DISTRIBUTION, body: '' };
}
