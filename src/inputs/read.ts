// The only place inputs are read. Masks every secret first, then validates everything into Settings.
import { UserError } from '../lib/errors.ts';
import { maskable, parseApiKey } from './apikey.ts';
import { parseRegistries } from './hosts.ts';
import { parseAuthType, parseBoolean, parseChoice, parseClients, parseIamEndpoint, parseTimeout } from './parse.ts';
import { parseIdentity } from './identity.ts';
import { checkIdentity } from './identity-check.ts';
import { resolveRegions } from './regions.ts';
import { ACCESS_KINDS, imageHosts, parseImages } from './images.ts';
import { splitList } from '../lib/text.ts';
import { ENTITLED_USERNAME, parseEntitledRegistry, parseEntitlementKey, type EntitledLogin } from './entitled.ts';
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
  const rawEntitlementKey = read(INPUT.entitlementKey);
  // Both secrets masked before either is parsed, so not even a refusal of one can print the other.
  for (const s of [...maskable(rawEntitlementKey), ...maskable(rawKey)]) mask(s);
  const kind = parseIdentity(read(INPUT.identity));
  const apiKey = kind === 'api-key' ? parseApiKeyMasked(rawKey, mask) : maskedAway(rawKey, mask);
  const entitled = readEntitled(rawEntitlementKey, read(INPUT.entitledRegistry));
  const missingKey = parseChoice(INPUT.missingKey, read(INPUT.missingKey), ['fail', 'skip'] as const, 'fail');
  if (kind === 'api-key' && apiKey === '' && !entitled && missingKey === 'fail') {
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
  const access = parseChoice(INPUT.access, read(INPUT.access), ACCESS_KINDS, 'push');
  const images = parseImages(read(INPUT.images), { registries: registries ?? [], privateEndpoint, entitled: entitled?.host, access });
  // Without an api-key (and no compute identity) only the entitled registry is logged in: ICR's hosts need an identity.
  const icr = kind !== 'api-key' || apiKey !== '';
  const hosts = icr ? loginHosts(registries, read(INPUT.region), imageHosts(images, entitled?.host), privateEndpoint) : [];
  if (entitled) refuseEntitledMixups(entitled, hosts, icr, images);

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
    access,
    createNamespace: parseBoolean(INPUT.createNamespace, read(INPUT.createNamespace), false),
    entitled,
  };
}

/**
 * The hosts to log in to: those of registry, or of region, and every ICR host images names. region's
 * default (us-south) applies only when neither registry nor region is given and images names no host:
 * `images: de.icr.io/team/app` alone logs in to de.icr.io, not to us.icr.io as well.
 */
function loginHosts(registries: string[] | undefined, region: string, fromImages: readonly string[], privateEndpoint: boolean): string[] {
  const named = registries ?? (region.trim() !== '' ? resolveRegions(splitList(region), privateEndpoint) : undefined);
  const base = named ?? (fromImages.length > 0 ? [] : resolveRegions([DEFAULT_REGION], privateEndpoint));
  return [...new Set([...base, ...fromImages])];
}

/** The entitled registry's login, when entitlement-key is set (masked by then). */
function readEntitled(rawKey: string, registry: string): EntitledLogin | undefined {
  const key = parseEntitlementKey(rawKey);
  const host = parseEntitledRegistry(registry);
  return key === '' ? undefined : { host, key };
}

/**
 * The entitled registry is no ICR host; an image without a host is checked on ICR's hosts, which need
 * an identity (an image naming the entitled registry is checked there, with the entitlement key).
 */
function refuseEntitledMixups(entitled: EntitledLogin, hosts: readonly string[], icr: boolean, images: Settings['images']): void {
  if (hosts.includes(entitled.host)) {
    throw new UserError(
      `Registry ${entitled.host} is the entitled registry, which entitlement-key logs in to as ${ENTITLED_USERNAME}; remove it from input registry.`,
      INPUT.registry,
    );
  }
  if (!icr && images.some((i) => i.host !== entitled.host)) {
    throw new UserError(
      `Input images names images on ICR's registries, which need the api-key, and it is empty, so only the entitled registry ${entitled.host} is logged in; set api-key, or list only images of ${entitled.host}.`,
      INPUT.images,
    );
  }
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

/**
 * Post's reading of the inputs: the runner hands it the inputs again, and each secret among them is
 * masked and kept from the logouts' environment in every form (a key file's strings too), whether or
 * not it would pass main's checks.
 */
export function readPostSecrets(read: InputReader): string[] {
  const raw = read(INPUT.apiKey);
  let key: readonly string[];
  try {
    key = parseApiKey(raw).secrets;
  } catch {
    key = maskable(raw);
  }
  return [...key, ...maskable(read(INPUT.entitlementKey))];
}
