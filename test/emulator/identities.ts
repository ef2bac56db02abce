// The emulated IBM Cloud identities: one account, a user, a service ID, a pull-only service ID,
// and a trusted profile that trusts the service ID (and not the user).
import { randomBytes, randomUUID } from 'node:crypto';
import type { ApiKeyRecord } from './types.ts';

/** IBM Cloud API keys are 44 characters of base64url. */
export function newApiKey(): string {
  // Real keys may start with '-'; we avoid that so a key passed as a CLI argument in some test
  // cannot turn into an option and make that test fail one run in 32.
  for (;;) {
    const key = randomBytes(33).toString('base64url');
    if (!key.startsWith('-')) return key;
  }
}

export interface Identities {
  accountId: string;
  user: ApiKeyRecord;
  service: ApiKeyRecord;
  reader: ApiKeyRecord;
  profileId: string;
  /** iam_ids of service IDs the trusted profile trusts */
  profileTrusts: Set<string>;
  unknownKey: string;
  byKey: Map<string, ApiKeyRecord>;
  /** which actions a key's identity may be granted on repositories (IAM roles on container-registry) */
  allowedActions(record: ApiKeyRecord): string[];
}

export function makeIdentities(): Identities {
  const accountId = randomBytes(16).toString('hex');
  const user: ApiKeyRecord = {
    key: newApiKey(),
    iamId: `IBMid-${randomBytes(5).toString('hex').toUpperCase()}`,
    accountId,
    kind: 'user',
    name: 'ci-user@example.com',
  };
  const service: ApiKeyRecord = {
    key: newApiKey(),
    iamId: `iam-ServiceId-${randomUUID()}`,
    accountId,
    kind: 'serviceid',
    name: 'ci-pusher',
  };
  const reader: ApiKeyRecord = {
    key: newApiKey(),
    iamId: `iam-ServiceId-${randomUUID()}`,
    accountId,
    kind: 'serviceid',
    name: 'ci-reader',
  };
  const byKey = new Map([user, service, reader].map((r) => [r.key, r]));
  return {
    accountId,
    user,
    service,
    reader,
    profileId: `Profile-${randomUUID()}`,
    profileTrusts: new Set([service.iamId]),
    unknownKey: newApiKey(),
    byKey,
    allowedActions: (record) => (record.key === reader.key ? ['pull'] : ['pull', 'push', 'delete', '*']),
  };
}
