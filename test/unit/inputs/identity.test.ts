// Input identity and the inputs that go with it: each value's form, and the rules between them, each
// mistake a line of its own before any request.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_METADATA_ENDPOINT,
  parseIdentity,
  parseMetadataEndpoint,
  parseProfileRef,
  parseTokenFile,
} from '../../../src/inputs/identity.ts';
import { readSettings } from '../../../src/inputs/read.ts';
import { UserError } from '../../../src/lib/errors.ts';

const ID = 'Profile-1a2b3c4d-5e6f-4a1b-9c8d-0123456789ab';
const CRN = `crn:v1:bluemix:public:iam-identity::a/0123456789abcdef0123456789abcdef::profile:${ID}`;
const KEY = 'k'.repeat(44);

/** readSettings over these inputs; the UserError it throws, or the settings. */
function read(inputs: Record<string, string>): { settings?: ReturnType<typeof readSettings>; error?: UserError; masked: string[] } {
  const masked: string[] = [];
  try {
    return {
      settings: readSettings(
        (n) => inputs[n] ?? '',
        (s) => masked.push(s),
        'no key',
      ),
      masked,
    };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { error, masked };
  }
}

describe('identity', () => {
  it.each([
    ['', 'api-key'],
    ['api-key', 'api-key'],
    [' VPC ', 'vpc'],
    ['container', 'container'],
  ])('%j is %s', (value, kind) => expect(parseIdentity(value)).toBe(kind));

  it('refuses anything else, with the nearest choice', () => {
    expect(() => parseIdentity('vcp')).toThrow('Input identity must be one of api-key, vpc, container, not "vcp". Did you mean "vpc"?');
  });
});

describe('trusted-profile of a compute identity', () => {
  it('takes an ID (as IAM writes it), a CRN, and with container a name', () => {
    expect(parseProfileRef(` ${ID.toLowerCase()} `, false)).toEqual({ by: 'id', value: ID });
    expect(parseProfileRef(CRN, false)).toEqual({ by: 'crn', value: CRN });
    expect(parseProfileRef('ci-runner', true)).toEqual({ by: 'name', value: 'ci-runner' });
    expect(parseProfileRef('CI runner (pushes)', true)).toEqual({ by: 'name', value: 'CI runner (pushes)' });
    expect(parseProfileRef('  ', true)).toBeUndefined();
  });

  it('holds what starts like an ID or a CRN to that form, so a typo is not taken for a name', () => {
    expect(() => parseProfileRef('Profile-1a2b', true)).toThrow(/is not a trusted profile ID; it looks like Profile-1a2b3c4d-…/);
    expect(() => parseProfileRef('crn:v1:bluemix:public:iam-identity::a/acc::serviceid:ServiceId-1', true)).toThrow(
      /is not the CRN of a trusted profile/,
    );
    expect(() => parseProfileRef(`${CRN}:extra`, true)).toThrow(/is not the CRN of a trusted profile/);
  });

  it('refuses a name where the metadata service takes only an ID or a CRN', () => {
    expect(() => parseProfileRef('ci-runner', false)).toThrow(
      /is neither a trusted profile ID nor a CRN, the two ways the metadata service takes one .*; a profile's name works only with identity container\.$/,
    );
  });
});

