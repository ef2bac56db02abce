// The CLI's login and logout commands and their session files, in this process: a login records its
// session as it goes and keeps none when it leaves nothing to undo; a logout undoes every session but
// one a live login is still writing, and what it could not remove stays in the session (and only that)
// for the next try. An IAM stub and fake clients that keep their logins in the file; Node alone.
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { login, logout, readStdin } from '../../../src/cli/commands.ts';
import { listSessions, readSession, removeSession, rewriteSession, sessionStore, sessionsDir } from '../../../src/cli/sessions.ts';
import { startTime } from '../../../src/clients/processes.ts';
import { readState } from '../../../src/steps/state/reader.ts';
import { encodeState } from '../../../src/steps/state/writer.ts';
import { fakeFileClients, type FakeClients } from '../../fakes/clients.ts';
import { startIamStub, type IamStub } from '../../fakes/iam-stub.ts';
import { watched } from '../../harness/watch.ts';

const KEY = 'unit-test-api-key-0123456789abcdefghijkl';

let home: string;
let iam: IamStub;
let stderr: string;
let stdout: string;
const cleanups: (() => Promise<unknown>)[] = [];
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'icr-unit-cli-'));
  iam = await startIamStub();
  cleanups.push(
    () => iam.stop(),
    () => rm(home, { recursive: true, force: true }),
  );
  stderr = '';
  stdout = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  // What the commands printed is scanned for the key after each test (test/harness/leak-guard.ts).
  watched.secrets.add(KEY);
});
afterEach(async () => {
  vi.restoreAllMocks();
  watched.texts.push({ label: 'the CLI’s stderr and stdout', text: `${stderr}\n${stdout}` });
  for (const c of cleanups.splice(0)) await c();
});

async function clients(names: readonly string[], idle: readonly string[] = []): Promise<FakeClients> {
  const made = await fakeFileClients(names, { idle });
  cleanups.push(() => rm(made.dir, { recursive: true, force: true }));
  return made;
}

const dockerFile = () => join(home, 'docker', 'config.json');
const podmanFile = () => join(home, 'auth.json');
/** A machine's environment: its own home, and the files each client keeps its logins in. */
const envWith = (bin: FakeClients, more: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PATH: bin.dir,
  HOME: home,
  DOCKER_CONFIG: join(home, 'docker'),
  REGISTRY_AUTH_FILE: podmanFile(),
  RUNNER_TEMP: join(home, 'tmp'),
  ...more,
});
const inputs = (more: Record<string, string> = {}) => ({ 'api-key': KEY, 'iam-endpoint': iam.url, region: 'us-south', ...more });
const hosts = async (file: string): Promise<string[]> =>
  Object.keys(((JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as { auths?: object }).auths ?? {}) as object);
const sessions = (env: NodeJS.ProcessEnv) => listSessions(sessionsDir(env));
const stateOf = (path: string) => readState(sessionStore(readSession(path)));

describe('icr-login login', () => {
  it('records its session (0600, its own process first) as it logs in, and exits 0', async () => {
    const bin = await clients(['docker']);
    const env = envWith(bin);
    expect(await login(inputs({ clients: 'docker' }), env, false)).toBe(0);
    const [path, ...more] = sessions(env);
    expect(more).toEqual([]);
    expect((await stat(path!)).mode & 0o777).toBe(0o600);
    const session = readSession(path!);
    expect(session['login-pid']).toBe(String(process.pid));
    expect(session['login-started']).toBe(startTime(process.pid) ?? '');
    expect(stateOf(path!).logins).toEqual([{ client: 'docker', host: 'us.icr.io', file: dockerFile(), ended: 'logged-in' }]);
    expect(stateOf(path!).stopped).toBe(true);
    expect(JSON.stringify(session)).not.toContain(KEY);
    expect(await hosts(dockerFile())).toEqual(['us.icr.io']);
    expect(stderr).toContain('docker logged in to us.icr.io as iamapikey.');
    expect(stdout).toContain('logged-in=true\n');
  });

  it.each<[string, Record<string, string>, number]>([
    ['input it refuses (exit 2)', { region: 'mars-north' }, 2],
    ['no key with missing-key skip (exit 0)', { 'api-key': '', 'missing-key': 'skip' }, 0],
    ['a failure before any login (exit 1)', { clients: 'podman' }, 1],
  ])('keeps no session after %s', async (_what, more, code) => {
    const bin = await clients(['docker']);
    const env = envWith(bin);
    expect(await login(inputs({ clients: 'docker', ...more }), env, true)).toBe(code);
    expect(sessions(env)).toEqual([]);
  });

  it('logs in though it cannot record the session, and says once that logout cannot undo it', async () => {
    const bin = await clients(['docker']);
    const blocked = join(home, 'a-file');
    await writeFile(blocked, '');
    const env = envWith(bin, { XDG_STATE_HOME: blocked });
    expect(await login(inputs({ clients: 'docker', region: 'us-south,eu-de' }), env, false)).toBe(0);
    expect(await hosts(dockerFile())).toEqual(['us.icr.io', 'de.icr.io']);
    const warnings = stderr.split('\n').filter((l) => l.startsWith('warning: could not record this login'));
    expect(warnings).toEqual([expect.stringMatching(/ \(ENOTDIR\); icr-login logout cannot undo it\.$/)]);
  });
});

