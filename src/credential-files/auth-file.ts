// The `auths` map that docker's config.json and the containers auth.json share. Pure.
import { UserError } from '../lib/errors.ts';
import { parseJsonObject } from '../lib/json.ts';
import { describeOffset, jsonErrorOffset } from '../lib/json-error.ts';

export interface AuthFile {
  auths?: Record<string, Record<string, unknown>>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * A credentials file a client is about to rewrite. One that is not a JSON object is refused: docker
 * would silently replace it, and whatever it held would be gone. Empty (or missing) reads as empty, as
 * the clients read it. The error points at the fault without quoting the file, which may hold secrets.
 */
export function parseAuthFileOrRefuse(text: string | undefined, path: string): AuthFile {
  if (!text || text.trim() === '') return {};
  const offset = jsonErrorOffset(text);
  const parsed = offset === -1 ? parseJsonObject(text) : undefined;
  if (parsed) return parsed as AuthFile;
  const where = offset === -1 ? 'it holds JSON that is not an object' : `it breaks at ${describeOffset(text, offset)}`;
  throw new UserError(
    `The credentials file ${path} is not valid JSON (${where}); fix or remove it. icr-login changed nothing and ran no client.`,
    'credentials file',
  );
}

/**
 * The keys a logout of `host` removes: docker's removes `HOST`, `https://HOST` and `http://HOST` (the
 * legacy forms it still matches), podman, buildah and skopeo remove `HOST`. Forms with a path
 * (`https://HOST/v1/`) survive every logout, so they need no keeping aside.
 */
export const registryKeys = (host: string): string[] => [host, `https://${host}`, `http://${host}`];

/**
 * The credential helper that holds `host`'s secret, if the file delegates it to one: docker honours
 * `credHelpers` and `credsStore`; containers/image (`containers-auth.json(5)`) only `credHelpers`.
 */
export function helperFor(file: AuthFile, host: string, { credsStore = true } = {}): string | undefined {
  const specific = file.credHelpers?.[host];
  if (typeof specific === 'string' && specific) return specific;
  return credsStore && typeof file.credsStore === 'string' && file.credsStore ? file.credsStore : undefined;
}

/** Puts an entry back (or removes it, for `undefined`), leaving every other key as it is. */
export function withEntry(file: AuthFile, host: string, entry: Record<string, unknown> | undefined): AuthFile {
  const auths = { ...(file.auths ?? {}) };
  if (entry) auths[host] = entry;
  else delete auths[host];
  return { ...file, auths };
}

/**
 * What podman, buildah and skopeo drop when they rewrite a file (containers/image keeps `auths` and
 * `credHelpers` alone: docs/icr.md#which-file-each-client-reads-and-writes): docker's `credsStore` and its settings (`psFormat`…).
 */
export const keysContainersDrop = (file: AuthFile): string[] => Object.keys(file).filter((k) => k !== 'auths' && k !== 'credHelpers');
