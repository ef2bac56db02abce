// Public types of the emulated compute resources (re-exported by index.ts): trusted-profile rules and
// links for compute resources (IAM's Profile-CR), VPC virtual server instances with their metadata
// service, and Kubernetes clusters whose projected service-account tokens IAM's cr-token grant takes.
import type { ProfileRecord } from '../iam/types.ts';
import type { Reachability } from '../net/types.ts';

/** IAM's compute-resource types: IKS and Red Hat OpenShift service accounts, VPC virtual servers. */
export type CrType = 'IKS_SA' | 'ROKS_SA' | 'VSI';

export type CrOperator = 'EQUALS' | 'NOT_EQUALS' | 'EQUALS_IGNORE_CASE' | 'NOT_EQUALS_IGNORE_CASE' | 'IN' | 'CONTAINS';

/**
 * One condition of a Profile-CR rule. Claims of a cluster's service account: `service_instance` (cluster
 * ID), `crn` (cluster CRN), `namespace`, `name` (service account), `pod`, `location`, `resource_group_id`.
 * Claims of a virtual server: `resource` (instance ID), `crn`, `region`, `zone`, `vpc_id`, `resource_group_id`.
 * `IN` takes a list.
 */
export interface CrCondition {
  claim: string;
  operator: CrOperator;
  value: string | string[];
}

/** A trusted-profile rule (type Profile-CR): every condition must hold, for resources of the profile's account. */
export interface CrRule {
  crType: CrType;
  conditions: CrCondition[];
}

/** A direct link from a trusted profile to one compute resource (any account); namespace and name for service accounts. */
export interface CrLink {
  crType: CrType;
  crn: string;
  namespace?: string;
  name?: string;
}

export type ComputeResourceTrust = CrRule | CrLink;

/** Metadata service API versions, by the paths they answer. */
export type MetadataVersion = '2022-03-01' | '2025-08-26';

export interface AddInstanceOptions {
  /** default: the main account */
  accountId?: string;
  /** default us-south (zone `<region>-1`) */
  region?: string;
  name?: string;
  /** trusted profiles (records or IDs) linked to this instance: each gets a VSI link to its CRN */
  profiles?: Array<ProfileRecord | string>;
  /** the instance's default trusted profile; linked too unless `autoLink` is false */
  defaultProfile?: ProfileRecord | string;
  /** default true, as `--default-trusted-profile-auto-link true` */
  autoLink?: boolean;
  /** which API versions answer; default both; paths of a version left out answer 404 */
  versions?: MetadataVersion[];
  /** default true; false = the metadata service is off: it never answers (IBM's VPC Metadata API reference) */
  enabled?: boolean;
  /** test knob: every instance identity token of this instance lives this many seconds, whatever was asked */
  identityTokenLifetime?: number;
  /** seconds the IAM tokens it hands out live; default the emulator's tokenLifetime */
  iamTokenLifetime?: number;
}

export interface InstanceRecord {
  /** e.g. `0717_<uuid>` */
  id: string;
  crn: string;
  name: string;
  accountId: string;
  region: string;
  zone: string;
  vpcId: string;
  resourceGroup: string;
  /** `http://127.0.0.1:PORT`: this instance's metadata service (the real one is http://169.254.169.254) */
  metadataUrl: string;
  versions: MetadataVersion[];
  /** ID of the default trusted profile, if any */
  defaultProfileId?: string;
  /** turns the metadata service on or off (off: no answer at all) */
  setEnabled(enabled: boolean): Promise<void>;
  /** the port refuses, resets, never answers, or is up */
  setReachability(mode: Reachability): Promise<void>;
}

export interface AddClusterOptions {
  /** default: the main account */
  accountId?: string;
  /** default 'iks' (service accounts are IKS_SA); 'roks' for Red Hat OpenShift on IBM Cloud (ROKS_SA) */
  kind?: 'iks' | 'roks';
  /** default us-south */
  region?: string;
  name?: string;
  /** default: the account's default resource group */
  resourceGroup?: string;
}

export interface ServiceAccountTokenOptions {
  namespace: string;
  /** the service account */
  name: string;
  /** default 'iam' (what a projected volume with `audience: iam` gets) */
  audience?: string | string[];
  /** seconds from now; default 3600; zero or less gives a token that has already expired */
  expiresIn?: number;
  /** default `<name>-<random>` */
  pod?: string;
}

export interface ClusterRecord {
  /** the cluster ID, e.g. `c0pigdctkkc07fs7pm06` */
  id: string;
  crn: string;
  name: string;
  kind: 'iks' | 'roks';
  accountId: string;
  region: string;
  resourceGroup: string;
  /** the `iss` of its service-account tokens */
  issuer: string;
  /** A projected service-account token (RS256 JWT) as the kubelet writes it into a pod. */
  serviceAccountToken(options: ServiceAccountTokenOptions): string;
}
