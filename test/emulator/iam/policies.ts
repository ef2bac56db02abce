// IAM policies on Container Registry and what they allow, evaluated as IAM does: a policy applies when
// every attribute it names (region, namespace, resource group) matches; the roles' actions add up.
import type { NamespaceRecord } from '../registry/types.ts';
import type { Policy, Role, Subject } from './types.ts';

/**
 * Registry token actions per service role. Writer pushes, deletes and restores images
 * (`container-registry.image.delete` is Writer and Manager: ICR docs, iam.md); Manager adds only
 * namespaces and quotas, which are ICR's API, not the registry. ('*' grants Distribution every action.)
 */
const ACTIONS: Record<Role, readonly string[]> = {
  Reader: ['pull'],
  Writer: ['pull', 'push', 'delete', '*'],
  Manager: ['pull', 'push', 'delete', '*'],
};

/** Whether a policy reaches this namespace (or, with none, the region as a whole) of this region. */
export function covers(policy: Policy, region: string, ns?: NamespaceRecord): boolean {
  if (policy.region !== undefined && policy.region !== region) return false;
  if (policy.namespace !== undefined && policy.namespace !== ns?.name) return false;
  if (policy.resourceGroup !== undefined && policy.resourceGroup !== ns?.resourceGroup) return false;
  return true;
}

/** A policy on the whole account, or on this region: not narrowed to a namespace or resource group. */
export const accountLevel = (policy: Policy, region: string): boolean =>
  policy.namespace === undefined && policy.resourceGroup === undefined && (policy.region === undefined || policy.region === region);

/**
 * The registry actions a subject may have on a repository of this region. A namespace that does not
 * exist there, or that another account holds, allows nothing: policies act on their own account only.
 */
export function repositoryActions(subject: Subject, region: string, ns: NamespaceRecord | undefined): string[] {
  if (!ns || ns.accountId !== subject.accountId) return [];
  const actions = new Set<string>();
  for (const policy of subject.policies) {
    if (covers(policy, region, ns)) for (const a of ACTIONS[policy.role]) actions.add(a);
  }
  return [...actions];
}

export const hasRole = (subject: Subject, roles: readonly Role[], test: (p: Policy) => boolean): boolean =>
  subject.policies.some((p) => roles.includes(p.role) && test(p));
