// registry: false — the host answers the /v2/ ping itself (enough for logins), nothing else.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { challengeFor } from '../token-service/service.ts';
import type { ChallengeStyle } from '../token-service/challenge.ts';
import { sendJson } from '../net/http-util.ts';

export function answerV2(
  req: IncomingMessage,
  res: ServerResponse,
  host: string,
  authorized: boolean,
  style: ChallengeStyle = 'quoted',
): void {
  req.resume();
  const path = new URL(req.url ?? '/', 'https://registry').pathname;
  const headers = { 'Docker-Distribution-Api-Version': 'registry/2.0' };
  if (path !== '/v2/' && path !== '/v2') {
    sendJson(res, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] }, headers);
    return;
  }
  if (!authorized) {
    sendJson(
      res,
      401,
      { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }] },
      {
        ...headers,
        'WWW-Authenticate': challengeFor(host, style),
      },
    );
    return;
  }
  sendJson(res, 200, {}, headers);
}
