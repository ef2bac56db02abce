// One ICR region: its host, its namespaces (unique in the region across accounts) and quotas per account.
// Each region has its own registry process and storage, so an image pushed to one is not in another.
import type { AddNamespaceOptions, NamespaceRecord, Quota, QuotaFigures } from './types.ts';
import type { EmulatorOptions } from '../types.ts';
import type { IcrBehaviour } from '../token-service/types.ts';

export const DEFAULT_REGIONS = ['us-south', 'eu-de', 'eu-gb', 'jp-tok', 'au-syd'];
/** ICR allows this many namespaces per account in each region. */
export const NAMESPACE_LIMIT = 100;
/** 4–30 characters of a-z 0-9 - _, starting and ending with a letter or digit (ICR's rule). */
export const NAMESPACE_NAME = /^[a-z0-9][a-z0-9_-]{2,28}[a-z0-9]$/;
/** A standard-plan account: no limits. */
const UNLIMITED: QuotaFigures = { storage_bytes: -1, traffic_bytes: -1 };

export class Region {
  readonly name: string;
  /** what clients call it: its real name when served under one (`us.icr.io`), else its address */
  host = '';
  /** 127.0.0.1:PORT, where it listens */
  address = '';
  /** how this region answers where ICR answers in more than one way (token-service/behaviour.ts) */
  behaviour: IcrBehaviour;
  private readonly spaces = new Map<string, NamespaceRecord>();
  private readonly quotas = new Map<string, Quota>();

  constructor(name: string, behaviour: IcrBehaviour) {
    this.name = name;
    this.behaviour = behaviour;
  }

  namespace(name: string): NamespaceRecord | undefined {
    return this.spaces.get(name);
  }

  namespaces(accountId?: string): NamespaceRecord[] {
    return [...this.spaces.values()].filter((ns) => accountId === undefined || ns.accountId === accountId);
  }

  addNamespace(name: string, options: Required<AddNamespaceOptions>): NamespaceRecord {
    const held = this.spaces.get(name);
    if (held) throw new Error(`namespace ${name} already exists in ${this.name}`);
    const record = { name, region: this.name, ...options, createdAt: new Date().toISOString() };
    this.spaces.set(name, record);
    return record;
  }

  quota(accountId: string): Quota {
    return this.quotas.get(accountId) ?? { limit: { ...UNLIMITED }, usage: { storage_bytes: 0, traffic_bytes: 0 } };
  }

  setQuota(accountId: string, quota: { limit?: Partial<QuotaFigures>; usage?: Partial<QuotaFigures> }): void {
    const now = this.quota(accountId);
    this.quotas.set(accountId, { limit: { ...now.limit, ...quota.limit }, usage: { ...now.usage, ...quota.usage } });
  }
}

/** The repository's namespace: the first path element of `ns/img` (ICR repositories are always ns/…). */
export const namespaceOf = (repository: string): string => repository.split('/')[0] ?? '';

/** The regions to emulate: `regions` as given, or the first `hostCount` of DEFAULT_REGIONS. */
export function regionNames(opts: EmulatorOptions): string[] {
  if (opts.regions) {
    if (opts.regions.length === 0 || new Set(opts.regions).size !== opts.regions.length) {
      throw new Error(`regions must be distinct names, at least one: ${opts.regions.join(',')}`);
    }
    return opts.regions;
  }
  const count = opts.hostCount ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > DEFAULT_REGIONS.length) {
    throw new Error(`hostCount must be an integer from 1 to ${DEFAULT_REGIONS.length}, got ${count}`);
  }
  return DEFAULT_REGIONS.slice(0, count);
}