describe('icr-login logout', () => {
  it('undoes a login, removes its session and exits 0', async () => {
    const bin = await clients(['docker']);
    const env = envWith(bin);
    expect(await login(inputs({ clients: 'docker' }), env, true)).toBe(0);
    expect(await logout(env, false)).toBe(0);
    expect(await hosts(dockerFile())).toEqual([]);
    expect(await bin.calls('docker')).toEqual(['login --username iamapikey --password-stdin us.icr.io', 'logout us.icr.io']);
    expect(sessions(env)).toEqual([]);
    expect(stderr).toContain('docker: logged out (us.icr.io).');
  });

  it.each<[string, boolean, string]>([
    ['says so', false, 'Nothing to log out.\n'],
    ['says nothing with --quiet', true, ''],
  ])('with no session, %s and exits 0', async (_what, quiet, said) => {
    expect(await logout(envWith(await clients(['docker'])), quiet)).toBe(0);
    expect(stderr).toBe(said);
  });

  it('removes a session that records nothing to undo (an empty or broken file)', async () => {
    const bin = await clients(['docker']);
    const env = envWith(bin);
    const dir = sessionsDir(env);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '2025-01-01T00-00-00-000Z-1.json'), '{"run": ');
    expect(await logout(env, true)).toBe(0);
    expect(sessions(env)).toEqual([]);
    expect(await bin.calls('docker')).toEqual([]);
  });

  it('leaves the session of a login still running alone; once that login is killed, the next logout undoes it', async () => {
    const bin = await clients(['docker']);
    const env = envWith(bin);
    expect(await login(inputs({ clients: 'docker' }), env, true)).toBe(0);
    // The session as a login still at work leaves it: another process, alive, that has not recorded that it stopped.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    cleanups.push(async () => child.kill('SIGKILL'));
    const [path] = sessions(env);
    const live = encodeState({ ...stateOf(path!), stopped: false });
    rewriteSession(path!, { ...live, 'login-pid': String(child.pid), 'login-started': startTime(child.pid!) ?? '' });
    const before = await readFile(path!, 'utf8');

    expect(await logout(env, false)).toBe(0);
    expect(stderr).toContain(
      `warning: icr-login login (pid ${child.pid}) is still running; its logins are left for a later icr-login logout.\n`,
    );
    expect(await readFile(path!, 'utf8')).toBe(before);
    expect(await hosts(dockerFile())).toEqual(['us.icr.io']);
    expect(await bin.calls('docker')).toHaveLength(1);

    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await logout(env, false)).toBe(0);
    expect(await hosts(dockerFile())).toEqual([]);
    expect(sessions(env)).toEqual([]);
  });

  it('keeps in the session only what a failed logout left, and the next try removes that and touches nothing else', async () => {
    // podman exits 0 from its logout and removes nothing (a broken wrapper); docker does its part.
    const broken = await clients(['docker', 'podman'], ['podman']);
    const env = envWith(broken);
    expect(await login(inputs({ clients: 'docker,podman' }), env, true)).toBe(0);
    const [path] = sessions(env);
    const recorded = stateOf(path!);

    expect(await logout(env, false)).toBe(1);
    expect(await hosts(dockerFile())).toEqual([]);
    expect(await hosts(podmanFile())).toEqual(['us.icr.io']);
    expect(sessions(env)).toEqual([path]);
    const left = stateOf(path!);
    expect(left.logins).toEqual([{ client: 'podman', host: 'us.icr.io', file: podmanFile(), ended: 'logged-in' }]);
    expect(left).toEqual({ ...recorded, logins: left.logins, isolation: undefined, earlierPath: undefined, groups: [], stopped: true });

    const fixed = await clients(['docker', 'podman']);
    const later = { ...env, PATH: fixed.dir };
    expect(await logout(later, false)).toBe(0);
    expect(await hosts(podmanFile())).toEqual([]);
    expect(await fixed.calls('podman')).toEqual(['logout us.icr.io']);
    expect(await fixed.calls('docker')).toEqual([]);
    expect(sessions(later)).toEqual([]);
  });

  it('undoes every session, newest first', async () => {
    const bin = await clients(['docker']);
    const env = envWith(bin);
    expect(await login(inputs({ clients: 'docker', region: 'us-south' }), env, true)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await login(inputs({ clients: 'docker', region: 'eu-de' }), env, true)).toBe(0);
    expect(await logout(env, true)).toBe(0);
    expect((await bin.calls('docker')).filter((c) => c.startsWith('logout'))).toEqual(['logout de.icr.io', 'logout us.icr.io']);
    expect(sessions(env)).toEqual([]);
  });
});

