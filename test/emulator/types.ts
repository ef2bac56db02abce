// Public types of the ICR/IAM emulator (re-exported by index.ts).
import type { AddClusterOptions, AddInstanceOptions, ClusterRecord, ComputeResourceTrust, InstanceRecord } from './compute-types.ts';

/** Container Registry service roles (IAM). */
export type Role = 'Reader' | 'Writer' | 'Manager';

/**
 * One IAM policy on Container Registry, in the subject's own account. Leave an attribute out to
 * mean "any": `{ role: 'Writer' }` is account-wide, `{ role: 'Writer', region: 'us-south', namespace: 'ns-a' }`
 * one namespace of one region, `{ role: 'Writer', namespace: 'ns-a' }` that name in every region.
 */
export interface Policy {
  role: Role;
  region?: string;
  namespace?: string;
  /** resource group ID; matches namespaces assigned to that group */
  resourceGroup?: string;
}

/** Something IAM issues tokens for and ICR checks policies of. */
export interface Subject {
  iamId: string;
  accountId: string;
  kind: 'user' | 'serviceid' | 'profile';
  name: string;
  policies: Policy[];
}

/**
 * An API key's life in IAM. `locked` only stops changes to the key: it still works. `disabled`,
 * `expired` and `deleted` keys are refused by IAM (and so by ICR's login).
 */
export type KeyState = 'active' | 'locked' | 'disabled' | 'expired' | 'deleted';

export interface ApiKeyRecord extends Subject {
  key: string;
  kind: 'user' | 'serviceid';
  state: KeyState;
}

export interface ProfileRecord extends Subject {
  kind: 'profile';
  /** `Profile-<uuid>`: the username for ICR's trusted-profile login and IAM's `profile_id` */
  id: string;
  /** iam_ids of the service IDs (of any account) this profile trusts */
  trusts: string[];
  /** `crn:v1:bluemix:public:iam-identity::a/<account>::profile:<id>` */
  crn: string;
  /** compute resources it trusts (IAM's Profile-CR rules and links) */
  computeResources: ComputeResourceTrust[];
}

export interface AccountInfo {
  id: string;
  /** ID of the account's default resource group (where namespaces go unless told otherwise) */
  resourceGroup: string;
}

export interface AddKeyOptions {
  /** default: the main account */
  accountId?: string;
  /** default 'serviceid' */
  kind?: 'user' | 'serviceid';
  name?: string;
  /** default none: the key logs in (as on ICR) but may neither pull nor push */
  policies?: Policy[];
  /** default 'active' */
  state?: KeyState;
}

export interface AddProfileOptions {
  /** the account the profile lives in (its tokens carry it in account.bss); default the main account */
  accountId?: string;
  name?: string;
  /** iam_ids of service IDs it trusts, from any account; default none */
  trusts?: string[];
  policies?: Policy[];
  /** compute resources it trusts: rules (`crRule(...)`) and links; default none */
  computeResources?: ComputeResourceTrust[];
}

export interface NamespaceRecord {
  name: string;
  region: string;
  accountId: string;
  resourceGroup: string;
  createdAt: string;
}

export interface AddNamespaceOptions {
  /** default: the main account */
  accountId?: string;
  /** default: that account's default resource group */
  resourceGroup?: string;
}

/** Bytes; -1 is unlimited, as ICR answers it. */
export interface QuotaFigures {
  storage_bytes: number;
  traffic_bytes: number;
}

export interface Quota {
  limit: QuotaFigures;
  usage: QuotaFigures;
}

export interface RegionInfo {
  /** IBM Cloud region ID, e.g. us-south */
  name: string;
  /** 127.0.0.1:PORT: this region's registry, token service and /api/v1 */
  host: string;
}

/** How IAM's port behaves: `refuse` closes it (ECONNREFUSED), `reset` accepts and resets, `silent` accepts and never answers. */
export type Reachability = 'up' | 'refuse' | 'reset' | 'silent';

