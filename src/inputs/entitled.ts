// IBM's entitled registry (docs/icr.md#ibms-entitled-registry): IBM software images, pulled with
// username `cp` and an entitlement key; no IAM. Reading its two inputs. Pure.
import { UserError } from '../lib/errors.ts';
import { INPUT } from './settings.ts';
import { parseRegistryHost } from './hosts.ts';

/** The username every entitlement key logs in with. */
export const ENTITLED_USERNAME = 'cp';

/** IBM's entitled registry; `cp.stg.icr.io` is its staging twin. */
export const ENTITLED_REGISTRY = 'cp.icr.io';

export interface EntitledLogin {
  /** The entitled registry's host. */
  readonly host: string;
  /** The entitlement key, trimmed. */
  readonly key: string;
}

/**
 * The entitlement key as given: trimmed, one unbroken word. An entitlement key is a JWT (unlike an API
 * key, whose JWT shape means a token was pasted), so that shape is fine here. Empty: none.
 */
export function parseEntitlementKey(raw: string): string {
  const key = raw.trim();
  if (/[\s\u0000-\u001f\u007f]/.test(key)) {
    throw new UserError(
      'Input entitlement-key contains whitespace or control characters inside the key; an entitlement key is one unbroken word, so check the secret for a stray paste.',
      INPUT.entitlementKey,
    );
  }
  return key;
}

/** The entitled registry's host: `cp.icr.io` when empty, else one valid host. */
export function parseEntitledRegistry(value: string): string {
  if (value.trim() === '') return ENTITLED_REGISTRY;
  return parseRegistryHost(value, { noun: 'Entitled registry', input: INPUT.entitledRegistry });
}
