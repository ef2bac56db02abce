// Running a client's login and logout: which client error lines are tried again and which never are,
// the time limit, a client that cannot start, and what each failure says. Scripted clients (/bin/sh)
// that answer each try as they are told; Node alone.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clientLogin,
  clientLogout,
  clientSees,
  isTransient,
  type ClientContext,
  type ClientTool,
  type OwnClient,
} from '../../../src/clients/run.ts';
import type { Credential } from '../../../src/iam/credential.ts';

const HOST = 'us.icr.io';
const KEY = 'unit-test-api-key-0123456789abcdefghijkl';
const API_KEY: Credential = { username: 'iamapikey', secret: KEY, expiresAt: undefined };

describe('isTransient: the client error lines tried again', () => {
  it.each([
    'Error response from daemon: Get "https://us.icr.io/v2/": net/http: TLS handshake timeout',
    'Error: authenticating creds for "us.icr.io": pinging container registry us.icr.io: Get "https://us.icr.io/v2/": dial tcp: lookup us.icr.io on 127.0.0.53:53: no such host',
    'Get "https://us.icr.io/v2/": read tcp 10.1.0.4:51234->169.63.104.236:443: read: connection reset by peer',
    'Get "https://us.icr.io/v2/": dial tcp 169.63.104.236:443: connect: connection refused',
    'Get "https://us.icr.io/v2/": dial tcp 169.63.104.236:443: i/o timeout',
    'Get "https://us.icr.io/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)',
    'Error: operation timed out',
    'Get "https://us.icr.io/v2/": unexpected EOF',
    'dial tcp: lookup us.icr.io: Temporary failure in name resolution',
    'Error response from daemon: received unexpected HTTP status: 502 Bad Gateway',
    'received unexpected HTTP status: 503 Service Unavailable',
    'error pinging docker registry us.icr.io: invalid status code from registry 504 (Gateway Timeout)',
    'Error: logging into "us.icr.io": invalid status code from registry 500 (Internal Server Error)',
    'Error: logging into "us.icr.io": invalid status code from registry 429 (Too Many Requests)',
    'toomanyrequests: too many requests to the registry',
  ])('%s', (line) => {
    expect(isTransient(line)).toBe(true);
    // The client's whole output is read: a warning line before the error changes nothing.
    expect(isTransient(`WARNING! Using --password via the CLI is insecure.\n${line}\n`)).toBe(true);
  });
});

describe('isTransient: the client error lines never tried again', () => {
  it.each([
    'Error: unauthorized: incorrect username or password',
    'Error response from daemon: Get "https://us.icr.io/v2/": unauthorized: The login credentials are not valid, or your IBM Cloud account is not active.',
    'Error: logging into "us.icr.io": invalid username/password',
    'denied: requested access to the resource is denied',
    'Error: logging into "us.icr.io": invalid status code from registry 400 (Bad Request)',
    'Error: logging into "us.icr.io": invalid status code from registry 403 (Forbidden)',
    'Error response from daemon: Get "https://us.icr.io/v2/": x509: certificate signed by unknown authority',
    'Error response from daemon: Get "https://us.icr.io/v2/": http: server gave HTTP response to HTTPS client',
    // 501: the registry does not do what was asked, and will not on the next try.
    'Error: logging into "us.icr.io": invalid status code from registry 501 (Not Implemented)',
    // A refusal beside a transient cause is a refusal: another try would be refused again.
    'Get "https://us.icr.io/v2/": i/o timeout\nError: unauthorized: authentication required',
    'received unexpected HTTP status: 503 Service Unavailable (401 Unauthorized)',
    'Error: authenticating creds for "us.icr.io": 403 Forbidden after connection reset',
    '',
  ])('%j', (line) => {
    expect(isTransient(line)).toBe(false);
  });
});

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

interface Answer {
  readonly stderr?: string;
  readonly stdout?: string;
  readonly code: number;
  readonly sleep?: number;
}