export interface EmulatorOptions {
  /** default true: a real `docker-registry serve` per region; false = each host answers /v2/ itself */
  registry?: boolean;
  /** regions by IBM Cloud region ID, each its own host, registry and namespaces; default ['us-south'] */
  regions?: string[];
  /** shorthand for the first N of us-south, eu-de, eu-gb, jp-tok, au-syd (ignored when regions is set) */
  hostCount?: number;
  /**
   * default false: like IAM today, an API-key grant gets `"refresh_token": "not_supported"` unless the
   * caller authenticates as a registered client (the IBM Cloud CLI's `bx:bx`, as HTTP Basic).
   * true: every API-key grant gets a real refresh token (as IAM once did).
   */
  refreshTokens?: boolean;
  /** access token lifetime in seconds, default 3600 */
  tokenLifetime?: number;
  /** work dir (certs, registry storage, config); default a fresh mkdtemp, removed by stop() */
  dir?: string;
}

export interface Fault {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
  /** destroy the socket without answering */
  reset?: boolean;
}

/** 'api' is ICR's /api/v1/... on the registry hosts; 'metadata' is every instance's metadata service. */
export type FaultTarget = 'iam' | 'token' | 'v2' | 'api' | 'metadata';

export interface RequestRecord {
  server: 'iam' | 'registry' | 'metadata';
  host: string;
  /** the region of a registry host */
  region?: string;
  method: string;
  path: string;
  username?: string;
  /** the User-Agent header, when the request carried one */
  userAgent?: string;
  /** HTTP status answered; 0 when the socket was reset or closed before an answer */
  status: number;
}

export interface Emulator {
  /** every region's host, in the order of `regions` */
  hosts: string[];
  /** the first region's host */
  host: string;
  regions: RegionInfo[];
  /** the host of a region by name (throws for one not emulated) */
  hostOf(region: string): string;
  iamUrl: string;
  caFile: string;
  /** `main` holds every default key, profile and namespace; `other` holds `keys.foreign` */
  accounts: { main: AccountInfo; other: AccountInfo };
  /**
   * user and service: Manager on the main account; reader: Reader on it; foreign: a service ID of the
   * other account (Manager there), trusted by the default profile.
   */
  keys: { user: ApiKeyRecord; service: ApiKeyRecord; reader: ApiKeyRecord; foreign: ApiKeyRecord };
  /** the default trusted profile: in the main account, Manager there, trusts keys.service and keys.foreign */
  profileId: string;
  profile: ProfileRecord;
  unknownKey: string;
  requests: RequestRecord[];
  /** PIDs of the docker-registry processes (registry: true), so tests can prove stop() ended them */
  registryPids: number[];
  /** PID of the first region's registry */
  registryPid?: number;
  /** docker-registry's log files, for debugging failed pushes */
  registryLogs: string[];
  registryLog?: string;
  addKey(options?: AddKeyOptions): ApiKeyRecord;
  setKeyState(key: string, state: KeyState): void;
  addProfile(options: AddProfileOptions): ProfileRecord;
  /** a VPC virtual server with its own metadata service on 127.0.0.1 (see README, Compute resources) */
  addInstance(options?: AddInstanceOptions): Promise<InstanceRecord>;
  /** a Kubernetes cluster whose service-account tokens IAM's cr-token grant verifies */
  addCluster(options?: AddClusterOptions): ClusterRecord;
  /** a resource group of that account (default main); returns its ID */
  addResourceGroup(accountId?: string): string;
  /** creates a namespace as its owner would (no name rules, no quota): for setting up tests */
  addNamespace(region: string, name: string, options?: AddNamespaceOptions): NamespaceRecord;
  namespaces(region: string): NamespaceRecord[];
  /** what GET /api/v1/quotas answers for that account (default main) in that region */
  setQuota(region: string, quota: { limit?: Partial<QuotaFigures>; usage?: Partial<QuotaFigures> }, accountId?: string): void;
  /** makes IAM unreachable in one of several ways, or reachable again */
  setIamReachability(mode: Reachability): Promise<void>;
  secrets(): string[];
  inject(target: FaultTarget, ...faults: Fault[]): void;
  /** Drops faults no request consumed, so one test's leftovers cannot reach the next. */
  clearFaults(): void;
  trust(home: string): Promise<void>;
  stop(): Promise<void>;
}
