// The job summary's access table: image × host, what the check found, and quota use where known. Pure.
import type { AccessReport } from './check.ts';
import { quotaCell } from './messages.ts';

export function renderAccess(report: AccessReport, hosts: readonly string[]): string[] {
  const repos = [...new Set(report.rows.map((r) => r.image.repository))];
  if (repos.length === 0) return [];
  const lines = [`| image | ${hosts.map((h) => `\`${h}\``).join(' | ')} |`, `|---|${hosts.map(() => '---').join('|')}|`];
  for (const repo of repos) {
    const cells = hosts.map((h) => {
      const row = report.rows.find((r) => r.host === h && r.image.repository === repo);
      return row ? `${row.ok ? '✅' : '❌'} ${row.found}` : '–';
    });
    lines.push(`| \`${repo}\` | ${cells.join(' | ')} |`);
  }
  lines.push(`| quota used | ${hosts.map((h) => quotaCell(report.quotas.get(h))).join(' | ')} |`, '');
  return lines;
}

/** Every host/namespace/name that passed: hosts in input order, then images. */
export function passedImages(report: AccessReport, hosts: readonly string[]): string[] {
  return hosts.flatMap((h) => report.rows.filter((row) => row.host === h && row.ok).map((row) => `${h}/${row.image.repository}`));
}
