// The two address rules an account may set: IAM's "IP address access" (API keys of the account get
// tokens only from listed addresses; IAM answers 401 BXNIM0430E) and context-based restrictions on
// Container Registry (the registry and its API refuse requests from outside the rule's network zone,
// in the same words as a missing role: ICR docs, troubleshoot-resource and troubleshoot-scope).
import type { ContextRule } from './types.ts';
import { addressList } from './addresses.ts';

interface Rule {
  region?: string;
  namespace?: string;
  allows: (address: string) => boolean;
}

export class Restrictions {
  private readonly rules = new Map<string, Rule[]>();
  private readonly iamLogins = new Map<string, (address: string) => boolean>();

  restrict(accountId: string, rule: ContextRule): void {
    if (rule.allow.length === 0) throw new Error('restrictAccount: a rule allows at least one address');
    const list = this.rules.get(accountId) ?? [];
    list.push({ ...rule, allows: addressList(rule.allow) });
    this.rules.set(accountId, list);
  }

  restrictIamLogins(accountId: string, allowed: readonly string[]): void {
    if (allowed.length === 0) throw new Error('restrictIamLogins: allow at least one address (liftRestrictions removes the setting)');
    this.iamLogins.set(accountId, addressList(allowed));
  }

  lift(accountId?: string): void {
    if (accountId === undefined) {
      this.rules.clear();
      this.iamLogins.clear();
    } else {
      this.rules.delete(accountId);
      this.iamLogins.delete(accountId);
    }
  }

  /** Whether IAM issues a token for an API key of this account to this caller. */
  iamLoginAllowed(accountId: string, address: string): boolean {
    return this.iamLogins.get(accountId)?.(address) ?? true;
  }

  /**
   * Whether every rule of the account that covers this region and namespace allows the caller. With
   * no namespace (the API's account-wide calls) only rules without one apply.
   */
  registryAllowed(accountId: string, region: string, namespace: string | undefined, address: string): boolean {
    return (this.rules.get(accountId) ?? [])
      .filter((r) => (r.region === undefined || r.region === region) && (r.namespace === undefined || r.namespace === namespace))
      .every((r) => r.allows(address));
  }
}
