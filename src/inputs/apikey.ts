// Reading the api-key input: what people paste, and what we refuse. Pure.
import { UserError } from '../lib/errors.ts';

export interface ApiKey {
  /** The key itself; empty when none was given. */
  readonly key: string;
  /** Everything to mask: the key, and every string of a pasted key file. */
  readonly secrets: readonly string[];
}

const JWT = /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/;

/** Strings worth masking in a value as given: the whole, each line, each line trimmed. */
export function maskable(raw: string): string[] {
  const parts = [raw, raw.trim(), ...raw.split(/\r?\n/).map((l) => l.trim())];
  return [...new Set(parts.filter((p) => p.length >= 4))];
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * The key of a pasted key file, its field named in any case: `apikey` (`ibmcloud … --output json`),
 * `apiKey` (the console's apiKey.json), `Apikey` (Terraform's file): docs/icr.md#usernames.
 */
function keyField(file: unknown): string | undefined {
  if (!file || typeof file !== 'object' || Array.isArray(file)) return undefined;
  for (const [name, value] of Object.entries(file)) {
    if (name.toLowerCase() === 'apikey' && typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

export function parseApiKey(raw: string): ApiKey {
  const secrets = maskable(raw);
  let key = raw.trim();
  if (key === '') return { key: '', secrets: [] };

  // IBM Cloud offers the key as a JSON file when it is created; people paste that whole file.
  if (key.startsWith('{')) {
    let file: unknown;
    try {
      file = JSON.parse(key);
    } catch {
      throw new UserError(
        'Input api-key starts like a JSON key file but is not valid JSON; paste the file whole, or only its "apikey" value.',
        'api-key',
      );
    }
    secrets.push(...stringsIn(file).filter((s) => s.length >= 4));
    const inner = keyField(file);
    if (inner === undefined) {
      throw new UserError(
        'Input api-key is a JSON document without an API key field ("apikey" as ibmcloud writes it, "apiKey" as in the console\'s apiKey.json, or "Apikey" as Terraform writes it); paste such a key file whole, or the key alone.',
        'api-key',
      );
    }
    key = inner;
  }

  if (JWT.test(key)) {
    throw new UserError(
      'Input api-key holds a JWT (an IAM access token, by its shape), not an API key; store the API key itself in the secret. Access tokens expire within the hour.',
      'api-key',
    );
  }
  if (/[\s\u0000-\u001f\u007f]/.test(key)) {
    throw new UserError(
      'Input api-key contains whitespace or control characters inside the key; an IBM Cloud API key is one unbroken word, so check the secret for a stray paste.',
      'api-key',
    );
  }
  return { key, secrets: [...new Set([...secrets, key])] };
}
