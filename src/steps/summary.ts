// The job summary: what a person reads first after a run. Pure; holds no secret by construction.
import type { PutBack } from '../clients/held.ts';
import { describeOutcome, type Outcome } from '../clients/plan.ts';
import { ENTITLED_USERNAME } from '../inputs/entitled.ts';
import type { AuthType, ClientName } from '../inputs/settings.ts';
import type { IdentityKind } from '../inputs/identity.ts';
import type { AccessReport } from '../access/check.ts';
import { renderAccess } from '../access/summary.ts';
import { caution, cell } from './caution.ts';

export interface Report {
  readonly hosts: readonly string[];
  readonly clients: readonly ClientName[];
  readonly outcomes: readonly Outcome[];
  readonly authType: AuthType;
  /** How the login proved who it is; absent or api-key: an API key. */
  readonly identity?: IdentityKind;
  /** ICR's username; undefined when only the entitled registry was logged in. */
  readonly username: string | undefined;
  readonly accountId: string | undefined;
  readonly expiresAt: string | undefined;
  /** The step's errors, one line per mistake; empty when it succeeded. */
  readonly errors: readonly string[];
  /** The access check of input images, when it ran. */
  readonly access?: AccessReport;
  /** The entitled registry's host, when entitlement-key logged it in. */
  readonly entitled?: string | undefined;
}

function mark(outcome: Outcome | undefined): string {
  if (!outcome) return '–';
  return outcome.ok ? `✅ ${describeOutcome(outcome)}` : `❌ ${cell(describeOutcome(outcome))}`;
}

export function renderSummary(r: Report): string {
  const lines = ['### icr-login', ''];
  if (r.errors.length > 0) lines.push(...caution(r.errors));
  if (r.hosts.length > 0 && r.clients.length > 0) {
    lines.push(`| registry | ${r.clients.join(' | ')} |`, `|---|${r.clients.map(() => '---').join('|')}|`);
    for (const host of r.hosts) {
      const cells = r.clients.map((c) => mark(r.outcomes.find((o) => o.host === host && o.client === c)));
      lines.push(`| \`${host}\` | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  if (r.access) lines.push(...renderAccess(r.access, r.hosts));
  const expiry = r.expiresAt ?? (r.authType === 'apikey' ? 'not during this job (API key)' : 'unknown');
  lines.push(`| | |`, `|---|---|`);
  if (r.identity && r.identity !== 'api-key') lines.push(`| identity | \`${r.identity}\` (no key: a trusted profile's IAM token) |`);
  if (r.username !== undefined) {
    lines.push(
      `| auth type | \`${r.authType}\` (username \`${r.username}\`) |`,
      `| account | ${r.accountId ? `\`${r.accountId}\`` : 'unknown'} |`,
      `| credentials expire | ${expiry} |`,
    );
  }
  if (r.entitled) lines.push(`| entitled registry | \`${r.entitled}\` (username \`${ENTITLED_USERNAME}\`, entitlement key) |`);
  lines.push('');
  return lines.join('\n');
}

export function renderLogoutSummary(outcomes: readonly Outcome[], putBacks: readonly PutBack[] = []): string {
  if (outcomes.length === 0) return '';
  const rows = outcomes.map(
    (o) => `| \`${o.host}\` | ${o.client} | ${o.ok ? `✅ ${describeOutcome(o)}` : `⚠️ ${cell(describeOutcome(o))}`} |`,
  );
  const lines = ['### icr-login: logout', '', '| registry | client | outcome |', '|---|---|---|', ...rows, ''];
  if (putBacks.length === 0) return lines.join('\n');
  const kept = putBacks.map(
    (p) =>
      `| \`${p.host}\` | \`${cell(p.file)}\` | ${p.problems.length > 0 ? `⚠️ ${cell(p.problems.join('; '))}` : p.over ? `⚠️ put back over ${cell(p.over)}` : '✅ put back'} |`,
  );
  return [...lines, '| registry | credentials file | earlier credentials |', '|---|---|---|', ...kept, ''].join('\n');
}
