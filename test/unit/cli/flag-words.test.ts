// The CLI names the flags and variables its user types, never the action's inputs.
import { describe, expect, it } from 'vitest';
import { inCliWords } from '../../../src/cli/flag-words.ts';

describe('inCliWords', () => {
  it.each([
    [
      'Input timeout must be a number of seconds between 1 and 3600, not "abc".',
      '--timeout must be a number of seconds between 1 and 3600, not "abc".',
    ],
    ['check that the runner reaches us.icr.io, or raise input timeout.', 'check that the runner reaches us.icr.io, or raise --timeout.'],
    ['set isolate: true where jobs share a machine.', 'pass --isolate where jobs share a machine.'],
    ['set access: pull for it in a step of its own', 'pass --access pull for it in a step of its own'],
    ['or set input create-namespace: true', 'or pass --create-namespace'],
    ['Inputs registry and private-endpoint cannot be used together', '--registry and --private-endpoint cannot be used together'],
    ['Unknown client "dockr" in input clients.', 'Unknown client "dockr" in --clients.'],
    ['does not exist (input cr-token-file); mount', 'does not exist (--cr-token-file); mount'],
    ['Input api-key holds a JWT', 'The API key holds a JWT'],
    ['Input entitlement-key contains whitespace', 'The entitlement key contains whitespace'],
    ['check the api-key secret, and that the key still exists', 'check the API key, and that the key still exists'],
    [
      'check that the entitlement-key secret holds a current entitlement key',
      'check that the entitlement key holds a current entitlement key',
    ],
    ['set api-key, or list only images of cp.icr.io.', 'set IBMCLOUD_API_KEY, or list only images of cp.icr.io.'],
  ])('%s', (action, cli) => expect(inCliWords(action)).toBe(cli));

  it('leaves words that only look like inputs alone', () => {
    for (const line of [
      'The identity inputs could not be read.',
      'set REGISTRY_AUTH_FILE to a file of the containers tools',
      'an input named quux',
      'set quux: true',
    ]) {
      expect(inCliWords(line)).toBe(line);
    }
  });
});
