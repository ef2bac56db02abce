// The validated, typed form of the inputs. Shared by the action and the CLI.
/** The clients that are programs found on PATH, in the order `auto` takes them. */
export const PROCESS_CLIENTS = ['docker', 'podman', 'buildah', 'skopeo'] as const;
/** With docker-config, the action writes docker's config.json itself: for tools that read it but have no login of their own. */
export const CLIENT_NAMES = [...PROCESS_CLIENTS, 'docker-config'] as const;
export type ClientName = (typeof CLIENT_NAMES)[number];

import type { AccessKind, Image } from './images.ts';
import type { Identity } from './identity.ts';
import type { EntitledLogin } from './entitled.ts';

export const AUTH_TYPES = ['apikey', 'bearer', 'refresh'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export interface Settings {
  /** How this login proves who it is; every kind but api-key leaves `apiKey` empty and `authType` bearer. */
  readonly identity: Identity;
  /** The API key, trimmed; empty when `missingKey` is `skip` and none was given, or with a compute identity. */
  readonly apiKey: string;
  /** ICR's registry hosts (the api-key's), in order, without duplicates; empty when only the entitled registry is logged in. */
  readonly hosts: readonly string[];
  readonly clients: readonly ClientName[] | 'auto';
  readonly authType: AuthType;
  /** The profile an API key logs in as (identity api-key); a compute identity's profile is in `identity`. */
  readonly trustedProfile: string | undefined;
  readonly iamEndpoint: string;
  readonly privateEndpoint: boolean;
  readonly logout: boolean;
  readonly isolate: boolean;
  readonly timeoutSeconds: number;
  readonly missingKey: 'fail' | 'skip';
  /** Repositories whose access is checked on every host; empty: no check. */
  readonly images: readonly Image[];
  readonly access: AccessKind;
  readonly createNamespace: boolean;
  /** IBM's entitled registry and its key, when entitlement-key is set. */
  readonly entitled: EntitledLogin | undefined;
}

/** Input names, one place, so the action, the CLI and the tests agree. */
export const INPUT = {
  apiKey: 'api-key',
  region: 'region',
  registry: 'registry',
  privateEndpoint: 'private-endpoint',
  clients: 'clients',
  authType: 'auth-type',
  trustedProfile: 'trusted-profile',
  iamEndpoint: 'iam-endpoint',
  logout: 'logout',
  isolate: 'isolate',
  timeout: 'timeout',
  missingKey: 'missing-key',
  images: 'images',
  access: 'access',
  createNamespace: 'create-namespace',
  identity: 'identity',
  metadataEndpoint: 'metadata-endpoint',
  crTokenFile: 'cr-token-file',
  entitlementKey: 'entitlement-key',
  entitledRegistry: 'entitled-registry',
} as const;

export const OUTPUT = {
  registry: 'registry',
  registries: 'registries',
  clients: 'clients',
  accountId: 'account-id',
  expiresAt: 'expires-at',
  loggedIn: 'logged-in',
  dockerConfig: 'docker-config',
  authFile: 'auth-file',
  images: 'images',
} as const;
