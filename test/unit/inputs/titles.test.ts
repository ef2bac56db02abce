// Every refused input is reported with an annotation title naming that input.
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../../src/inputs/read.ts';
import { UserError } from '../../../src/lib/errors.ts';

const KEY = 'a'.repeat(44);

function refusal(inputs: Record<string, string>): UserError {
  try {
    readSettings(
      (name) => ({ 'api-key': KEY, ...inputs })[name] ?? '',
      () => {},
      'no key',
    );
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error(`accepted ${JSON.stringify(inputs)}`);
}

const PROFILE = 'Profile-1a2b3c4d-1111-2222-3333-444455556666';

describe('annotation titles', () => {
  it.each([
    [{ region: 'us-sooth' }, 'region', /Unknown region "us-sooth"/],
    [{ region: 'us-east' }, 'region', /there is no us-east registry/],
    [{ region: 'us-south, us-south' }, 'region', /listed twice/],
    [{ registry: 'http://us.icr.io' }, 'registry', /uses http:\/\//],
    [{ registry: 'us.icr.io/ns' }, 'registry', /has a path/],
    [{ registry: 'user@us.icr.io' }, 'registry', /must not carry credentials/],
    [{ registry: 'bad host' + '!' }, 'registry', /is not a valid host/],
    [{ registry: 'us.icr.io us.icr.io' }, 'registry', /listed twice/],
    [{ registry: 'us.icr.io', 'private-endpoint': 'true' }, 'registry', /cannot be used together/],
    [{ 'private-endpoint': 'maybe' }, 'private-endpoint', /must be true or false/],
    [{ clients: 'docker, auto' }, 'clients', /either auto or a list/],
    [{ clients: 'dockr' }, 'clients', /Unknown client "dockr"/],
    [{ 'auth-type': 'token' }, 'auth-type', /must be one of apikey, bearer, refresh/],
    [{ 'trusted-profile': 'Profile-x' }, 'trusted-profile', /is not a trusted profile ID/],
    // A valid ID, so the row reaches the rule it names: a profile goes with auth-type apikey only.
    [{ 'trusted-profile': PROFILE, 'auth-type': 'bearer' }, 'trusted-profile', /works only with auth-type apikey/],
    [{ 'iam-endpoint': 'not a url' }, 'iam-endpoint', /is not a URL/],
    [{ 'iam-endpoint': 'http://iam.example.com' }, 'iam-endpoint', /must use https/],
    [{ logout: 'perhaps' }, 'logout', /must be true or false/],
    [{ isolate: '2' }, 'isolate', /must be true or false/],
    [{ timeout: '0' }, 'timeout', /between 1 and 3600/],
    [{ 'missing-key': 'ignore' }, 'missing-key', /must be one of fail, skip/],
    [{ 'api-key': '{"apikey": 1' }, 'api-key', /not valid JSON/],
    [{ 'api-key': '{"name": "k"}' }, 'api-key', /without an API key field/],
    [{ 'api-key': '' }, 'api-key', /^no key$/],
    [{ images: 'Team/App' }, 'images', /upper-case/],
    [{ access: 'write' }, 'access', /must be one of push, pull/],
    [{ 'create-namespace': 'sure' }, 'create-namespace', /must be true or false/],
    [{ identity: 'vm' }, 'identity', /must be one of api-key, vpc, container/],
    [{ identity: 'vpc' }, 'api-key', /identity vpc logs in with none/],
    [{ identity: 'vpc', 'api-key': '', 'auth-type': 'refresh' }, 'auth-type', /refresh does not work with identity vpc/],
    [{ identity: 'vpc', 'api-key': '', 'metadata-endpoint': 'http://example.com' }, 'metadata-endpoint', /must use https unless/],
    [{ identity: 'vpc', 'api-key': '', 'trusted-profile': 'a-name' }, 'trusted-profile', /works only with identity container/],
    [{ identity: 'container', 'api-key': '' }, 'trusted-profile', /needs input trusted-profile/],
    [
      { identity: 'container', 'api-key': '', 'trusted-profile': 'p', 'cr-token-file': 'a\u0001' },
      'cr-token-file',
      /holds control characters/,
    ],
    [{ 'cr-token-file': '/t' }, 'cr-token-file', /works only with identity container/],
  ])('%j is titled %s, for the rule it names', (inputs, title, rule) => {
    const error = refusal(inputs);
    expect(error.title).toBe(title);
    expect(error.message).toMatch(rule);
  });
});
