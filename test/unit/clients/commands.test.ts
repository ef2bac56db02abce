import { describe, expect, it } from 'vitest';
import { errorLine, loginArgs, notLoggedIn } from '../../../src/clients/commands.ts';
import { childEnv } from '../../../src/clients/process.ts';

describe('client commands', () => {
  it('puts every flag before the host and no secret on argv', () => {
    expect(loginArgs('iamapikey', 'us.icr.io')).toEqual(['login', '--username', 'iamapikey', '--password-stdin', 'us.icr.io']);
  });

  it.each([
    ['Error: logging into "h": invalid username/password\n', 'logging into "h": invalid username/password'],
    [
      'WARNING: something\nError response from daemon: Get "https://h/v2/": unauthorized: bad\n',
      'Error response from daemon: Get "https://h/v2/": unauthorized: bad',
    ],
    ['', 'no error message'],
  ])('finds the error line in %j', (stderr, line) => expect(errorLine(stderr, '')).toBe(line));

  it('knows "not logged in" answers', () => {
    expect(notLoggedIn('Error: not logged into us.icr.io')).toBe(true);
    expect(notLoggedIn('Error: permission denied')).toBe(false);
  });

  it('drops secret inputs and any variable holding a secret from a child env', () => {
    const env = childEnv(
      { PATH: '/bin', 'INPUT_API-KEY': 'k', OTHER: 'has-secret-value-inside', KEEP: 'x' },
      ['INPUT_API-KEY'],
      ['secret-value'],
    );
    expect(env).toEqual({ PATH: '/bin', KEEP: 'x' });
  });
});