/** A client that answers its Nth call with `answers[N-1]` (the last one from then on), logging each call's arguments. */
async function scripted(answers: readonly Answer[]): Promise<{ tool: ClientTool; calls(): Promise<string[]> }> {
  const dir = await mkdtemp(join(tmpdir(), 'icr-unit-client-'));
  dirs.push(dir);
  for (const [i, a] of answers.entries()) {
    await writeFile(join(dir, `err.${i + 1}`), a.stderr ?? '');
    await writeFile(join(dir, `out.${i + 1}`), a.stdout ?? '');
  }
  const cases = answers.map((a, i) => `${i + 1}) code=${a.code}; pause=${a.sleep ?? 0};;`).join(' ');
  const script = [
    '#!/bin/sh',
    `d="${dir}"`,
    'n=$(($(cat "$d/count" 2>/dev/null || echo 0) + 1)); echo $n > "$d/count"',
    `m=$n; [ $m -gt ${answers.length} ] && m=${answers.length}`,
    'echo "$*" >> "$d/calls"',
    'cat > /dev/null',
    `case $m in ${cases} esac`,
    '[ "$pause" != 0 ] && sleep "$pause"',
    'cat "$d/err.$m" >&2; cat "$d/out.$m"',
    'exit $code',
    '',
  ].join('\n');
  const path = join(dir, 'docker');
  await writeFile(path, script);
  await chmod(path, 0o755);
  return {
    tool: { name: 'docker', path },
    calls: async () => (await readFile(join(dir, 'calls'), 'utf8').catch(() => '')).split('\n').filter((l) => l !== ''),
  };
}

const debugs: string[] = [];
const ctx = (more: Partial<ClientContext> = {}): ClientContext => ({
  env: { PATH: '/usr/bin:/bin' },
  timeoutMs: 10_000,
  policy: { retries: 2, baseMs: 10, capMs: 10 },
  debug: (m) => void debugs.push(m),
  ...more,
});
const LOGIN = ['login --username iamapikey --password-stdin us.icr.io'];
const failedWith = (why: string) => ({ client: 'docker', host: HOST, ok: false, kind: 'failed', why });

describe('clientLogin', () => {
  afterEach(() => void (debugs.length = 0));

  it('tries a transient failure again, and is logged in by the next try', async () => {
    const c = await scripted([
      { stderr: 'Error response from daemon: Get "https://us.icr.io/v2/": net/http: TLS handshake timeout\n', code: 1 },
      { stdout: 'Login Succeeded\n', code: 0 },
    ]);
    expect(await clientLogin(c.tool, HOST, API_KEY, ctx())).toEqual({ client: 'docker', host: HOST, ok: true, kind: 'logged-in' });
    expect(await c.calls()).toEqual([...LOGIN, ...LOGIN]);
    expect(debugs).toEqual([
      'docker login to us.icr.io failed: Error response from daemon: Get "https://us.icr.io/v2/": net/http: TLS handshake timeout. Trying again.',
    ]);
  });

  it('gives up after the policy’s retries with the client’s last error line', async () => {
    const c = await scripted([{ stderr: 'Error: received unexpected HTTP status: 503 Service Unavailable\n', code: 1 }]);
    expect(await clientLogin(c.tool, HOST, API_KEY, ctx())).toEqual(
      failedWith('docker login to us.icr.io failed: received unexpected HTTP status: 503 Service Unavailable'),
    );
    expect(await c.calls()).toHaveLength(3);
  });

  it.each<[string, string]>([
    ['a wrong password', 'Error: unauthorized: incorrect username or password\n'],
    ['a 400 from ICR', 'Error: logging into "us.icr.io": invalid status code from registry 400 (Bad Request)\n'],
    [
      'a certificate it does not trust',
      'Error response from daemon: Get "https://us.icr.io/v2/": x509: certificate signed by unknown authority\n',
    ],
  ])('never tries %s again', async (_what, stderr) => {
    const c = await scripted([{ stderr, code: 1 }, { code: 0 }]);
    const outcome = await clientLogin(c.tool, HOST, API_KEY, ctx());
    expect(outcome.ok).toBe(false);
    expect(await c.calls()).toHaveLength(1);
  });

  it.each<[string, string]>([
    ['iamapikey', ' (ICR answers 400 Bad Request for a username and password it does not accept: check the api-key secret)'],
    ['cp', ' (ICR answers 400 Bad Request for a username and password it does not accept: check the entitlement-key secret)'],
  ])('names the secret to check for ICR’s 400 to %s', async (username, fix) => {
    const c = await scripted([
      { stderr: 'Error: logging into "us.icr.io": invalid status code from registry 400 (Bad Request)\n', code: 1 },
    ]);
    expect(await clientLogin(c.tool, HOST, { ...API_KEY, username }, ctx())).toEqual(
      failedWith(`docker login to us.icr.io failed: logging into "us.icr.io": invalid status code from registry 400 (Bad Request)${fix}`),
    );
  });

  it('stops a login that outlives the time limit, and does not start another', async () => {
    const c = await scripted([{ code: 0, sleep: 5 }]);
    const started = Date.now();
    expect(await clientLogin(c.tool, HOST, API_KEY, ctx({ timeoutMs: 1_500 }))).toEqual(
      failedWith(
        'docker login to us.icr.io did not finish within 1.5 s and was stopped; check that the runner reaches us.icr.io, or raise input timeout',
      ),
    );
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(await c.calls()).toHaveLength(1);
  });

  it('says which program could not start, and does not try it again', async () => {
    const missing = join(tmpdir(), 'icr-unit-no-such-client', 'docker');
    expect(await clientLogin({ name: 'docker', path: missing }, HOST, API_KEY, ctx())).toEqual(
      failedWith(`docker login to us.icr.io could not start ${missing} (ENOENT)`),
    );
    expect(debugs).toEqual([]);
  });
});

