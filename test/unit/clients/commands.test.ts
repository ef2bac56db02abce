import { describe, expect, it } from 'vitest';
import { badRequestFix, errorLine, loginArgs, notLoggedIn } from '../../../src/clients/commands.ts';
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
    [
      'time="t" level=info msg="Error logging in to endpoint, trying next endpoint" endpoint="{false http://h false}" error="Get \\"https://h/v2/\\": unknown: "\nGet "https://h/v2/": unknown: \n',
      'Get "https://h/v2/": unknown:',
    ],
    ['', 'no error message'],
  ])('finds the error line in %j', (stderr, line) => expect(errorLine(stderr, '')).toBe(line));

  it.each([
    ['authenticating creds for "h": Requesting bearer token: invalid status code from registry 400 (Bad Request)', true],
    ['Get "https://h:1/v2/": unknown: ', true],
    ['Get "https://h/v2/": unknown:', true],
    ['Error response from daemon: Get "https://h/v2/": unknown: ', true],
    ['logging into "h": invalid username/password', false],
    ['Get "https://h/v2/": unauthorized: bad', false],
    ['invalid status code from registry 4000', false],
  ])('reads ICR’s 400 for bad credentials in %j: %s', (line, refused) => {
    const fix = badRequestFix(line, 'api-key');
    expect(fix).toBe(
      refused ? ' (ICR answers 400 Bad Request for a username and password it does not accept: check the api-key secret)' : '',
    );
  });

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
