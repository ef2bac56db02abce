// The login's access check phase: which hosts are checked, with which credentials and IAM session,
// what becomes outputs and what fails the step; and the whole login step with images, against HTTPS
// peers on 127.0.0.1 answering as ICR does, an IAM stub and a shell-script docker.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AccessReport, CheckRow } from '../../../../src/access/check.ts';
import { entitledCredential, type Credential } from '../../../../src/iam/credential.ts';
import type { IamTokens } from '../../../../src/iam/answer.ts';
import type { Image } from '../../../../src/inputs/images.ts';
import { readSettings } from '../../../../src/inputs/read.ts';
import { UserError } from '../../../../src/lib/errors.ts';
import { checkedHosts, finishAccessCheck, startAccessCheck } from '../../../../src/steps/login/access.ts';
import { loginStep } from '../../../../src/steps/login/step.ts';
import { readState } from '../../../../src/steps/state/reader.ts';
import { fakeClients } from '../../../fakes/clients.ts';
import { startPeer, type Peer } from '../../../fakes/peer.ts';
import { startIamStub, type IamStub } from '../../../fakes/iam-stub.ts';
import { fakeRuntime } from '../../../fakes/runtime.ts';
import { answerAsIcr, errors, requestsOf } from '../../access/icr-peer.ts';

const KEY = 'unit-test-api-key-0123456789abcdefghijkl';
const ENTITLEMENT = 'unit-test-entitlement-key-0123456789abcdef';
const API_KEY: Credential = { username: 'iamapikey', secret: KEY, expiresAt: undefined };
const TOKENS: IamTokens = {
  accessToken: 'iam-access-token-0123456789abcdef',
  expiresIn: 3600,
  expiration: 0,
  refreshToken: undefined,
  refreshTokenExpiration: undefined,
  accountId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
};

let icr: Peer;
let cp: Peer;
beforeAll(async () => {
  [icr, cp] = await Promise.all([startPeer(), startPeer()]);
});
afterAll(() => Promise.all([icr.stop(), cp.stop()]));
beforeEach(() => {
  for (const peer of [icr, cp]) {
    peer.seen.length = 0;
    answerAsIcr(peer);
  }
});

const settings = (inputs: Record<string, string>) =>
  readSettings(
    (name) => ({ 'api-key': KEY, ...inputs })[name] ?? '',
    () => {},
    'no key',
  );

describe('checkedHosts', () => {
  it.each<[string, Record<string, string>, string[]]>([
    ['ICR’s hosts', { region: 'us-south,eu-de', images: 'team/app' }, ['us.icr.io', 'de.icr.io']],
    [
      'not the entitled registry when no image names it',
      { region: 'us-south', images: 'team/app', 'entitlement-key': ENTITLEMENT },
      ['us.icr.io'],
    ],
    [
      'the entitled registry after ICR’s when an image names it',
      { region: 'us-south', images: 'team/app, cp.icr.io/cp/app', access: 'pull', 'entitlement-key': ENTITLEMENT },
      ['us.icr.io', 'cp.icr.io'],
    ],
  ])('%s', (_what, inputs, hosts) => {
    expect(checkedHosts(settings(inputs))).toEqual(hosts);
  });
});

