// What the emulator's own tests share: a thin HTTPS client for IAM, the token service and ICR's API,
// temp folders removed after each file, and small readers of answers.
import { afterAll, expect } from 'vitest';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '../index.ts';
import { APIKEY_GRANT } from '../index.ts';
import { httpsRequest, basic } from '../net/https-request.ts';
import type { HttpsResponse } from '../net/https-request.ts';

export const REFUSED = 'The login credentials are not valid, or your IBM Cloud account is not active.';

/** The status a region's token service refuses bad credentials with: 400 by default (ICR's), 401 where lenient. */
export const refusedStatus = (emu: Emulator, region = 'us-south'): number => emu.behaviourOf(region).badCredentials;

/** What a containers tool prints for that refusal: ICR's 400, or Distribution's 401 (`invalid username/password`). */
export const refusedLogin = (emu: Emulator, region = 'us-south'): RegExp =>
  refusedStatus(emu, region) === 400 ? /invalid status code from registry 400 \(Bad Request\)/ : /invalid username\/password/;

const tempDirs: string[] = [];
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(tempDirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A HOME and an XDG_RUNTIME_DIR of their own for the clients, trusting every host of the emulator. */
export async function clientHome(emu: Emulator): Promise<{ env: Record<string, string>; home: string; runtimeDir: string }> {
  const home = await tempDir('emu-home-');
  const runtimeDir = await tempDir('emu-run-');
  await chmod(runtimeDir, 0o700);
  await emu.trust(home);
  return { home, runtimeDir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_RUNTIME_DIR: runtimeDir } };
}

export const json = (res: HttpsResponse): Record<string, unknown> => JSON.parse(res.body) as Record<string, unknown>;
export const headerOf = (res: HttpsResponse, name: string): string => String(res.headers[name] ?? '');

export function jwtHeader(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface IamCall {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
}

/** Thin client for one emulator: IAM form posts, token-service GETs with Basic auth, ICR API calls. */
export async function clientFor(emu: Emulator) {
  const ca = await readFile(emu.caFile, 'utf8');
  return {
    ca,
    iam: (form: Record<string, string>, { method = 'POST', path = '/identity/token', headers = {} }: IamCall = {}) =>
      httpsRequest(`${emu.iamUrl}${path}`, {
        ca,
        method,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...headers },
        body: method === 'POST' ? new URLSearchParams(form).toString() : undefined,
      }),
    token: (
      username: string | undefined,
      password: string,
      query = 'service=registry&scope=repository:ns/img:pull,push',
      host = emu.host,
    ) =>
      httpsRequest(`https://${host}/oauth/token?${query}`, {
        ca,
        headers: username === undefined ? {} : { Authorization: basic(username, password) },
      }),
    /** ICR's API on a region's host, with an IAM token and the Account header when given. */
    api: (host: string, path: string, auth: { token?: string; account?: string }, method = 'GET', headers: Record<string, string> = {}) =>
      httpsRequest(`https://${host}${path}`, {
        ca,
        method,
        headers: {
          ...(auth.token === undefined ? {} : { Authorization: `Bearer ${auth.token}` }),
          ...(auth.account === undefined ? {} : { Account: auth.account }),
          ...headers,
        },
      }),
  };
}

export type Client = Awaited<ReturnType<typeof clientFor>>;

/** The IAM answer for an API key, which must be a 200. */
export async function iamToken(client: Client, key: string): Promise<Record<string, unknown>> {
  const res = await client.iam({ grant_type: APIKEY_GRANT, apikey: key });
  expect(res.status).toBe(200);
  return json(res);
}

/** Just the access token for an API key. */
export const accessTokenOf = async (client: Client, key: string): Promise<string> => String((await iamToken(client, key)).access_token);
