// The emulator as a whole: the options startEmulator takes and the Emulator it returns (re-exported by
// index.ts). Each family's own types live in its folder's types.ts.
import type { AccountInfo, AddKeyOptions, AddProfileOptions, ApiKeyRecord, ContextRule, KeyState, ProfileRecord } from './iam/types.ts';
import type { IcrBehaviour } from './token-service/types.ts';
import type { AddNamespaceOptions, NamespaceRecord, QuotaFigures, RegionInfo } from './registry/types.ts';
import type { AddClusterOptions, AddInstanceOptions, ClusterRecord, InstanceRecord } from './compute/types.ts';
import type { EntitledOptions, EntitledRegistry } from './entitled/types.ts';
import type { Fault, FaultTarget, Reachability, RequestRecord } from './net/types.ts';

export interface EmulatorOptions {
  /** default true: a real `docker-registry serve` per region; false = each host answers /v2/ itself */
  registry?: boolean;
  /** regions by IBM Cloud region ID, each its own host, registry and namespaces; default ['us-south'] */
  regions?: string[];
  /** shorthand for the first N of us-south, eu-de, eu-gb, jp-tok, au-syd (ignored when regions is set) */
  hostCount?: number;
  /**
   * regions served under real registry names, `{ 'us-south': 'us.icr.io' }`: that region's host (hosts,
   * hostOf, realms, challenges, records, trust) is the name, its certificate names it alone, and clients
   * reach it through a proxy that maps `name:443` to `addressOf(region)`. Others keep 127.0.0.1:PORT.
   */
  domains?: Record<string, string>;
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
  /** how every region answers (default: token-service/behaviour.ts DEFAULT_BEHAVIOUR) */
  icr?: Partial<IcrBehaviour>;
  /** per region, over `icr`: `{ 'eu-de': { challenge: 'unquoted' } }` */
  regionBehaviour?: Record<string, Partial<IcrBehaviour>>;
  /** IBM's entitled registry (cp.icr.io) on its own host; default false: it costs a registry process */
  entitled?: boolean | EntitledOptions;
}

export interface Emulator {
  /** every region's host, in the order of `regions` */
  hosts: string[];
  /** the first region's host */
  host: string;
  regions: RegionInfo[];
  /** the host of a region by name (throws for one not emulated) */
  hostOf(region: string): string;
  /** 127.0.0.1:PORT where a region listens: its host too, unless it is served under a real name (domains) */
  addressOf(region: string): string;
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
  /** how a region answers now (EmulatorOptions.icr and regionBehaviour, then these changes) */
  behaviourOf(region: string): IcrBehaviour;
  setRegionBehaviour(region: string, behaviour: Partial<IcrBehaviour>): void;
  /** adds a context-based restriction on the account's registry resources (every rule must allow the caller) */
  restrictAccount(accountId: string, rule: ContextRule): void;
  /** IAM's "IP address access" setting of the account: API keys of the account get tokens only from these addresses */
  restrictIamLogins(accountId: string, allowed: string[]): void;
  /** drops both kinds of restriction of one account, or of every account */
  liftRestrictions(accountId?: string): void;
  /** a user key's user suspended in its account (or back); refused by IAM (BXNIM0436E) and ICR's login */
  suspendUser(key: string, suspended?: boolean): void;
  /** present when started with `entitled` */
  entitled?: EntitledRegistry;
}