describe('startAccessCheck', () => {
  it('with no images, resolves to nothing and sends nothing', async () => {
    const rt = fakeRuntime();
    const s = settings({ registry: icr.host });
    expect(await startAccessCheck(rt, s, new Map([[icr.host, API_KEY]]), TOKENS)).toBeUndefined();
    expect(icr.seen).toEqual([]);
  });

  it('asks ICR’s API with IAM’s token and account, the entitled registry only with its key', async () => {
    const rt = fakeRuntime();
    const entitled = settings({
      registry: icr.host,
      // team/app has no host: ICR's hosts check it, the entitled registry never does.
      images: `team/app, ${cp.host}/cp/app`,
      access: 'pull',
      'entitlement-key': ENTITLEMENT,
      'entitled-registry': cp.host,
    });
    const credentials = new Map([
      [icr.host, API_KEY],
      [cp.host, entitledCredential(ENTITLEMENT)],
    ]);
    const report = await startAccessCheck(rt, entitled, credentials, TOKENS);
    expect(report!.rows.map((r) => `${r.host}/${r.image.repository} ${r.found}`)).toEqual([
      `${icr.host}/team/app can pull`,
      `${cp.host}/cp/app can pull`,
    ]);
    const api = (peer: Peer) => peer.seen.filter((x) => x.url.pathname.startsWith('/api/'));
    expect(api(icr).map((x) => [x.headers.authorization, x.headers.account])).toEqual([[`Bearer ${TOKENS.accessToken}`, TOKENS.accountId]]);
    expect(api(cp)).toEqual([]);
    expect(requestsOf(cp, 'token')[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`cp:${ENTITLEMENT}`).toString('base64')}`);
  });

  it.each<[string, IamTokens | undefined]>([
    ['no tokens (IAM out of reach)', undefined],
    ['tokens without an account', { ...TOKENS, accountId: undefined }],
  ])('with %s, asks no API', async (_what, tokens) => {
    const rt = fakeRuntime();
    const s = settings({ registry: icr.host, images: 'team/app', 'create-namespace': 'true' });
    const report = await startAccessCheck(rt, s, new Map([[icr.host, API_KEY]]), tokens);
    expect(report!.rows.map((r) => r.ok)).toEqual([true]);
    expect(icr.seen.filter((x) => x.url.pathname.startsWith('/api/'))).toEqual([]);
  });
});

describe('finishAccessCheck', () => {
  const image = (repository: string): Image => ({ namespace: repository.split('/')[0]!, name: 'app', repository });
  const row = (host: string, repository: string, line?: string): CheckRow => ({
    host,
    image: image(repository),
    ok: line === undefined,
    found: line === undefined ? 'can push' : 'denied',
    line,
  });
  const report = (...rows: CheckRow[]): AccessReport => ({ rows, quotas: new Map() });
  const s = () => settings({ region: 'us-south,eu-de', images: 'team/app, other/app' });

  it('without a report, sets nothing', () => {
    const rt = fakeRuntime();
    finishAccessCheck(rt, s(), undefined);
    expect(rt.outputs).toEqual({});
    expect(rt.infos).toEqual([]);
  });

  it('when all passed, outputs them in host order and says so', () => {
    const rt = fakeRuntime();
    finishAccessCheck(rt, s(), report(row('de.icr.io', 'team/app'), row('us.icr.io', 'team/app'), row('us.icr.io', 'other/app')));
    expect(rt.outputs).toEqual({ images: 'us.icr.io/team/app,us.icr.io/other/app,de.icr.io/team/app' });
    expect(rt.infos).toEqual(['The key can push to us.icr.io/team/app, us.icr.io/other/app, de.icr.io/team/app.']);
  });

  it('fails with one line per distinct mistake, the last saying what becomes of the logins; outputs what passed', () => {
    const rt = fakeRuntime();
    const refused = 'us.icr.io refused the credentials.';
    const error = (() => {
      try {
        finishAccessCheck(
          rt,
          s(),
          report(
            row('us.icr.io', 'team/app', refused),
            row('us.icr.io', 'other/app', refused),
            row('de.icr.io', 'team/app'),
            row('de.icr.io', 'other/app', 'Denied.'),
          ),
        );
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).title).toBe('images');
    expect((error as UserError).lines).toEqual([refused, 'Denied. The logins succeeded; the post step logs them out.']);
    expect(rt.outputs).toEqual({ images: 'de.icr.io/team/app' });
    expect(rt.infos).toEqual([]);
  });
});

describe('the login step with images', () => {
  let home: string;
  let iam: IamStub;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'icr-unit-access-'));
    iam = await startIamStub();
  });
  afterEach(async () => {
    await iam.stop();
    await rm(home, { recursive: true, force: true });
  });

  async function login(inputs: Record<string, string>) {
    const clients = await fakeClients(['docker']);
    const env = { PATH: clients.dir, HOME: home, RUNNER_TEMP: join(home, 'runner-temp') };
    const rt = fakeRuntime({ inputs: { 'api-key': KEY, 'iam-endpoint': iam.url, clients: 'docker', registry: icr.host, ...inputs }, env });
    const result = await loginStep(rt);
    await rm(clients.dir, { recursive: true, force: true });
    return { rt, result };
  }

  it('passes, outputs the images and says what the key can do', async () => {
    const { rt, result } = await login({ images: 'team/app', access: 'pull' });
    expect(rt.failures).toEqual([]);
    expect(result).toBe('ok');
    expect(rt.outputs['images']).toBe(`${icr.host}/team/app`);
    expect(rt.infos).toContain(`The key can pull from ${icr.host}/team/app.`);
    expect(rt.summaries[0]).toContain('| `team/app` | ✅ can pull |');
  });

  it('fails after the logins when a check is denied, and keeps the logins for post', async () => {
    answerAsIcr(icr, { push: { status: 403, body: errors('DENIED', 'requested access to the resource is denied') } });
    const { rt, result } = await login({ images: 'team/app' });
    expect(result).toBe('failed');
    expect(rt.failures).toEqual([
      {
        message: expect.stringMatching(
          /^Push to \S+\/team\/app was denied \(HTTP 403: DENIED: .*The logins succeeded; the post step logs them out\.$/,
        ),
        title: 'images',
      },
    ]);
    expect(rt.outputs['images']).toBe('');
    expect(readState(rt).logins.map((l) => [l.host, l.ended])).toEqual([[icr.host, 'logged-in']]);
  });
});
