// Every refused input is reported with an annotation title naming that input.
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../../src/inputs/read.ts';
import { UserError } from '../../../src/lib/errors.ts';

const KEY = 'a'.repeat(44);

function titleOf(inputs: Record<string, string>): string | undefined {
  try {
    readSettings(
      (name) => ({ 'api-key': KEY, ...inputs })[name] ?? '',
      () => {},
      'no key',
    );
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as UserError).title;
  }
  throw new Error(`accepted ${JSON.stringify(inputs)}`);
}

describe('annotation titles', () => {
  it.each([
    [{ region: 'us-sooth' }, 'region'],
    [{ region: 'us-east' }, 'region'],
    [{ region: 'us-south, us-south' }, 'region'],
    [{ registry: 'http://us.icr.io' }, 'registry'],
    [{ registry: 'us.icr.io/ns' }, 'registry'],
    [{ registry: 'user@us.icr.io' }, 'registry'],
    [{ registry: 'bad host' + '!' }, 'registry'],
    [{ registry: 'us.icr.io us.icr.io' }, 'registry'],
    [{ registry: 'us.icr.io', 'private-endpoint': 'true' }, 'registry'],
    [{ 'private-endpoint': 'maybe' }, 'private-endpoint'],
    [{ clients: 'docker, auto' }, 'clients'],
    [{ clients: 'dockr' }, 'clients'],
    [{ 'auth-type': 'token' }, 'auth-type'],
    [{ 'trusted-profile': 'Profile-x', 'auth-type': 'bearer' }, 'trusted-profile'],
    [{ 'iam-endpoint': 'not a url' }, 'iam-endpoint'],
    [{ 'iam-endpoint': 'http://iam.example.com' }, 'iam-endpoint'],
    [{ logout: 'perhaps' }, 'logout'],
    [{ isolate: '2' }, 'isolate'],
    [{ timeout: '0' }, 'timeout'],
    [{ 'missing-key': 'ignore' }, 'missing-key'],
    [{ 'api-key': '{"apikey": 1' }, 'api-key'],
    [{ 'api-key': '{"name": "k"}' }, 'api-key'],
    [{ 'api-key': '' }, 'api-key'],
    [{ identity: 'vm' }, 'identity'],
    [{ identity: 'vpc' }, 'api-key'],
    [{ identity: 'vpc', 'api-key': '', 'auth-type': 'refresh' }, 'auth-type'],
    [{ identity: 'vpc', 'api-key': '', 'metadata-endpoint': 'http://example.com' }, 'metadata-endpoint'],
    [{ identity: 'vpc', 'api-key': '', 'trusted-profile': 'a-name' }, 'trusted-profile'],
    [{ identity: 'container', 'api-key': '' }, 'trusted-profile'],
    [{ identity: 'container', 'api-key': '', 'trusted-profile': 'p', 'cr-token-file': 'a\u0001' }, 'cr-token-file'],
    [{ 'cr-token-file': '/t' }, 'cr-token-file'],
  ])('%j is titled %s', (inputs, title) => {
    expect(titleOf(inputs)).toBe(title);
  });
});
