// Which proxy a request goes through, decided from the environment the caller hands in (the step's
// Runtime env, never process.env): HTTPS_PROXY for https (HTTP_PROXY when it is unset or empty),
// HTTP_PROXY for http, and the hosts NO_PROXY lists go direct. Each name in either case, the lower-case
// one winning when both are set. These are the rules of undici's EnvHttpProxyAgent, which decided
// before this module did, so a runner's settings mean what they meant.
import { UserError } from '../lib/errors.ts';

/** An environment as the Runtime holds it. */
export type Env = Readonly<Record<string, string | undefined>>;

const read = (env: Env, name: string): string | undefined => env[name.toLowerCase()] ?? env[name];

const unbracket = (host: string): string => host.replace(/^\[(.+)\]$/, '$1');

/** A NO_PROXY entry: `*`, `name`, `.name` (the name and its subdomains), `*.name` (subdomains only), each with an optional `:port`. */
function matches(entry: string, host: string, port: number): boolean {
  // An IPv6 entry carries a port only in brackets; a bare one has colons that are not a port.
  const withPort = /^\[(.+)\]:(\d+)$/.exec(entry) ?? (entry.split(':').length === 2 ? /^(.+):(\d+)$/.exec(entry) : null);
  if (withPort && Number(withPort[2]) !== port) return false;
  const name = unbracket(withPort?.[1] ?? entry).toLowerCase();
  if (name === '*') return true;
  const domain = name.replace(/^\*?\./, '').replace(/(.)\.$/, '$1');
  return (!name.startsWith('*') && host === domain) || host.endsWith(`.${domain}`);
}

/** Whether NO_PROXY sends a request to this URL direct. */
export function bypassesProxy(url: URL, noProxy: string): boolean {
  const host = unbracket(url.hostname)
    .replace(/(.)\.$/, '$1')
    .toLowerCase();
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => matches(entry, host, port));
}

/** The proxy's URL; a bare `host:port` means http://host:port, as curl and the clients' Go read it. */
function proxyUrl(value: string, name: string): URL {
  const url = URL.parse(/^[a-z][a-z\d+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  // The value itself is not repeated: a proxy URL may carry a password.
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new UserError(`${name} is not a proxy URL icr-login can use; set it to http://host:port (or https://), or unset it.`, 'proxy');
  }
  return url;
}

/** The proxy for a request to `url`, or undefined for a direct one. */
export function proxyFor(url: URL, env: Env): URL | undefined {
  const https = url.protocol === 'https:';
  const name = https && read(env, 'HTTPS_PROXY')?.trim() ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const value = read(env, name)?.trim();
  if (!value || bypassesProxy(url, read(env, 'NO_PROXY') ?? '')) return undefined;
  return proxyUrl(value, name);
}

/** Node's own proxy support (an Agent's proxyEnv) came in 22.21 and 24.5. */
export function nodeReachesProxies(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major >= 25 || (major === 24 && minor >= 5) || (major === 22 && minor >= 21);
}
