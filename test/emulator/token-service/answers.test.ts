// ICR's answers where ICR answers in more than one way, region by region: the challenge bare (to callers
// that are none of the four clients) or quoted, and bad credentials refused 401 or 400; what the real
// clients make of each; and ICR_EMULATOR_STRICT, which turns the lenient forms on for a whole run.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { DEFAULT_BEHAVIOUR, LENIENT_BEHAVIOUR, STRICT_BEHAVIOUR, isContainerClient, startEmulator } from '../index.ts';
import type { Emulator } from '../index.ts';
import { baseBehaviour, behaviourFor } from './behaviour.ts';
import { formatChallenge } from './challenge.ts';
import { httpsRequest } from '../net/https-request.ts';
import { runClient } from '../testing/run-client.ts';
import { REFUSED, clientFor, clientHome, headerOf, json } from '../testing/test-client.ts';
import type { Client } from '../testing/test-client.ts';

/** What each client sends as User-Agent (recorded from their logins below). */
const AGENTS = {
  podman: /^containers\/5\.\d+\.\d+ \(github\.com\/containers\/image\)$/,
  buildah: /^Buildah\/1\.\d+\.\d+$/,
  skopeo: /^skopeo\/1\.\d+\.\d+$/,
  docker: /^Docker-Client\/\d+\.\d+\.\d+ \(linux\)$/,
};
const CLIENTS = Object.keys(AGENTS) as Array<keyof typeof AGENTS>;

describe('the behaviour a region starts with', () => {
  it('is the strict forms by default, the lenient ones with ICR_EMULATOR_STRICT=0', () => {
    expect(DEFAULT_BEHAVIOUR).toEqual({ challenge: 'unquoted', badCredentials: 400 });
    expect(STRICT_BEHAVIOUR).toEqual(DEFAULT_BEHAVIOUR);
    expect(LENIENT_BEHAVIOUR).toEqual({ challenge: 'quoted', badCredentials: 401 });
    expect(baseBehaviour({})).toEqual(STRICT_BEHAVIOUR);
    expect(baseBehaviour({ ICR_EMULATOR_STRICT: '1' })).toEqual(STRICT_BEHAVIOUR);
    expect(baseBehaviour({ ICR_EMULATOR_STRICT: '0' })).toEqual(LENIENT_BEHAVIOUR);
    expect(baseBehaviour({ ICR_EMULATOR_STRICT: 'challenge' })).toEqual({ challenge: 'unquoted', badCredentials: 401 });
    expect(() => baseBehaviour({ ICR_EMULATOR_STRICT: 'quotes' })).toThrow(/no behaviour quotes/);
  });

  it('takes icr for every region and regionBehaviour over it', () => {
    const opts = { icr: { badCredentials: 400 as const }, regionBehaviour: { 'eu-de': { challenge: 'unquoted' as const } } };
    expect(behaviourFor('us-south', opts, LENIENT_BEHAVIOUR)).toEqual({ challenge: 'quoted', badCredentials: 400 });
    expect(behaviourFor('eu-de', opts, LENIENT_BEHAVIOUR)).toEqual({ challenge: 'unquoted', badCredentials: 400 });
    expect(() => behaviourFor('eu-de', { icr: { badCredentials: 403 as never } }, LENIENT_BEHAVIOUR)).toThrow(/401 or 400/);
  });

  it('refuses a regionBehaviour for a region it does not emulate', async () => {
    await expect(startEmulator({ registry: false, regionBehaviour: { 'eu-gb': { challenge: 'unquoted' } } })).rejects.toThrow(
      /regionBehaviour names eu-gb, which is not emulated/,
    );
  });

  it('tells the four clients from other callers by User-Agent', () => {
    for (const agent of [
      'containers/5.23.1 (github.com/containers/image)',
      'Buildah/1.28.2',
      'skopeo/1.9.3',
      'Docker-Client/28.2.2 (linux)',
      'docker/28.2.2 go/go1.24.3 git-commit/e6534b4 kernel/6.1.0 os/linux arch/amd64 UpstreamClient(Docker-Client/28.2.2 \\(linux\\))',
      'podman/5.4.0',
    ]) {
      expect(isContainerClient(agent), agent).toBe(true);
    }
    for (const agent of [undefined, '', 'icr-login/1.0.0', 'node', 'curl/8.5.0', 'Go-http-client/1.1']) {
      expect(isContainerClient(agent), String(agent)).toBe(false);
    }
  });

  it('writes the bare form as ICR does, quoting only values that could not be read back otherwise', () => {
    const params: Array<[string, string]> = [
      ['realm', 'https://cp.icr.io/oauth/token'],
      ['service', 'registry'],
      ['scope', 'repository:cp/ibm-mq/mq:pull'],
    ];
    expect(formatChallenge(params, 'unquoted')).toBe(
      'Bearer realm=https://cp.icr.io/oauth/token, service=registry, scope=repository:cp/ibm-mq/mq:pull',
    );
    expect(formatChallenge(params, 'quoted')).toBe(
      'Bearer realm="https://cp.icr.io/oauth/token",service="registry",scope="repository:cp/ibm-mq/mq:pull"',
    );
    expect(formatChallenge([['scope', 'repository:ns/img:pull,push']], 'unquoted')).toBe('Bearer scope="repository:ns/img:pull,push"');
  });
});