describe('metadata-endpoint', () => {
  it.each([
    ['', DEFAULT_METADATA_ENDPOINT],
    ['http://169.254.169.254/', 'http://169.254.169.254'],
    ['http://api.metadata.cloud.ibm.com', 'http://api.metadata.cloud.ibm.com'],
    ['https://api.metadata.cloud.ibm.com', 'https://api.metadata.cloud.ibm.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://[fe80::a9fe:a9fe]', 'http://[fe80::a9fe:a9fe]'],
    ['https://metadata.example.com/base/', 'https://metadata.example.com/base'],
  ])('%j is %s', (value, url) => expect(parseMetadataEndpoint(value)).toBe(url));

  it.each([
    ['http://metadata.example.com', /must use https unless it is the instance's own link-local address/],
    ['http://169.254.169.254.example.com', /must use https/],
    ['ftp://169.254.169.254', /is not an http or https URL/],
    ['169.254.169.254', /is not an http or https URL/],
    ['http://169.254.169.254/?version=1', /without credentials, query or fragment/],
    ['http://user:pw@169.254.169.254', /without credentials, query or fragment/],
  ])('refuses %j', (value, message) => {
    expect(() => parseMetadataEndpoint(value)).toThrow(message);
  });
});

describe('cr-token-file', () => {
  it('is a path as given, or undefined for the default order', () => {
    expect(parseTokenFile('  ./token ')).toBe('./token');
    expect(parseTokenFile('')).toBeUndefined();
    expect(() => parseTokenFile('/a\nb')).toThrow(/holds control characters/);
  });
});

describe('the inputs together', () => {
  it('vpc: no key, the clients get the token (bearer), the default endpoint and profile', () => {
    const { settings } = read({ identity: 'vpc', 'auth-type': 'apikey' });
    expect(settings).toMatchObject({
      identity: { kind: 'vpc', metadataEndpoint: DEFAULT_METADATA_ENDPOINT, profile: undefined },
      apiKey: '',
      authType: 'bearer',
      trustedProfile: undefined,
    });
  });

  it('container: the profile by name, the token file, no missing-key refusal', () => {
    const { settings } = read({
      identity: 'container',
      'trusted-profile': 'ci-runner',
      'cr-token-file': '/t/token',
      'auth-type': 'bearer',
    });
    expect(settings).toMatchObject({
      identity: { kind: 'container', tokenFile: '/t/token', profile: { by: 'name', value: 'ci-runner' } },
      authType: 'bearer',
    });
  });

  it('api-key keeps today’s behaviour: an ID only, with auth-type apikey only', () => {
    expect(read({ 'api-key': KEY, 'trusted-profile': ID }).settings).toMatchObject({ identity: { kind: 'api-key' }, trustedProfile: ID });
    expect(read({ 'api-key': KEY, 'trusted-profile': CRN }).error?.message).toMatch(/is not a trusted profile ID/);
    expect(read({ 'api-key': KEY, 'trusted-profile': ID, 'auth-type': 'bearer' }).error?.message).toMatch(
      /works only with auth-type apikey/,
    );
    expect(read({}).error?.message).toBe('no key');
  });

  it('a key and auth-type refresh with a compute identity: each its own line, the key masked all the same', () => {
    const { error, masked } = read({ identity: 'vpc', 'api-key': ` ${KEY}\n`, 'auth-type': 'refresh' });
    expect(error?.lines).toEqual([
      "An API key was given, but identity vpc logs in with none (the virtual server's trusted profile is the identity); drop the key, or use identity api-key.",
      'auth-type refresh does not work with identity vpc: its IAM token comes without a refresh token, so the clients get the token itself (what apikey and bearer both mean here); remove auth-type.',
    ]);
    expect(error?.title).toBe('identity');
    expect(masked).toContain(KEY);
    expect(error?.lines.join(' ')).not.toContain(KEY);
  });

  it('a key file pasted with a compute identity: every string of it masked, none kept', () => {
    const file = JSON.stringify({ name: 'ci', apikey: KEY });
    const { error, masked } = read({ identity: 'container', 'api-key': file, 'trusted-profile': ID });
    expect(error?.lines).toHaveLength(1);
    expect(masked).toContain(KEY);
  });

  it('inputs of the other identity are refused, one line each', () => {
    expect(read({ 'api-key': KEY, 'metadata-endpoint': 'http://169.254.169.254' }).error?.lines).toEqual([
      'Input metadata-endpoint works only with identity vpc; remove it, or set identity vpc.',
    ]);
    expect(read({ identity: 'vpc', 'cr-token-file': '/t' }).error?.lines).toEqual([
      'Input cr-token-file works only with identity container; remove it, or set identity container.',
    ]);
    const both = read({ identity: 'container', 'metadata-endpoint': 'x', 'trusted-profile': 'Profile-x' }).error;
    expect(both?.lines).toEqual([
      'Input metadata-endpoint works only with identity vpc; remove it, or set identity vpc.',
      'Input trusted-profile "Profile-x" is not a trusted profile ID; it looks like Profile-1a2b3c4d-… (IAM > Trusted profiles > Details).',
    ]);
    expect(both?.title).toBe('identity');
  });

  it('container needs a trusted profile', () => {
    const { error } = read({ identity: 'container' });
    expect(error?.lines).toEqual([
      "Identity container needs input trusted-profile: the ID, CRN or name of the trusted profile whose compute-resource rule trusts this pod's service account.",
    ]);
    expect(error?.title).toBe('trusted-profile');
  });

  it('a bad metadata-endpoint is its own line beside the others', () => {
    const { error } = read({ identity: 'vpc', 'metadata-endpoint': 'http://example.com', 'trusted-profile': 'name' });
    expect(error?.lines).toHaveLength(2);
    expect(error?.lines[0]).toMatch(/^Input trusted-profile "name" is neither/);
    expect(error?.lines[1]).toMatch(/^Input metadata-endpoint "http:\/\/example.com" must use https/);
  });
});
