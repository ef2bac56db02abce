// The only place inputs are read. Masks the key first, then validates everything into Settings.
import { UserError } from '../lib/errors.ts';
import { maskable, parseApiKey } from './apikey.ts';
import { parseAuthType, parseBoolean, parseChoice, parseClients, parseIamEndpoint, parseRegistries, parseTimeout } from './parse.ts';
import { parseIdentity } from './identity.ts';
import { checkIdentity } from './identity-check.ts';
import { resolveRegions } from './regions.ts';
import { ACCESS_KINDS, imageHosts, parseImages } from './images.ts';
import { splitList } from '../lib/text.ts';
import { INPUT, type Settings } from './settings.ts';

export type InputReader = (name: string) => string;

/** The region logged in to when no input names a host. */
export const DEFAULT_REGION = 'us-south';

/**
 * Reads and validates every input. `mask` is called on every secret before anything else happens,
 * so no later message can print one. `missingKeyMessage` is the host's own advice for an empty key
 * (GitHub's is about forks; the terminal's about environment variables).
 */
export function readSettings(read: InputReader, mask: (secret: string) => void, missingKeyMessage: string): Settings {
  const rawKey = read(INPUT.apiKey);
  // Mask the raw value before anything, so even a rejected key cannot be printed.
  for (const s of maskable(rawKey)) mask(s);
  const kind = parseIdentity(read(INPUT.identity));
  const apiKey = kind === 'api-key' ? parseApiKeyMasked(rawKey, mask) : maskedAway(rawKey, mask);
  const missingKey = parseChoice(INPUT.missingKey, read(INPUT.missingKey), ['fail', 'skip'] as const, 'fail');
  if (kind === 'api-key' && apiKey === '' && missingKey === 'fail') {
    throw new UserError(missingKeyMessage, 'api-key');
  }

  const privateEndpoint = parseBoolean(INPUT.privateEndpoint, read(INPUT.privateEndpoint), false);
  const registry = read(INPUT.registry);
  if (registry.trim() !== '' && privateEndpoint) {
    throw new UserError(
      'Inputs registry and private-endpoint cannot be used together; for a private registry host, list it in registry and drop private-endpoint.',
      'registry',
    );
  }
  const registries = registry.trim() === '' ? undefined : parseRegistries(registry);
  const images = parseImages(read(INPUT.images), { registries: registries ?? [], privateEndpoint });
  const hosts = loginHosts(registries, read(INPUT.region), imageHosts(images), privateEndpoint);

  const authType = parseAuthType(read(INPUT.authType));
  const { identity, trustedProfile } = checkIdentity({
    kind,
    apiKey: rawKey,
    authType,
    trustedProfile: read(INPUT.trustedProfile),
    metadataEndpoint: read(INPUT.metadataEndpoint),
    crTokenFile: read(INPUT.crTokenFile),
  });

  return {
    identity,
    apiKey,
    hosts,
    clients: parseClients(read(INPUT.clients)),
    // A compute identity hands the clients its IAM token: apikey (the runner's default) and bearer both mean that.
    authType: kind === 'api-key' ? authType : 'bearer',
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
  };
}

/**
 * The hosts to log in to: those of registry, or of region, and every host images names. region's
 * default (us-south) applies only when neither registry nor region is given and images names no host:
 * `images: de.icr.io/team/app` alone logs in to de.icr.io, not to us.icr.io as well.
 */
function loginHosts(registries: string[] | undefined, region: string, fromImages: readonly string[], privateEndpoint: boolean): string[] {
  const named = registries ?? (region.trim() !== '' ? resolveRegions(splitList(region), privateEndpoint) : undefined);
  const base = named ?? (fromImages.length > 0 ? [] : resolveRegions([DEFAULT_REGION], privateEndpoint));
  return [...new Set([...base, ...fromImages])];
}

function parseApiKeyMasked(raw: string, mask: (secret: string) => void): string {
  const parsed = parseApiKey(raw);
  for (const s of parsed.secrets) mask(s);
  return parsed.key;
}

/** A key a compute identity does not use: every part of it masked all the same, and none kept. */
function maskedAway(raw: string, mask: (secret: string) => void): string {
  try {
    parseApiKeyMasked(raw, mask);
  } catch {
    // Refused below in any case: a compute identity takes no key at all.
  }
  return '';
}
