// Pure parsers for single inputs. Each either returns a value or throws one UserError sentence.
import { UserError } from '../lib/errors.ts';
import { didYouMean, quote, splitList } from '../lib/text.ts';
import { DEFAULT_TIMEOUT_SECONDS } from '../lib/limits.ts';
import { AUTH_TYPES, CLIENT_NAMES, type AuthType, type ClientName } from './settings.ts';

const TRUE = ['true', 'yes', 'on', '1'];
const FALSE = ['false', 'no', 'off', '0'];

export function parseBoolean(name: string, value: string, fallback: boolean): boolean {
  const v = value.trim().toLowerCase();
  if (v === '') return fallback;
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  throw new UserError(`Input ${name} must be true or false, not ${quote(value)}.`, name);
}

export function parseChoice<T extends string>(name: string, value: string, choices: readonly T[], fallback: T): T {
  const v = value.trim().toLowerCase();
  if (v === '') return fallback;
  if ((choices as readonly string[]).includes(v)) return v as T;
  throw new UserError(`Input ${name} must be one of ${choices.join(', ')}, not ${quote(value)}.${didYouMean(v, choices)}`, name);
}

export function parseAuthType(value: string): AuthType {
  return parseChoice('auth-type', value, AUTH_TYPES, 'apikey');
}

export function parseClients(value: string): ClientName[] | 'auto' {
  const names = splitList(value.toLowerCase());
  if (names.length === 0 || (names.length === 1 && names[0] === 'auto')) return 'auto';
  if (names.includes('auto')) throw new UserError('Input clients takes either auto or a list of clients, not both.', 'clients');
  const seen = new Set<ClientName>();
  for (const name of names) {
    if (!(CLIENT_NAMES as readonly string[]).includes(name)) {
      throw new UserError(
        `Unknown client ${quote(name)} in input clients.${didYouMean(name, CLIENT_NAMES)} Valid clients: auto, ${CLIENT_NAMES.join(', ')}.`,
        'clients',
      );
    }
    seen.add(name as ClientName);
  }
  // Both write docker's config.json: one run never has two writers of the same entry.
  if (seen.has('docker') && seen.has('docker-config')) {
    throw new UserError(
      "Input clients names docker and docker-config, which both write docker's config.json; name docker (its own login) or docker-config (the file written without docker), or use auto, which takes docker where it is on PATH and docker-config where it is not.",
      'clients',
    );
  }
  return [...seen];
}

export function parseTimeout(value: string): number {
  const v = value.trim();
  if (v === '') return DEFAULT_TIMEOUT_SECONDS;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(n) || n < 1 || n > 3600) {
    throw new UserError(`Input timeout must be a number of seconds between 1 and 3600, not ${quote(value)}.`, 'timeout');
  }
  return n;
}

export function parseIamEndpoint(value: string, privateEndpoint: boolean): string {
  const v = value.trim();
  if (v === '') return privateEndpoint ? 'https://private.iam.cloud.ibm.com' : 'https://iam.cloud.ibm.com';
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new UserError(`Input iam-endpoint ${quote(value)} is not a URL; give one like https://iam.cloud.ibm.com.`, 'iam-endpoint');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new UserError(
      `Input iam-endpoint ${quote(value)} must use https (http is allowed only for 127.0.0.1 and localhost).`,
      'iam-endpoint',
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new UserError(
      `Input iam-endpoint ${quote(value)} must be a plain base URL, without credentials, query or fragment.`,
      'iam-endpoint',
    );
  }
  // IBM's SDKs accept a base URL that already ends in the token path, and strip it; so do we.
  return url.href.replace(/\/+$/, '').replace(/\/identity\/token$/, '');
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

const PROFILE_ID = /^profile-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `Profile-…` as IAM writes it, or undefined when `value` is no trusted profile ID. */
export function profileId(value: string): string | undefined {
  return PROFILE_ID.test(value) ? `Profile-${value.slice('profile-'.length)}` : undefined;
}

/** Input trusted-profile with identity api-key: ICR takes the profile's ID as the username, so only an ID. */
export function parseTrustedProfile(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  const id = profileId(v);
  if (!id) {
    throw new UserError(
      `Input trusted-profile ${quote(value)} is not a trusted profile ID; it looks like Profile-1a2b3c4d-… (IAM > Trusted profiles > Details).`,
      'trusted-profile',
    );
  }
  return id;
}
