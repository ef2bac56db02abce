// Registry hosts as inputs name them (registry, entitled-registry, a full reference's host): a host or
// host:port, https implied, nothing else. Pure.
import { UserError } from '../lib/errors.ts';
import { quote, splitList } from '../lib/text.ts';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function validHostname(name: string): boolean {
  const ip = IPV4.exec(name);
  if (ip) return ip.slice(1).every((o) => Number(o) <= 255);
  if (name.startsWith('[') && name.endsWith(']')) return /^\[[0-9a-f:.]+\]$/.test(name) && name.includes(':');
  return name.length <= 253 && name.split('.').every((label) => LABEL.test(label));
}

/** Which input a host comes from, for its messages. */
export interface HostInput {
  readonly noun: string;
  readonly input: string;
}

/** One registry host (`host` or `host:port`), tolerating `https://` and a trailing slash. */
export function parseRegistryHost(value: string, { noun, input }: HostInput = { noun: 'Registry', input: 'registry' }): string {
  let v = value.trim().toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//.exec(v);
  if (scheme) {
    if (scheme[1] !== 'https') {
      throw new UserError(
        `${noun} ${quote(value)} uses ${scheme[1]}://; registries are reached over https, so give the host alone.`,
        input,
      );
    }
    v = v.slice(scheme[0].length);
  }
  v = v.replace(/\/+$/, '');
  if (v.includes('/')) {
    throw new UserError(
      `${noun} ${quote(value)} has a path; give the host alone (like us.icr.io), and the namespace in your image names.`,
      input,
    );
  }
  if (v.includes('@')) throw new UserError(`${noun} ${quote(value)} must not carry credentials; give the host alone.`, input);
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(v);
  const host = m?.[1] ?? '';
  const port = m?.[2];
  if (!m || !validHostname(host) || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
    throw new UserError(`${noun} ${quote(value)} is not a valid host or host:port.`, input);
  }
  return port === undefined ? host : `${host}:${port}`;
}

/** A list of registry hosts; a host named twice is an error, as it is almost always a typo. */
export function parseRegistries(value: string): string[] {
  const hosts = splitList(value).map((v) => parseRegistryHost(v));
  const dupe = hosts.find((h, i) => hosts.indexOf(h) !== i);
  if (dupe) throw new UserError(`Registry ${dupe} is listed twice in input registry; list each host once.`, 'registry');
  return hosts;
}
