// Public types of the emulated IAM: roles and policies, keys, trusted profiles, accounts, context-based
// restrictions (re-exported by index.ts).
import type { ComputeResourceTrust } from '../compute/types.ts';

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
