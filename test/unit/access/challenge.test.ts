// WWW-Authenticate as registries send it: RFC 7235 auth-params, quoted or bare, and ICR's bare URL.
import { describe, expect, it } from 'vitest';
import { bearerChallenge, parseChallenges } from '../../../src/access/challenge.ts';

const REALM = 'https://cp.icr.io/oauth/token';

describe('the Bearer challenge', () => {
  it.each([
    ['Distribution’s quoted form', `Bearer realm="${REALM}",service="registry"`, { realm: REALM, service: 'registry' }],
    ['ICR’s bare form, a space after each comma', `Bearer realm=${REALM}, service=registry`, { realm: REALM, service: 'registry' }],
    [
      'bare, with a scope',
      `Bearer realm=${REALM}, service=registry, scope=repository:cp/ibm-mq/mq:pull`,
      { realm: REALM, service: 'registry', scope: 'repository:cp/ibm-mq/mq:pull' },
    ],
    [
      'a comma inside quotes',
      `Bearer realm="${REALM}",service="registry",scope="repository:ns/img:pull,push"`,
      { realm: REALM, service: 'registry', scope: 'repository:ns/img:pull,push' },
    ],
    ['bare and quoted mixed', `Bearer realm=${REALM},service="registry"`, { realm: REALM, service: 'registry' }],
    ['names in any case, scheme too', `BEARER Realm="${REALM}", SERVICE=registry`, { realm: REALM, service: 'registry' }],
    ['any order', `Bearer service=registry, realm=${REALM}`, { service: 'registry', realm: REALM }],
    ['whitespace around = and ,', `Bearer  realm = "${REALM}" ,\tservice =registry `, { realm: REALM, service: 'registry' }],
    ['quoted-pairs unescaped', 'Bearer realm="https://h/a\\"b", service="x\\\\y"', { realm: 'https://h/a"b', service: 'x\\y' }],
    ['a repeated name: the first counts', `Bearer realm=${REALM}, realm=https://evil/`, { realm: REALM }],
    [
      'after another challenge whose quoted value holds a comma',
      `Basic realm="a, b", Bearer realm="${REALM}",service=registry`,
      { realm: REALM, service: 'registry' },
    ],
    ['after a token68 challenge', `Negotiate abc==, Bearer realm=${REALM}`, { realm: REALM }],
    ['with an empty value beside it', `Bearer error="", realm=${REALM}`, { error: '', realm: REALM }],
    ['junk between params is skipped', `Bearer realm="${REALM}" junk, service=registry`, { realm: REALM, service: 'registry' }],
  ])('%s', (_what, header, params) => {
    expect(bearerChallenge(header)).toEqual(params);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['Basic only', 'Basic realm="registry"'],
    ['Bearer without a realm', 'Bearer service=registry'],
    ['Bearer with an empty realm', 'Bearer realm="", service=registry'],
    ['a scheme that only starts like Bearer', `Bearerx realm=${REALM}`],
    ['only commas and spaces', ' , ,, '],
  ])('none in %s', (_what, header) => {
    expect(bearerChallenge(header)).toBeUndefined();
  });

  it('reads every challenge of a header, in order, and never throws on junk', () => {
    expect(parseChallenges(`Basic realm="x", Bearer realm=${REALM}, service=registry, Negotiate`)).toEqual([
      { scheme: 'basic', params: { realm: 'x' } },
      { scheme: 'bearer', params: { realm: REALM, service: 'registry' } },
      { scheme: 'negotiate', params: {} },
    ]);
    for (const junk of ['"', '=', '==,==', 'Bearer realm="unterminated', '\u0000Bearer', ',,"a,b",Bearer realm=x', 'Bearer =x, =y']) {
      expect(() => parseChallenges(junk), junk).not.toThrow();
    }
    expect(bearerChallenge('Bearer realm="unterminated')).toEqual({ realm: 'unterminated' });
  });
});
