// The only place inputs are read. Masks the key first, then validates everything into Settings.
import { UserError } from '../lib/errors.ts';
import { maskable, parseApiKey } from './apikey.ts';
import {
  parseAuthType,
  parseBoolean,
  parseChoice,
  parseClients,
  parseIamEndpoint,
  parseRegistries,
  parseTimeout,
  parseTrustedProfile,
} from './parse.ts';
import { resolveRegions } from './regions.ts';
import { ACCESS_KINDS, parseImages } from './images.ts';
import { splitList } from '../lib/text.ts';
import { ENTITLED_USERNAME, parseEntitledRegistry, parseEntitlementKey, type EntitledLogin } from './entitled.ts';
import { INPUT, type Settings } from './settings.ts';

export type InputReader = (name: string) => string;

/**
 * Reads and validates every input. `mask` is called on every secret before anything else happens,
 * so no later message can print one. `missingKeyMessage` is the host's own advice for an empty key
 * (GitHub's is about forks; the terminal's about environment variables).
 */
export function readSettings(read: InputReader, mask: (secret: string) => void, missingKeyMessage: string): Settings {
  // Both secrets masked before either is parsed, so not even a refusal of one can print the other.
  const rawEntitlementKey = read(INPUT.entitlementKey);
  for (const s of maskable(rawEntitlementKey)) mask(s);
  const apiKey = parseApiKeyMasked(read(INPUT.apiKey), mask);
  const entitled = readEntitled(rawEntitlementKey, read(INPUT.entitledRegistry));
  const missingKey = parseChoice(INPUT.missingKey, read(INPUT.missingKey), ['fail', 'skip'] as const, 'fail');
  if (apiKey === '' && !entitled && missingKey === 'fail') {
    throw new UserError(missingKeyMessage, 'api-key');
  }

  const privateEndpoint = parseBoolean(INPUT.privateEndpoint, read(INPUT.privateEndpoint), false);
  const registry = read(INPUT.registry);
  const regionInput = read(INPUT.region);
  let hosts: string[];
  if (registry.trim() !== '') {
    if (privateEndpoint) {
      throw new UserError(
        'Inputs registry and private-endpoint cannot be used together; for a private registry host, list it in registry and drop private-endpoint.',
        'registry',
      );
    }
    hosts = parseRegistries(registry);
  } else {
    hosts = resolveRegions(splitList(regionInput.trim() === '' ? 'us-south' : regionInput), privateEndpoint);
  }

  const authType = parseAuthType(read(INPUT.authType));
  const trustedProfile = parseTrustedProfile(read(INPUT.trustedProfile));
  if (trustedProfile && authType !== 'apikey') {
    throw new UserError(
      `Input trusted-profile works only with auth-type apikey (ICR takes the service ID key for the profile), not with ${authType}.`,
      'trusted-profile',
    );
  }

  const images = parseImages(read(INPUT.images));
  if (entitled) refuseEntitledMixups(entitled, apiKey === '' ? [] : hosts, images.length > 0);

  return {
    apiKey,
    // Without an api-key only the entitled registry is logged in: ICR's hosts need the key.
    hosts: apiKey === '' ? [] : hosts,
    clients: parseClients(read(INPUT.clients)),
    authType,
    trustedProfile,
    iamEndpoint: parseIamEndpoint(read(INPUT.iamEndpoint), privateEndpoint),
    privateEndpoint,
    logout: parseBoolean(INPUT.logout, read(INPUT.logout), true),
    isolate: parseBoolean(INPUT.isolate, read(INPUT.isolate), false),
    timeoutSeconds: parseTimeout(read(INPUT.timeout)),
    missingKey,
    images,
    access: parseChoice(INPUT.access, read(INPUT.access), ACCESS_KINDS, 'push'),
    createNamespace: parseBoolean(INPUT.createNamespace, read(INPUT.createNamespace), false),
    entitled,
  };
}

/** The entitled registry's login, when entitlement-key is set (masked by then). */
function readEntitled(rawKey: string, registry: string): EntitledLogin | undefined {
  const key = parseEntitlementKey(rawKey);
  const host = parseEntitledRegistry(registry);
  return key === '' ? undefined : { host, key };
}

/** The entitled registry is no ICR host, and ICR's hosts are what images are checked on. */
function refuseEntitledMixups(entitled: EntitledLogin, hosts: readonly string[], images: boolean): void {
  if (hosts.includes(entitled.host)) {
    throw new UserError(
      `Registry ${entitled.host} is the entitled registry, which entitlement-key logs in to as ${ENTITLED_USERNAME}; remove it from input registry.`,
      INPUT.registry,
    );
  }
  if (images && hosts.length === 0) {
    throw new UserError(
      `Input images is checked on ICR's registries with the api-key, which is empty, so only the entitled registry ${entitled.host} is logged in; set api-key, or leave images empty.`,
      INPUT.images,
    );
  }
}

function parseApiKeyMasked(raw: string, mask: (secret: string) => void): string {
  // Mask the raw value before parsing, so even a rejected key cannot be printed.
  for (const s of maskable(raw)) mask(s);
  const parsed = parseApiKey(raw);
  for (const s of parsed.secrets) mask(s);
  return parsed.key;
}
