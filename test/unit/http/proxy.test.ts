// The proxy decision alone, as a table: which variable counts for which URL, and what NO_PROXY lets
// through direct (the rules undici's EnvHttpProxyAgent applied before).
import { describe, expect, it } from 'vitest';
import { bypassesProxy, nodeReachesProxies, proxyFor, type Env } from '../../../src/http/proxy.ts';

const P = 'http://proxy.corp:3128/';
const Q = 'http://other.corp:8080/';

describe('proxyFor', () => {
  it.each<[string, string, Env, string | undefined]>([
    ['no variable: direct', 'https://us.icr.io/v2/', {}, undefined],
    ['HTTPS_PROXY for https', 'https://us.icr.io/v2/', { HTTPS_PROXY: P }, P],
    ['https_proxy for https', 'https://us.icr.io/v2/', { https_proxy: P }, P],
    ['the lower-case one wins when both are set', 'https://us.icr.io/v2/', { HTTPS_PROXY: Q, https_proxy: P }, P],
    ['HTTP_PROXY for https when HTTPS_PROXY is unset', 'https://us.icr.io/v2/', { HTTP_PROXY: P }, P],
    ['HTTP_PROXY for https when HTTPS_PROXY is blank', 'https://us.icr.io/v2/', { HTTPS_PROXY: ' ', http_proxy: P }, P],
    ['HTTPS_PROXY before HTTP_PROXY for https', 'https://us.icr.io/v2/', { HTTPS_PROXY: P, HTTP_PROXY: Q }, P],
    ['HTTP_PROXY alone for http', 'http://127.0.0.1:8080/', { HTTPS_PROXY: Q, HTTP_PROXY: P }, P],
    ['HTTPS_PROXY is not for http', 'http://127.0.0.1:8080/', { HTTPS_PROXY: Q }, undefined],
    ['a bare host:port is http://', 'https://us.icr.io/v2/', { HTTPS_PROXY: 'proxy.corp:3128' }, P],
    ['an https:// proxy stays https://', 'https://us.icr.io/v2/', { HTTPS_PROXY: 'https://proxy.corp' }, 'https://proxy.corp/'],
    ['NO_PROXY lists the host', 'https://us.icr.io/v2/', { HTTPS_PROXY: P, NO_PROXY: 'us.icr.io' }, undefined],
    ['no_proxy wins over NO_PROXY', 'https://us.icr.io/v2/', { HTTPS_PROXY: P, NO_PROXY: 'us.icr.io', no_proxy: 'de.icr.io' }, P],
  ])('%s', (_name, url, env, expected) => {
    expect(proxyFor(new URL(url), env)?.href).toBe(expected);
  });

  it.each(['socks5://127.0.0.1:1080', 'http://', 'ftp://proxy.corp'])('%s is one sentence that does not repeat the value', (value) => {
    expect(() => proxyFor(new URL('https://us.icr.io/'), { HTTPS_PROXY: value })).toThrow(
      /^HTTPS_PROXY is not a proxy URL icr-login can use; set it to http:\/\/host:port \(or https:\/\/\), or unset it\.$/,
    );
  });

  it('an unusable proxy variable does not matter for a host NO_PROXY sends direct', () => {
    expect(proxyFor(new URL('https://us.icr.io/'), { HTTPS_PROXY: 'socks5://x', NO_PROXY: '*' })).toBeUndefined();
  });
});

describe('bypassesProxy (NO_PROXY)', () => {
  it.each<[string, string, boolean]>([
    ['', 'https://us.icr.io/', false],
    ['*', 'https://us.icr.io/', true],
    ['none.invalid, *', 'https://us.icr.io/', true],
    ['us.icr.io', 'https://us.icr.io/', true],
    ['US.ICR.IO', 'https://us.icr.io/', true],
    ['us.icr.io.', 'https://us.icr.io/', true],
    ['us.icr.io', 'https://us.icr.io./', true],
    // A name covers its subdomains, with or without a leading dot; *. only the subdomains.
    ['icr.io', 'https://us.icr.io/', true],
    ['.icr.io', 'https://us.icr.io/', true],
    ['.icr.io', 'https://icr.io/', true],
    ['*.icr.io', 'https://us.icr.io/', true],
    ['*.icr.io', 'https://icr.io/', false],
    ['icr.io', 'https://noticr.io/', false],
    ['us.icr.io', 'https://de.icr.io/', false],
    // Commas, spaces or both between entries.
    ['a.example b.example,us.icr.io', 'https://us.icr.io/', true],
    [' a.example ,  us.icr.io ', 'https://us.icr.io/', true],
    // A port narrows an entry to it; the URL's port is its scheme's default when it names none.
    ['us.icr.io:443', 'https://us.icr.io/', true],
    ['us.icr.io:8443', 'https://us.icr.io/', false],
    ['us.icr.io:80', 'http://us.icr.io/', true],
    ['127.0.0.1:5000', 'https://127.0.0.1:5000/', true],
    ['127.0.0.1:5000', 'https://127.0.0.1:5001/', false],
    ['*:443', 'https://us.icr.io/', true],
    ['*:80', 'https://us.icr.io/', false],
    // IPv6: bare or bracketed, a port only in brackets.
    ['::1', 'https://[::1]:8443/', true],
    ['[::1]', 'https://[::1]:8443/', true],
    ['[::1]:8443', 'https://[::1]:8443/', true],
    ['[::1]:9443', 'https://[::1]:8443/', false],
  ])('NO_PROXY=%j for %s: %s', (noProxy, url, expected) => {
    expect(bypassesProxy(new URL(url), noProxy)).toBe(expected);
  });
});

describe('nodeReachesProxies', () => {
  it.each<[string, boolean]>([
    ['22.19.0', false],
    ['22.20.0', false],
    ['22.21.0', true],
    ['v22.23.5', true],
    ['23.11.0', false],
    ['24.4.1', false],
    ['24.5.0', true],
    ['24.22.3', true],
    ['25.0.0', true],
  ])('Node %s: %s', (version, expected) => {
    expect(nodeReachesProxies(version)).toBe(expected);
  });
});
