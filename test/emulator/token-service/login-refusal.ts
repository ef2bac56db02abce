// How a token service refuses credentials, in either of ICR's ways: 401 with ICR's words and a
// challenge (what the clients show as `unauthorized: The login credentials are not valid, …`), or
// 400 Bad Request (ICR docs, registry_access: "If you get a 400 Bad Request message, the username and
// password combination is not valid"). What ICR puts in the body of that 400 is not public: it is
// sent empty, so nothing but its status can be read from it.
import type { ServerResponse } from 'node:http';
import type { IcrBehaviour } from './types.ts';
import { sendJson } from '../net/http-util.ts';

export const LOGIN_REFUSED = 'The login credentials are not valid, or your IBM Cloud account is not active.';

export function refuseLogin(res: ServerResponse, status: IcrBehaviour['badCredentials'], challenge: string): void {
  if (status === 400) {
    res.writeHead(400, { 'Content-Length': '0' });
    res.end();
    return;
  }
  sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: LOGIN_REFUSED, detail: null }] }, { 'WWW-Authenticate': challenge });
}
