// The CLI's argv read into the action's input names, and every usage mistake refused in one sentence.
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../../src/cli/args.ts';
import { UserError } from '../../../src/lib/errors.ts';

const refused = (argv: string[]): string => {
  try {
    parseCli(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error(`parseCli accepted ${argv.join(' ')}`);
};

describe('parseCli', () => {
  it('logs in by default, with no inputs', () => {
    expect(parseCli([])).toEqual({
      command: 'login',
      inputs: {},
      apiKeyStdin: false,
      entitlementKeyStdin: false,
      keyFromEnv: true,
      quiet: false,
    });
  });

  it('maps each option to the input of the same name', () => {
    const { command, inputs } = parseCli([
      'login',
      '--region=us-south,eu-de',
      '--private-endpoint',
      '--auth-type',
      'bearer',
      '--trusted-profile',
      'Profile-1',
      '--iam-endpoint',
      'http://127.0.0.1:1',
      '--isolate',
      '--logout',
      'false',
      '--timeout',
      '9',
      '--missing-key',
      'skip',
    ]);
    expect(command).toBe('login');
    expect(inputs).toEqual({
      region: 'us-south,eu-de',
      'private-endpoint': 'true',
      'auth-type': 'bearer',
      'trusted-profile': 'Profile-1',
      'iam-endpoint': 'http://127.0.0.1:1',
      isolate: 'true',
      logout: 'false',
      timeout: '9',
      'missing-key': 'skip',
    });
  });

  it('joins --clients and --client, each repeatable, into one list', () => {
    expect(parseCli(['--clients', 'docker,podman', '--client', 'skopeo', '--client', 'buildah']).inputs['clients']).toBe(
      'docker,podman,skopeo,buildah',
    );
  });

  it('reads the flags that are not inputs', () => {
    expect(parseCli(['--api-key-stdin', '-q'])).toMatchObject({ apiKeyStdin: true, quiet: true });
    expect(parseCli(['logout', '--quiet'])).toMatchObject({ command: 'logout', quiet: true });
    expect(parseCli(['-h']).command).toBe('help');
    expect(parseCli(['--version']).command).toBe('version');
  });

  it.each([['--api-key', 'k'], ['--api-key=k'], ['--apikey', 'k'], ['--apikey=k']])('never takes the key from argv: %s', (...argv) => {
    const message = refused(argv);
    expect(message).toMatch(/^The API key is never taken from the command line/);
    expect(message).not.toContain('k ');
  });

  it('takes the entitled registry from argv, its key only from stdin or the environment', () => {
    expect(parseCli(['--entitled-registry', 'cp.stg.icr.io', '--entitlement-key-stdin'])).toMatchObject({
      inputs: { 'entitled-registry': 'cp.stg.icr.io' },
      entitlementKeyStdin: true,
      apiKeyStdin: false,
    });
    for (const argv of [['--entitlement-key', 'eyJ.k'], ['--entitlement-key=eyJ.k']]) {
      const message = refused(argv);
      expect(message).toMatch(/^The entitlement key is never taken from the command line.*IBM_ENTITLEMENT_KEY.*--entitlement-key-stdin/);
      expect(message).not.toContain('eyJ.k');
    }
    expect(refused(['--api-key-stdin', '--entitlement-key-stdin'])).toMatch(/^Only one key can come from stdin/);
    expect(refused(['logout', '--entitled-registry', 'cp.icr.io'])).toMatch(/takes no login options/);
  });

  it('names an unknown option, and an unknown command', () => {
    expect(refused(['--regoin', 'x'])).toBe('Unknown option --regoin (see icr-login --help).');
    expect(refused(['logn'])).toBe('Unknown command "logn"; use login or logout (see icr-login --help).');
    expect(refused(['login', 'extra'])).toMatch(/^Unknown command "login extra"/);
  });

  it('refuses an option that needs a value and got none', () => {
    expect(refused(['--region'])).toMatch(/\(see icr-login --help\)\.$/);
  });

  it('refuses login options on logout', () => {
    expect(refused(['logout', '--region', 'us-south'])).toBe(
      'icr-login logout takes no login options: it logs out what the last login recorded.',
    );
  });
});
