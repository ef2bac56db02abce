// The CLI speaks of itself, not of GitHub: no post step, no "this step", no pull requests from forks.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cliRuntime } from '../../../src/cli/terminal.ts';
import { loginStep } from '../../../src/steps/login/step.ts';
import { fakeClients } from '../../fakes/clients.ts';
import { startIamStub, type IamStub } from '../../fakes/iam-stub.ts';

const KEY = 'unit-test-api-key-0123456789abcdefghijkl';
const GITHUB_ONLY = /post step|this step|this job|pull requests? from forks|\bpost\b/i;

const dirs: string[] = [];
let iam: IamStub | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await iam?.stop();
  iam = undefined;
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** Runs the login step as the CLI does and returns every line it printed. */
async function cliLogin(inputs: Record<string, string>, home: string, path: string): Promise<string> {
  const printed: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true));
  const env = { PATH: path, HOME: home, RUNNER_TEMP: join(home, 'tmp') };
  await loginStep(cliRuntime({ 'api-key': KEY, 'iam-endpoint': iam?.url ?? '', ...inputs }, env, false));
  return printed.join('');
}

describe('the CLI’s words', () => {
  it('name icr-login logout where the action names its post step', async () => {
    iam = await startIamStub();
    const home = await mkdtemp(join(tmpdir(), 'icr-unit-words-'));
    dirs.push(home);
    const clients = await fakeClients(['docker'], { docker: ['de.icr.io'] });
    dirs.push(clients.dir);
    // An earlier login to us.icr.io, kept aside and put back by the logout.
    await mkdir(join(home, '.docker'), { recursive: true });
    await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({ auths: { 'us.icr.io': { auth: 'dXNlcjpwYXNzd29yZA==' } } }));
    const printed = await cliLogin({ region: 'us-south,eu-de', clients: 'docker' }, home, clients.dir);
    expect(printed).toContain('had before this login; `icr-login logout` puts them back.');
    expect(printed).toContain('The logins that succeeded are logged out by `icr-login logout`.');
    expect(printed).not.toMatch(GITHUB_ONLY);
  });

  it('say nothing of forks when an empty key is skipped', async () => {
    const home = await mkdtemp(join(tmpdir(), 'icr-unit-words-'));
    dirs.push(home);
    const printed = await cliLogin({ 'api-key': '', 'missing-key': 'skip' }, home, '');
    expect(printed).toContain('The API key is empty and --missing-key is skip, so no client was logged in.');
    expect(printed).not.toMatch(GITHUB_ONLY);
  });
});
