// Which trusted profiles trust a compute resource, as IAM decides it: a Profile-CR rule matches a resource
// of the profile's own account when every condition holds on the resource's claims; a direct link names
// one resource by CRN (and, for a service account, its namespace and name) in any account.
import type { ComputeResourceTrust, CrCondition, CrLink, CrRule, CrType } from './types.ts';
import type { ProfileRecord } from '../iam/types.ts';

/** A compute resource as IAM sees it when it asks for a profile's token. */
export interface ComputeResource {
  crType: CrType;
  accountId: string;
  /** the attribute names of IBM's docs (iam-condition-properties): crn, namespace, name, resource, vpc_id … */
  claims: Record<string, string>;
  /** how IAM names it in BXNIM0398E: `<cluster>:<namespace>:<service account>:<pod>`, or the instance CRN */
  identifier: string;
}

const isLink = (trust: ComputeResourceTrust): trust is CrLink => 'crn' in trust;

function holds(condition: CrCondition, claims: Record<string, string>): boolean {
  const actual = claims[condition.claim];
  const values = Array.isArray(condition.value) ? condition.value : [condition.value];
  const [value = ''] = values;
  if (actual === undefined) return condition.operator.startsWith('NOT_');
  switch (condition.operator) {
    case 'EQUALS':
      return actual === value;
    case 'NOT_EQUALS':
      return actual !== value;
    case 'EQUALS_IGNORE_CASE':
      return actual.toLowerCase() === value.toLowerCase();
    case 'NOT_EQUALS_IGNORE_CASE':
      return actual.toLowerCase() !== value.toLowerCase();
    case 'IN':
      return values.includes(actual);
    case 'CONTAINS':
      return actual.includes(value);
  }
}

function ruleMatches(rule: CrRule, profile: ProfileRecord, cr: ComputeResource): boolean {
  return rule.crType === cr.crType && profile.accountId === cr.accountId && rule.conditions.every((c) => holds(c, cr.claims));
}

function linkMatches(link: CrLink, cr: ComputeResource): boolean {
  if (link.crType !== cr.crType || link.crn !== cr.claims.crn) return false;
  if (link.namespace !== undefined && link.namespace !== cr.claims.namespace) return false;
  return link.name === undefined || link.name === cr.claims.name;
}

/** Whether the profile's rules or links trust this compute resource. */
export function trustsComputeResource(profile: ProfileRecord, cr: ComputeResource): boolean {
  return profile.computeResources.some((t) => (isLink(t) ? linkMatches(t, cr) : ruleMatches(t, profile, cr)));
}

/**
 * A Profile-CR rule whose conditions are all EQUALS, e.g.
 * `crRule('IKS_SA', { service_instance: cluster.id, namespace: 'ci', name: 'runner' })`.
 */
export function crRule(crType: CrType, equals: Record<string, string>): CrRule {
  return { crType, conditions: Object.entries(equals).map(([claim, value]) => ({ claim, operator: 'EQUALS', value })) };
}