describe('clientSees', () => {
  it.each<[string, Answer, boolean]>([
    ['the username it holds', { stdout: 'iamapikey\n', code: 0 }, true],
    ['another username', { stdout: 'iambearer\n', code: 0 }, false],
    ['not logged in', { stderr: 'Error: not logged into us.icr.io\n', code: 125 }, false],
  ])('%s: %s', async (_what, answer, sees) => {
    const c = await scripted([answer]);
    expect(await clientSees(c.tool, HOST, 'iamapikey', ctx())).toBe(sees);
    expect(await c.calls()).toEqual(['login --get-login us.icr.io']);
  });
});

describe('clientLogout', () => {
  it.each<[string, Answer, string | undefined]>([
    ['exit 0', { stdout: 'Removed login credentials for us.icr.io\n', code: 0 }, undefined],
    ['nothing to remove', { stderr: 'Error: not logged into us.icr.io\n', code: 125 }, undefined],
    [
      'a failure',
      { stderr: 'Error: open /x/auth.json: permission denied\n', code: 125 },
      'docker logout failed: open /x/auth.json: permission denied',
    ],
  ])('%s', async (_what, answer, why) => {
    const c = await scripted([answer]);
    expect(await clientLogout(c.tool, HOST, ctx())).toBe(why);
    expect(await c.calls()).toEqual(['logout us.icr.io']);
  });

  it('says a logout that outlived the time limit was stopped', async () => {
    const c = await scripted([{ code: 0, sleep: 5 }]);
    expect(await clientLogout(c.tool, HOST, ctx({ timeoutMs: 500 }))).toBe('docker logout did not finish within 0.5 s and was stopped');
  });

  it('says a program that could not start', async () => {
    const why = await clientLogout({ name: 'docker', path: join(tmpdir(), 'icr-unit-no-such-client', 'docker') }, HOST, ctx());
    expect(why).toBe('docker logout could not start (ENOENT)');
  });
});

describe('a client of ours (docker-config)', () => {
  it('is logged in, out and asked through its own functions, no process run', async () => {
    const calls: string[] = [];
    const own: OwnClient = {
      login: async (host, credential) => (
        calls.push(`login ${host} ${credential.username}`),
        { client: 'docker-config', host, ok: true, kind: 'logged-in' }
      ),
      logout: async (host) => (calls.push(`logout ${host}`), 'kept'),
      sees: async (host, username) => (calls.push(`sees ${host} ${username}`), true),
    };
    const tool: ClientTool = { name: 'docker-config', path: '', own };
    expect((await clientLogin(tool, HOST, API_KEY, ctx())).ok).toBe(true);
    expect(await clientSees(tool, HOST, 'iamapikey', ctx())).toBe(true);
    expect(await clientLogout(tool, HOST, ctx())).toBe('kept');
    expect(calls).toEqual(['login us.icr.io iamapikey', 'sees us.icr.io iamapikey', 'logout us.icr.io']);
  });
});