describe('challenges and refusals by region (registry: true, us-south lenient, eu-de strict)', { timeout: 60_000 }, () => {
  let emu: Emulator;
  let client: Client;
  let env: Record<string, string>;
  let us: string;
  let eu: string;
  beforeAll(async () => {
    emu = await startEmulator({
      regions: ['us-south', 'eu-de'],
      regionBehaviour: { 'us-south': LENIENT_BEHAVIOUR, 'eu-de': STRICT_BEHAVIOUR },
    });
    client = await clientFor(emu);
    [us, eu] = [emu.hostOf('us-south'), emu.hostOf('eu-de')];
    const machine = await clientHome(emu);
    env = { ...machine.env, DOCKER_CONFIG: `${machine.home}/.docker` };
  }, 60_000);
  afterEach(() => emu.clearFaults());
  afterAll(() => emu?.stop(), 30_000);

  const get = (host: string, path: string, userAgent?: string) =>
    httpsRequest(`https://${host}${path}`, { ca: client.ca, headers: userAgent === undefined ? {} : { 'User-Agent': userAgent } });
  const login = (cli: string, host: string, password: string) =>
    runClient(cli, ['login', '--username', 'iamapikey', '--password-stdin', host], { env, input: `${password}\n` });

  it('reports how each region answers, and changes one on request', () => {
    expect(emu.behaviourOf('us-south')).toEqual(LENIENT_BEHAVIOUR);
    expect(emu.behaviourOf('eu-de')).toEqual(STRICT_BEHAVIOUR);
    emu.setRegionBehaviour('us-south', { badCredentials: 400 });
    expect(emu.behaviourOf('us-south')).toEqual({ challenge: 'quoted', badCredentials: 400 });
    emu.setRegionBehaviour('us-south', LENIENT_BEHAVIOUR);
    expect(() => emu.setRegionBehaviour('us-south', { challenge: 'bare' as never })).toThrow(/'quoted' or 'unquoted'/);
    expect(() => emu.behaviourOf('jp-tok')).toThrow(/not emulated/);
  });

  it('sends the bare challenge to our code and to anyone else, the quoted one to the clients', async () => {
    const bare = `Bearer realm=https://${eu}/oauth/token, service=registry`;
    const quoted = `Bearer realm="https://${eu}/oauth/token",service="registry"`;
    for (const agent of [undefined, 'icr-login/1.0.0']) {
      expect(headerOf(await get(eu, '/v2/', agent), 'www-authenticate')).toBe(bare);
      // The registry's own challenge for a repository, realm on our host, scope kept, same form.
      expect(headerOf(await get(eu, '/v2/ns/img/tags/list', agent), 'www-authenticate')).toBe(`${bare}, scope=repository:ns/img:pull`);
    }
    for (const agent of ['skopeo/1.9.3', 'Docker-Client/28.2.2 (linux)']) {
      expect(headerOf(await get(eu, '/v2/', agent), 'www-authenticate')).toBe(quoted);
      expect(headerOf(await get(eu, '/v2/ns/img/tags/list', agent), 'www-authenticate')).toBe(`${quoted},scope="repository:ns/img:pull"`);
    }
    // A region left as it was answers everyone quoted.
    expect(headerOf(await get(us, '/v2/'), 'www-authenticate')).toBe(`Bearer realm="https://${us}/oauth/token",service="registry"`);
  });

  it('refuses bad credentials with a bare 400 where the region says so, else 401 in ICR’s words', async () => {
    const bad = await client.token('iamapikey', emu.unknownKey, undefined, eu);
    expect([bad.status, bad.body, headerOf(bad, 'www-authenticate')]).toEqual([400, '', '']);
    expect((await client.token(undefined, '', undefined, eu)).status).toBe(400);
    expect((await client.token('iamapikey', emu.keys.service.key, undefined, eu)).status).toBe(200);
    const refused = await client.token('iamapikey', emu.unknownKey, undefined, us);
    expect(refused.status).toBe(401);
    expect(json(refused)).toMatchObject({ errors: [{ code: 'UNAUTHORIZED', message: REFUSED }] });
    expect(headerOf(refused, 'www-authenticate')).toBe(`Bearer realm="https://${us}/oauth/token",service="registry"`);
  });

  it('each client logs in where the challenge is bare, sending its own User-Agent', async () => {
    for (const cli of CLIENTS) {
      const before = emu.requests.length;
      const ok = await login(cli, eu, emu.keys.service.key);
      expect([cli, ok.code, ok.stdout.trim()]).toEqual([cli, 0, cli === 'docker' ? 'Login Succeeded' : 'Login Succeeded!']);
      const agents = new Set(emu.requests.slice(before).map((r) => r.userAgent));
      expect([...agents]).toHaveLength(1);
      expect([...agents][0]).toMatch(AGENTS[cli]);
    }
  });

  it('what each client prints for the 400 (kept here so a change in a client shows)', async () => {
    const said = {
      podman: [
        125,
        `Error: authenticating creds for "${eu}": Requesting bearer token: invalid status code from registry 400 (Bad Request)`,
      ],
      buildah: [
        125,
        `Error: authenticating creds for "${eu}": Requesting bearer token: invalid status code from registry 400 (Bad Request)`,
      ],
      skopeo: [1, `authenticating creds for \\"${eu}\\": Requesting bearer token: invalid status code from registry 400 (Bad Request)`],
      // docker reads the empty body as an error without words.
      docker: [1, `Get "https://${eu}/v2/": unknown: `],
    } as const;
    for (const cli of CLIENTS) {
      const bad = await login(cli, eu, emu.unknownKey);
      expect(bad.code, cli).toBe(said[cli][0]);
      expect(bad.stderr.trim().split('\n').at(-1), cli).toContain(said[cli][1].trim());
    }
  });

  it('why the clients never get the bare form: each reads its realm as "https"', async () => {
    const bare = {
      status: 401,
      headers: {
        'WWW-Authenticate': `Bearer realm=https://${us}/oauth/token, service=registry`,
        'Content-Type': 'application/json',
        'Docker-Distribution-Api-Version': 'registry/2.0',
      },
      body: '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}',
    };
    for (const cli of CLIENTS) {
      // docker tries https, then http (which our port redirects): both get the bare challenge.
      emu.inject('v2', bare, bare);
      const forced = await login(cli, us, emu.keys.service.key);
      emu.clearFaults();
      expect(forced.code, cli).not.toBe(0);
      expect(forced.stderr, cli).toMatch(/Get \\?"https\?account=iamapikey.*unsupported protocol scheme/);
    }
  });
});
