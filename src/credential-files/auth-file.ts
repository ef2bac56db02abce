// The `auths` map that docker's config.json and the containers auth.json share. Pure.
import { parseJsonObject } from '../lib/json.ts';

export interface AuthFile {
  auths?: Record<string, Record<string, unknown>>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

export function parseAuthFile(text: string | undefined): AuthFile {
  return (parseJsonObject(text) as AuthFile | undefined) ?? {};
}

/** The docker credential helper that holds `host`'s secret, if docker delegates it to one. */
export function helperFor(file: AuthFile, host: string): string | undefined {
  const specific = file.credHelpers?.[host];
  if (typeof specific === 'string' && specific) return specific;
  return typeof file.credsStore === 'string' && file.credsStore ? file.credsStore : undefined;
}

/** Puts an entry back (or removes it, for `undefined`), leaving every other key as it is. */
export function withEntry(file: AuthFile, host: string, entry: Record<string, unknown> | undefined): AuthFile {
  const auths = { ...(file.auths ?? {}) };
  if (entry) auths[host] = entry;
  else delete auths[host];
  return { ...file, auths };
}
