// The emulated IAM directory: two accounts, API keys with their policies and states, and trusted
// profiles (which may trust service IDs of another account).
import { randomBytes, randomUUID } from 'node:crypto';
import type { AccountInfo, AddKeyOptions, AddProfileOptions, ApiKeyRecord, KeyState, ProfileRecord, Subject } from './types.ts';
import { Restrictions } from './restrictions.ts';

/** IBM Cloud API keys are 44 characters of base64url. */
export function newApiKey(): string {
  // Real keys may start with '-'; we avoid that so a key passed as a CLI argument in some test
  // cannot turn into an option and make that test fail one run in 32.
  for (;;) {
    const key = randomBytes(33).toString('base64url');
    if (!key.startsWith('-')) return key;
  }
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
const newAccount = (): AccountInfo => ({ id: hex(16), resourceGroup: hex(16) });

/** Why IAM refuses a key, or the record of a key it takes. */
export type KeyRefusal = 'unknown' | 'disabled' | 'expired' | 'ipNotPermitted' | 'suspended';
export type KeyCheck = { record: ApiKeyRecord } | { refused: KeyRefusal };

export class Directory {
  readonly accounts = { main: newAccount(), other: newAccount() };
  /** resource group IDs per account */
  readonly resourceGroups = new Map<string, Set<string>>();
  private readonly keys = new Map<string, ApiKeyRecord>();
  private readonly profiles = new Map<string, ProfileRecord>();
  /** every key ever made, deleted ones included: all are secrets for the leak scan */
  readonly everyKey: string[] = [];
  readonly unknownKey = newApiKey();
  /** IAM's IP address access and Container Registry's context-based restrictions, per account */
  readonly restrictions = new Restrictions();

  constructor() {
    for (const a of Object.values(this.accounts)) this.resourceGroups.set(a.id, new Set([a.resourceGroup]));
  }

  /** The account by ID: only the two emulated ones exist. */
  accountOf(id: string): AccountInfo {
    const account = Object.values(this.accounts).find((a) => a.id === id);
    if (!account) throw new Error(`no emulated account ${id}: use emu.accounts.main.id or emu.accounts.other.id`);
    return account;
  }

  addKey(options: AddKeyOptions = {}): ApiKeyRecord {
    const kind = options.kind ?? 'serviceid';
    if (options.accountId !== undefined) this.accountOf(options.accountId);
    const record: ApiKeyRecord = {
      key: newApiKey(),
      iamId: kind === 'user' ? `IBMid-${hex(5).toUpperCase()}` : `iam-ServiceId-${randomUUID()}`,
      accountId: options.accountId ?? this.accounts.main.id,
      kind,
      name: options.name ?? (kind === 'user' ? `user-${hex(3)}@example.com` : `service-${hex(3)}`),
      policies: options.policies ?? [],
      state: options.state ?? 'active',
    };
    this.keys.set(record.key, record);
    this.everyKey.push(record.key);
    return record;
  }

  setKeyState(key: string, state: KeyState): void {
    const record = this.keys.get(key);
    if (!record) throw new Error('setKeyState: no such key');
    record.state = state;
  }

  addProfile(options: AddProfileOptions): ProfileRecord {
    if (options.accountId !== undefined) this.accountOf(options.accountId);
    const uuid = randomUUID();
    const accountId = options.accountId ?? this.accounts.main.id;
    const profile: ProfileRecord = {
      id: `Profile-${uuid}`,
      iamId: `iam-Profile-${uuid}`,
      accountId,
      kind: 'profile',
      name: options.name ?? `profile-${hex(3)}`,
      trusts: [...(options.trusts ?? [])],
      policies: options.policies ?? [],
      crn: `crn:v1:bluemix:public:iam-identity::a/${accountId}::profile:Profile-${uuid}`,
      computeResources: [...(options.computeResources ?? [])],
    };
    this.profiles.set(profile.id, profile);
    return profile;
  }

  addResourceGroup(accountId = this.accounts.main.id): string {
    const groups = this.resourceGroups.get(this.accountOf(accountId).id);
    if (!groups) throw new Error(`addResourceGroup: no account ${accountId}`);
    const id = hex(16);
    groups.add(id);
    return id;
  }

  /** A user key's user suspended in its account, or back. */
  suspendUser(key: string, suspended = true): void {
    const record = this.keys.get(key);
    if (record?.kind !== 'user') throw new Error('suspendUser: not a user API key');
    if (suspended) record.suspended = true;
    else delete record.suspended;
  }

  /**
   * IAM's view of an API key used from `from` (the caller's address; undefined skips the account's IP
   * address access): usable (active or locked), or why not.
   */
  checkKey(key: string, from?: string): KeyCheck {
    const record = this.keys.get(key);
    if (!record || record.state === 'deleted') return { refused: 'unknown' };
    if (record.state === 'disabled' || record.state === 'expired') return { refused: record.state };
    if (record.suspended) return { refused: 'suspended' };
    if (from !== undefined && !this.restrictions.iamLoginAllowed(record.accountId, from)) return { refused: 'ipNotPermitted' };
    return { record };
  }

  /** The usable key's record, or undefined. */
  usableKey(key: string, from?: string): ApiKeyRecord | undefined {
    const check = this.checkKey(key, from);
    return 'record' in check ? check.record : undefined;
  }

  profile(id: string): ProfileRecord | undefined {
    return this.profiles.get(id);
  }

  /** The first profile that matches: lookups by CRN, or by name within an account. */
  findProfile(match: (p: ProfileRecord) => boolean): ProfileRecord | undefined {
    for (const p of this.profiles.values()) if (match(p)) return p;
    return undefined;
  }

  /** Whom an access token's iam_id names: a key's identity or a profile. */
  subject(iamId: string): Subject | undefined {
    for (const p of this.profiles.values()) if (p.iamId === iamId) return p;
    for (const k of this.keys.values()) if (k.iamId === iamId) return k;
    return undefined;
  }

  /** Whether the profile may be assumed by this identity: only service IDs it names, of any account. */
  trusts(profile: ProfileRecord, subject: Subject): boolean {
    return subject.kind === 'serviceid' && profile.trusts.includes(subject.iamId);
  }
}

/** The default cast: keys and a profile most tests need. */
export function defaultIdentities(dir: Directory) {
  const main = dir.accounts.main.id;
  const user = dir.addKey({ kind: 'user', name: 'ci-user@example.com', policies: [{ role: 'Manager' }] });
  const service = dir.addKey({ name: 'ci-pusher', policies: [{ role: 'Manager' }] });
  const reader = dir.addKey({ name: 'ci-reader', policies: [{ role: 'Reader' }] });
  const foreign = dir.addKey({ name: 'partner-pusher', accountId: dir.accounts.other.id, policies: [{ role: 'Manager' }] });
  const profile = dir.addProfile({
    accountId: main,
    name: 'ci-profile',
    trusts: [service.iamId, foreign.iamId],
    policies: [{ role: 'Manager' }],
  });
  return { keys: { user, service, reader, foreign }, profile };
}
