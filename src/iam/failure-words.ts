// What IAM's failed answers (answer.ts reads them) say in one sentence: a try as the list of tries
// names it, IAM's own reasons by the codes public sources confirm, and what to do for each kind. Pure.
import type { IamFailure } from './answer.ts';

/** What IAM answered, as one try of several is listed: `503 with an empty body`. */
export function answeredWith(f: IamFailure): string {
  return `${f.status} with ${f.code ? `${f.code}: ${f.detail}` : f.detail}`;
}

const iamSaid = (f: IamFailure): string => (f.code ? `${f.code}: ${f.detail}` : f.detail);

/**
 * IAM's reasons that no change to the key fixes, by the codes public sources confirm (docs/icr.md#iams-token-api).
 * The kind of a failure is still read from its status and shape alone; these only choose the words.
 */
const REASONS: Readonly<Record<string, (said: string) => string>> = {
  BXNIM0430E: (said) =>
    `IAM refused to issue a token to this runner's address (${said}): the account allows logins only from the IP addresses it lists, and this runner's is not one of them (a GitHub-hosted runner's address changes from job to job); run the job on a self-hosted runner whose address the account lists, or add the runner's addresses to the account's IP address allowlist (Manage > Access (IAM) > Settings > IP address access).`,
  BXNIM0436E: (said) =>
    `IAM refused the key because its user is suspended in the account or no longer valid there (${said}); ask an administrator of the account to reactivate the user, or use a service ID's API key instead.`,
};

/** The sentence for a refusal IAM gave its own reason for, or undefined. */
export function knownRefusal(f: IamFailure): string | undefined {
  return f.kind === 'refused' && f.code ? REASONS[f.code]?.(iamSaid(f)) : undefined;
}

/** One sentence for a failed answer; what to do depends on the kind. */
export function describeFailure(f: IamFailure): string {
  if (f.kind === 'refused') {
    return (
      knownRefusal(f) ??
      `IAM rejected the API key (${iamSaid(f)}); check the api-key secret, and that the key still exists, is enabled and has not expired.`
    );
  }
  if (f.kind === 'retry') return `IAM answered ${answeredWith(f)}.`;
  return `IAM answered ${answeredWith(f)}; check iam-endpoint and any proxy between the runner and IAM.`;
}
