// The entitled registry's inputs: the key masked before anything, a JWT accepted, the host validated;
// with api-key empty only the entitled registry, and every mix-up refused in one line.
import { describe, expect, it } from 'vitest';
import { ENTITLED_REGISTRY, parseEntitledRegistry, parseEntitlementKey } from '../../../src/inputs/entitled.ts';
import { readSettings } from '../../../src/inputs/read.ts';
import { UserError } from '../../../src/lib/errors.ts';

const API_KEY = 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG';
const ENTITLEMENT =
  'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJJQk0gTWFya2V0cGxhY2UiLCJpYXQiOjE3MDAwMDAwMDAsImp0aSI6IjAxMjM0NTY3ODkifQ.c2lnbmF0dXJlLW9mLXRoZS1rZXk';

function read(inputs: Record<string, string>) {
  const masked: string[] = [];
  const settings = readSettings(
    (name) => inputs[name] ?? '',
    (s) => masked.push(s),
    'no key',
  );
  return { settings, masked };
}

const refusal = (inputs: Record<string, string>): { message: string; title: string | undefined } => {
  try {
    read(inputs);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return { message: (error as UserError).message, title: (error as UserError).title };
  }
  throw new Error('accepted');
};

describe('entitlement-key and entitled-registry', () => {
  it('takes a JWT-shaped key as it is, trimmed; empty is none', () => {
    expect(parseEntitlementKey(`\n  ${ENTITLEMENT}\r\n`)).toBe(ENTITLEMENT);
    expect(parseEntitlementKey('  ')).toBe('');
  });

  it('refuses whitespace inside the key without echoing it', () => {
    expect(() => parseEntitlementKey(`${ENTITLEMENT.slice(0, 30)} ${ENTITLEMENT.slice(30)}`)).toThrow(
      /^Input entitlement-key contains whitespace or control characters inside the key/,
    );
    const message = ((): string => {
      try {
        return `accepted ${parseEntitlementKey(`${ENTITLEMENT}\u0007x`)}`;
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/^Input entitlement-key contains whitespace/);
    expect(message).not.toContain(ENTITLEMENT.slice(0, 20));
  });

  it.each([
    ['', ENTITLED_REGISTRY],
    ['cp.stg.icr.io', 'cp.stg.icr.io'],
    ['https://CP.ICR.IO/', 'cp.icr.io'],
    ['127.0.0.1:5443', '127.0.0.1:5443'],
  ])('entitled-registry %j is %s', (value, host) => {
    expect(parseEntitledRegistry(value)).toBe(host);
  });

  it.each([
    ['cp.icr.io/cp', /^Entitled registry "cp\.icr\.io\/cp" has a path/],
    ['http://cp.icr.io', /^Entitled registry "http:\/\/cp\.icr\.io" uses http:\/\//],
    ['cp@cp.icr.io', /^Entitled registry "cp@cp\.icr\.io" must not carry credentials/],
    ['not a host', /^Entitled registry "not a host" is not a valid host/],
  ])('entitled-registry %j is refused under its own name', (value, message) => {
    expect(() => parseEntitledRegistry(value)).toThrow(message);
    expect(refusal({ 'api-key': API_KEY, 'entitlement-key': ENTITLEMENT, 'entitled-registry': value }).title).toBe('entitled-registry');
  });

  it('masks the entitlement key before anything, even when another input is refused', () => {
    const masked: string[] = [];
    expect(() =>
      readSettings(
        (name) => ({ 'entitlement-key': ` ${ENTITLEMENT} `, 'api-key': `${API_KEY} x`, region: 'nowhere' })[name] ?? '',
        (s) => masked.push(s),
        'no key',
      ),
    ).toThrow(/api-key contains whitespace/);
    expect(masked).toContain(ENTITLEMENT);
    expect(masked.indexOf(ENTITLEMENT)).toBeLessThan(masked.findIndex((m) => m.includes(API_KEY)));
  });

  it('beside an api-key: ICR’s hosts and the entitled registry', () => {
    const { settings, masked } = read({ 'api-key': API_KEY, region: 'us-south', 'entitlement-key': ENTITLEMENT });
    expect(settings.hosts).toEqual(['us.icr.io']);
    expect(settings.entitled).toEqual({ host: 'cp.icr.io', key: ENTITLEMENT });
    expect(masked).toEqual(expect.arrayContaining([API_KEY, ENTITLEMENT]));
  });

  it('alone: no ICR host, and no missing-key refusal', () => {
    const { settings } = read({ region: 'eu-de', 'entitlement-key': ENTITLEMENT, 'entitled-registry': 'cp.stg.icr.io' });
    expect(settings.apiKey).toBe('');
    expect(settings.hosts).toEqual([]);
    expect(settings.entitled).toEqual({ host: 'cp.stg.icr.io', key: ENTITLEMENT });
  });

  it('without either key: the host’s missing-key message, as before', () => {
    expect(refusal({ 'entitled-registry': 'cp.icr.io' })).toEqual({ message: 'no key', title: 'api-key' });
    expect(read({ 'missing-key': 'skip' }).settings.entitled).toBeUndefined();
  });

  it('refuses the entitled registry listed in registry, and images with the entitlement key alone', () => {
    expect(refusal({ 'api-key': API_KEY, registry: 'us.icr.io,cp.icr.io', 'entitlement-key': ENTITLEMENT })).toEqual({
      message: 'Registry cp.icr.io is the entitled registry, which entitlement-key logs in to as cp; remove it from input registry.',
      title: 'registry',
    });
    expect(refusal({ images: 'team/app', 'entitlement-key': ENTITLEMENT })).toEqual({
      message:
        "Input images names images on ICR's registries, which need the api-key, and it is empty, so only the entitled registry cp.icr.io is logged in; set api-key, or list only images of cp.icr.io.",
      title: 'images',
    });
    // Without an entitlement key, cp.icr.io in registry is a host like any other.
    expect(read({ 'api-key': API_KEY, registry: 'cp.icr.io' }).settings.hosts).toEqual(['cp.icr.io']);
  });
});

describe('images on the entitled registry', () => {
  const CP = 'cp.icr.io/cp/ibm-mq/mq:9';

  it('are checked there with access pull, and never add the entitled registry to ICR’s hosts', () => {
    const alone = read({ 'entitlement-key': ENTITLEMENT, images: CP, access: 'pull' }).settings;
    expect(alone.hosts).toEqual([]);
    expect(alone.images).toEqual([{ host: 'cp.icr.io', namespace: 'cp', name: 'ibm-mq/mq', repository: 'cp/ibm-mq/mq' }]);
    const beside = read({
      'api-key': API_KEY,
      'entitlement-key': ENTITLEMENT,
      images: `${CP} us.icr.io/team/app`,
      access: 'pull',
    }).settings;
    expect(beside.hosts).toEqual(['us.icr.io']);
    expect(beside.images.map((i) => i.host)).toEqual(['cp.icr.io', 'us.icr.io']);
  });

  it.each([
    [{ 'entitlement-key': ENTITLEMENT, images: CP }, /is on the entitled registry cp\.icr\.io, which only pulls; set access: pull/],
    [{ images: CP, access: 'pull', 'api-key': API_KEY }, /names "cp\.icr\.io", which is neither an ICR domain/],
    [
      { 'entitlement-key': ENTITLEMENT, images: `${CP} team/app`, access: 'pull' },
      /names images on ICR's registries, which need the api-key/,
    ],
    // ICR's namespace rule (4 to 30 characters) is ICR's: IBM's cp/ passes on the entitled registry only.
    [{ 'api-key': API_KEY, images: 'us.icr.io/cp/app' }, /Namespace "cp" of image "us\.icr\.io\/cp\/app" breaks ICR's rules/],
  ])('refuses %j in one line', (inputs, message) => {
    expect(refusal(inputs as Record<string, string>)).toMatchObject({ message: expect.stringMatching(message), title: 'images' });
  });
});
