// A tiny IAM on 127.0.0.1 for unit tests: answers the token request with a fixed token, or never
// answers at all (to prove a step does not wait for it). Counts the requests it receives.
import { createServer, type Server } from 'node:http';

export interface IamStub {
  /** The base URL to give as input iam-endpoint. */
  readonly url: string;
  readonly accountId: string;
  readonly accessToken: string;
  /** Token requests received so far. */
  calls(): number;
  /** Requests left unanswered ('hang') whose caller has not hung up yet: an exchange still running. */
  pending(): number;
  stop(): Promise<void>;
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function startIamStub(mode: 'answer' | 'hang' = 'answer'): Promise<IamStub> {
  const accountId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const accessToken = `${b64url({ alg: 'RS256', kid: 'stub' })}.${b64url({ account: { bss: accountId }, exp, iam_id: 'IBMid-stub' })}.c2lnbmF0dXJl`;
  let calls = 0;
  let pending = 0;
  const server: Server = createServer((req, res) => {
    calls++;
    req.resume();
    if (mode === 'hang') {
      pending++;
      return void req.socket.once('close', () => pending--);
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        access_token: accessToken,
        refresh_token: 'not_supported',
        token_type: 'Bearer',
        expires_in: 3600,
        expiration: exp,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    accountId,
    accessToken,
    calls: () => calls,
    pending: () => pending,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
