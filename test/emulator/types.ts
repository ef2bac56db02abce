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
  /** a user key whose user is suspended in its account (IAM: 401 BXNIM0436E); see suspendUser */
  suspended?: boolean;
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

/**
 * How one ICR region answers where ICR is known to answer in more than one way (issue 17). The
 * defaults are the strict forms; `ICR_EMULATOR_STRICT=0` turns the lenient ones on (behaviour.ts).
 */
export interface IcrBehaviour {
  /** `unquoted`: `Bearer realm=https://…, service=registry` to callers that are none of the four clients */
  challenge: 'quoted' | 'unquoted';
  /** the token service's status for credentials it refuses: 401 `unauthorized: …` or a bare 400 Bad Request */
  badCredentials: 401 | 400;
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
  /** how every region answers (default: behaviour.ts DEFAULT_BEHAVIOUR) */
  icr?: Partial<IcrBehaviour>;
  /** per region, over `icr`: `{ 'eu-de': { challenge: 'unquoted' } }` */
  regionBehaviour?: Record<string, Partial<IcrBehaviour>>;
  /** IBM's entitled registry (cp.icr.io) on its own host; default false: it costs a registry process */
  entitled?: boolean | EntitledOptions;
}

/** Which requests a fault waits for; a fault without one is taken by the next request to its target. */
export interface FaultMatch {
  method?: string;
  /** the path starts with this string, or matches this pattern */
  path?: string | RegExp;
  /** only requests to this region's host */
  region?: string;
}

export interface Fault {
  match?: FaultMatch;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
  /** destroy the socket without answering */
  reset?: boolean;
  /** answer `status` (default 200) with this many bytes of body, streamed without a Content-Length */
  bodyBytes?: number;
  /** only a request whose path and query contain this takes the fault; others pass it by */
  urlIncludes?: string;
}

/**
 * 'api' is ICR's /api/v1/... on the registry hosts; the entitled registry has targets of its own;
 * 'metadata' is every instance's metadata service.
 */
export type FaultTarget = 'iam' | 'token' | 'v2' | 'api' | 'entitled-token' | 'entitled-v2' | 'metadata';

export interface RequestRecord {
  server: 'iam' | 'registry' | 'entitled' | 'metadata';
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

/**
 * A context-based restriction (CBR) on an account's Container Registry resources: requests from
 * addresses outside `allow` are refused as a missing role is (ICR docs, troubleshoot-resource and
 * troubleshoot-scope). Without region or namespace it covers every namespace of the account.
 */
export interface ContextRule {
  /** `a.b.c.d`, `a.b.c.d/n` or `a.b.c.d - e.f.g.h`; the tests' requests come from 127.0.0.1 */
  allow: string[];
  region?: string;
  namespace?: string;
}

export interface EntitledOptions {
  /** pushed at start, e.g. `cp/ibm-mq/mq:9`; default ENTITLED_IMAGES (entitled.ts) */
  images?: string[];
  /** default 'unquoted' (to callers that are none of the four clients), as cp.icr.io answers */
  challenge?: IcrBehaviour['challenge'];
  /** default 401 */
  badCredentials?: IcrBehaviour['badCredentials'];
}

export interface EntitlementKeyOptions {
  /** repository prefixes the key is entitled to, e.g. `cp/ibm-mq/`; default every image (`cp/`) */
  entitles?: string[];
}

export interface EntitledImage {
  /** `cp/ibm-mq/mq` */
  repository: string;
  tag: string;
  /** the manifest digest, as a pull reads it */
  digest: string;
}

/** IBM's entitled registry (cp.icr.io): username `cp`, an entitlement key, no IAM, pull only. */
export interface EntitledRegistry {
  /** the public host it stands for */
  name: string;
  /** 127.0.0.1:PORT */
  host: string;
  username: 'cp';
  /** an entitlement key entitled to every image */
  key: string;
  images: EntitledImage[];
  addKey(options?: EntitlementKeyOptions): string;
  /** the key no longer logs in or pulls */
  revokeKey(key: string): void;
  registryPid?: number;
  registryLog?: string;
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
