import { describe, expect, it } from 'vitest';
import {
  parseAuthType,
  parseBoolean,
  parseClients,
  parseIamEndpoint,
  parseTimeout,
  parseTrustedProfile,
} from '../../../src/inputs/parse.ts';
import { parseRegistries, parseRegistryHost } from '../../../src/inputs/hosts.ts';
import { splitList } from '../../../src/lib/text.ts';

describe('lists', () => {
  it.each([
    ['us-south', ['us-south']],
    ['us-south,eu-de', ['us-south', 'eu-de']],
    ['us-south, eu-de', ['us-south', 'eu-de']],
    ['us-south eu-de', ['us-south', 'eu-de']],
    ['us-south\neu-de\n', ['us-south', 'eu-de']],
    ['\n  us-south ,\r\n eu-de,,', ['us-south', 'eu-de']],
    ['', []],
  ])('%j splits into %j', (input, expected) => {
    expect(splitList(input)).toEqual(expected);
  });
});

describe('booleans', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['yes', true],
    ['1', true],
    ['on', true],
    ['false', false],
    ['False', false],
    ['no', false],
    ['0', false],
    ['off', false],
  ])('%s is %s', (input, expected) => {
    expect(parseBoolean('logout', input, !expected)).toBe(expected);
  });
  it('falls back when empty', () => expect(parseBoolean('logout', ' ', true)).toBe(true));
  it('rejects anything else by name', () => {
    expect(() => parseBoolean('logout', 'maybe', true)).toThrow('Input logout must be true or false, not "maybe".');
  });
});

describe('clients', () => {
  it.each([
    ['', 'auto'],
    ['auto', 'auto'],
    ['AUTO', 'auto'],
    ['docker', ['docker']],
    ['podman, buildah\nskopeo', ['podman', 'buildah', 'skopeo']],
    ['docker docker', ['docker']],
    ['docker-config, podman', ['docker-config', 'podman']],
  ])('%j is %j', (input, expected) => {
    expect(parseClients(input)).toEqual(expected);
  });
  it('rejects an unknown client with a suggestion', () => {
    expect(() => parseClients('docker, podmn')).toThrow(/Unknown client "podmn".*Did you mean "podman"\?/);
  });
  it('rejects auto mixed with names', () => {
    expect(() => parseClients('auto, docker')).toThrow(/either auto or a list/);
  });
  it('rejects docker with docker-config: both write docker’s config.json', () => {
    expect(() => parseClients('docker-config docker')).toThrow(
      /^Input clients names docker and docker-config, which both write docker's config.json; /,
    );
  });
});

describe('auth type', () => {
  it.each(['apikey', 'bearer', 'refresh'])('%s is accepted', (t) => expect(parseAuthType(t.toUpperCase())).toBe(t));
  it('defaults to apikey', () => expect(parseAuthType('')).toBe('apikey'));
  it('suggests the nearest', () => expect(() => parseAuthType('api-key')).toThrow(/Did you mean "apikey"\?/));
});

describe('registry hosts', () => {
  it.each([
    ['us.icr.io', 'us.icr.io'],
    ['US.ICR.IO', 'us.icr.io'],
    ['https://us.icr.io', 'us.icr.io'],
    ['https://us.icr.io/', 'us.icr.io'],
    ['registry.ng.bluemix.net', 'registry.ng.bluemix.net'],
    ['127.0.0.1:5000', '127.0.0.1:5000'],
    ['localhost:443', 'localhost:443'],
    ['[::1]:5000', '[::1]:5000'],
  ])('%s is %s', (input, expected) => expect(parseRegistryHost(input)).toBe(expected));

  it.each([
    ['us.icr.io/my-namespace', /has a path/],
    ['http://us.icr.io', /uses http:\/\//],
    ['ftp://us.icr.io', /uses ftp:\/\//],
    ['user:pw@us.icr.io', /credentials|not a valid host/],
    ['us..icr.io', /not a valid host/],
    ['-bad.icr.io', /not a valid host/],
    ['us.icr.io:0', /not a valid host/],
    ['us.icr.io:70000', /not a valid host/],
    ['999.0.0.1', /not a valid host/],
    ['us_icr.io', /not a valid host/],
  ])('%s is refused', (input, message) => expect(() => parseRegistryHost(input)).toThrow(message));

  it('reads a list and refuses a duplicate', () => {
    expect(parseRegistries('us.icr.io, de.icr.io')).toEqual(['us.icr.io', 'de.icr.io']);
    expect(() => parseRegistries('us.icr.io https://us.icr.io/')).toThrow('Registry us.icr.io is listed twice');
  });
});

describe('iam endpoint', () => {
  it('defaults to public, or private with private-endpoint', () => {
    expect(parseIamEndpoint('', false)).toBe('https://iam.cloud.ibm.com');
    expect(parseIamEndpoint('', true)).toBe('https://private.iam.cloud.ibm.com');
  });
  it('takes a base URL without its trailing slash', () => {
    expect(parseIamEndpoint('https://iam.test.cloud.ibm.com/', false)).toBe('https://iam.test.cloud.ibm.com');
    expect(parseIamEndpoint('http://127.0.0.1:8080', false)).toBe('http://127.0.0.1:8080');
  });
  it('accepts a URL that already ends in the token path, as IBM SDKs do', () => {
    expect(parseIamEndpoint('https://iam.cloud.ibm.com/identity/token', false)).toBe('https://iam.cloud.ibm.com');
    expect(parseIamEndpoint('https://iam.cloud.ibm.com/identity/token/', false)).toBe('https://iam.cloud.ibm.com');
  });
  it.each([
    ['not a url', /is not a URL/],
    ['http://iam.cloud.ibm.com', /must use https/],
    ['https://u:p@iam.cloud.ibm.com', /plain base URL/],
  ])('%s is refused', (input, message) => expect(() => parseIamEndpoint(input, false)).toThrow(message));
});

describe('timeout and trusted profile', () => {
  it('reads seconds', () => {
    expect(parseTimeout('')).toBe(60);
    expect(parseTimeout('5')).toBe(5);
    expect(() => parseTimeout('0')).toThrow(/between 1 and 3600/);
    expect(() => parseTimeout('1m')).toThrow(/between 1 and 3600/);
    expect(() => parseTimeout('0.5')).toThrow(/between 1 and 3600/);
    expect(parseTimeout('1.5')).toBe(1.5);
  });
  it('reads a profile ID', () => {
    const id = 'Profile-1a2b3c4d-1111-2222-3333-444455556666';
    expect(parseTrustedProfile(` ${id.toLowerCase()} `)).toBe(id);
    expect(parseTrustedProfile('')).toBeUndefined();
    expect(() => parseTrustedProfile('my-profile')).toThrow(/not a trusted profile ID/);
  });
});