describe('readStdin', () => {
  it('reads the whole of stdin, however it comes in chunks', async () => {
    const key = Buffer.from(`${KEY}\n`);
    vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from([key.subarray(0, 5), key.subarray(5)]) as typeof process.stdin);
    expect(await readStdin()).toBe(`${KEY}\n`);
  });
});

describe('session files', () => {
  it('are listed newest first, .json only, and none where the folder is missing', async () => {
    const dir = join(home, 'sessions');
    expect(listSessions(dir)).toEqual([]);
    await mkdir(dir);
    const names = ['2025-01-02T00-00-00-000Z-7.json', '2025-01-01T00-00-00-000Z-9.json', '2025-01-03T00-00-00-000Z-1.json'];
    for (const n of [...names, '2025-01-04T00-00-00-000Z-2.json.partial', 'notes.txt']) await writeFile(join(dir, n), '{}');
    expect(listSessions(dir)).toEqual([names[2], names[0], names[1]].map((n) => join(dir, n!)));
  });

  it('are rewritten whole (0600, in a 0700 folder), read back, and removed; a missing one is no error', async () => {
    const path = join(home, 'new', 'sessions', 's.json');
    rewriteSession(path, { a: '1' });
    expect(readSession(path)).toEqual({ a: '1' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, 'new', 'sessions'))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(home, 'new', 'sessions'))).toEqual(['s.json']);
    rewriteSession(path, { b: '2' });
    expect(readSession(path)).toEqual({ b: '2' });
    removeSession(path);
    removeSession(path);
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });

  it('read as no values when they hold no JSON object', async () => {
    const path = join(home, 'broken.json');
    for (const text of ['', '[]', '"x"', '{"a": ']) {
      await writeFile(path, text);
      expect(readSession(path)).toEqual({});
    }
  });

  it('are kept under XDG_STATE_HOME, else under HOME', () => {
    expect(sessionsDir({ HOME: '/h' })).toBe('/h/.local/state/icr-login/sessions');
    expect(sessionsDir({ HOME: '/h', XDG_STATE_HOME: '/s' })).toBe('/s/icr-login/sessions');
  });

  it('a session store reads and writes the session’s values', () => {
    const session: Record<string, string> = { run: 'r' };
    const store = sessionStore(session);
    expect(store.getState('run')).toBe('r');
    expect(store.getState('missing')).toBe('');
    store.saveState('logout', 'true');
    expect(session).toEqual({ run: 'r', logout: 'true' });
  });
});
