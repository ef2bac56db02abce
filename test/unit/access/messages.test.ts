// The access check's lines and table: the role, the region and the command that fixes each denial.
import { describe, expect, it } from 'vitest';
import { denialLine, policyCommand, quotaCell, quotaWarnings, refusedLine, regionOf, unprovenLine } from '../../../src/access/messages.ts';
import { passedImages, renderAccess } from '../../../src/access/summary.ts';

const image = { namespace: 'team-a', name: 'app', repository: 'team-a/app' };

describe('access messages', () => {
  it('knows the region of ICR hosts', () => {
    expect(regionOf('de.icr.io')).toBe('eu-de');
    expect(regionOf('private.us.icr.io')).toBe('us-south');
    expect(regionOf('127.0.0.1:5000')).toBeUndefined();
  });

  it('a missing role names it and the policy command for that region and namespace', () => {
    const line = denialLine('de.icr.io', image, 'push', 'no-role', 'HTTP 403');
    expect(line).toMatch(
      /^Push to de\.icr\.io\/team-a\/app was denied \(HTTP 403\): the key needs the Writer role on namespace team-a in region eu-de/,
    );
    expect(line).toContain('--roles Writer --service-name container-registry --region eu-de --resource-type namespace --resource team-a');
    expect(denialLine('de.icr.io', image, 'pull', 'no-role', 'x')).toMatch(/Pull from .* the Reader role/);
  });

  it('a missing namespace names the region-set and namespace-add commands and the input', () => {
    expect(denialLine('us.icr.io', image, 'push', 'missing', 'x')).toContain(
      'namespace team-a does not exist in region us-south (us.icr.io) for this account; create it with: ibmcloud cr region-set us-south && ibmcloud cr namespace-add team-a, or set input create-namespace: true.',
    );
  });

  it('warns at 90 % of storage or traffic with figures, not below', () => {
    const q = (s: number, t: number) => ({ limit: { storage: 1e9, traffic: 1e9 }, usage: { storage: s, traffic: t } });
    expect(quotaWarnings('us.icr.io', q(0.89e9, 0.5e9))).toEqual([]);
    const [storage, traffic] = quotaWarnings('us.icr.io', q(0.9e9, 0.95e9));
    expect(storage).toContain('90 % of its storage quota in region us-south (us.icr.io) (900.0 MB of 1.0 GB)');
    expect(traffic).toContain('95 % of its pull traffic quota');
    expect(quotaWarnings('us.icr.io', { limit: { storage: -1, traffic: -1 }, usage: { storage: 5, traffic: 5 } })).toEqual([]);
    expect(quotaCell(undefined)).toBe('unknown');
  });

  it('output images: hosts in input order, then images; only those that passed', () => {
    const b = { ...image, repository: 'team-a/b', name: 'b' };
    const row = (host: string, img: typeof image, ok: boolean) => ({
      host,
      image: img,
      ok,
      found: ok ? 'can push' : 'denied',
      line: undefined,
    });
    const report = { rows: [row('h2', image, true), row('h1', b, true), row('h1', image, true), row('h2', b, false)], quotas: new Map() };
    expect(passedImages(report, ['h1', 'h2'])).toEqual(['h1/team-a/b', 'h1/team-a/app', 'h2/team-a/app']);
    expect(renderAccess(report, ['h1', 'h2'])).toContain('| `team-a/b` | ✅ can push | ❌ denied |');
  });

  it('the global registry is a geography, not a region: its policy command has no --region', () => {
    for (const host of ['icr.io', 'private.icr.io']) {
      const command = policyCommand(host, 'team-a', 'push');
      expect(command).toContain('--service-name container-registry --attributes "geography=global" --resource-type namespace');
      expect(command).not.toContain('--region');
    }
    expect(policyCommand('us.icr.io', 'team-a', 'pull')).toContain('--roles Reader --service-name container-registry --region us-south ');
  });

  it('a denial names a context-based restriction as a possible cause, a missing namespace does not', () => {
    for (const reason of ['no-role', 'either'] as const) {
      expect(denialLine('us.icr.io', image, 'push', reason, 'HTTP 403')).toMatch(
        /or a context-based restriction on the account \(an IP or network rule\) refuses this runner's address.*self-hosted runner it allows\.$/,
      );
    }
    expect(denialLine('us.icr.io', image, 'push', 'missing', 'x')).not.toContain('context-based');
  });

  it('refused credentials are one line for the host, with the secret to check', () => {
    expect(refusedLine('us.icr.io', 'iamapikey', 'HTTP 400 with no body')).toBe(
      'us.icr.io refused the credentials the clients were given (username iamapikey; HTTP 400 with no body), as ICR answers a username and password it does not accept; check that the api-key secret holds an enabled API key of the account that owns this registry (with trusted-profile, that the profile trusts its service ID).',
    );
    expect(refusedLine('cp.icr.io', 'cp', 'HTTP 401')).toContain('check that the entitlement-key secret holds a current entitlement key');
  });

  it('an answer that proves nothing names host and image, and what the registry said', () => {
    expect(unprovenLine('de.icr.io', image, 'push', 'de.icr.io answered HTTP 404: NAME_UNKNOWN: x')).toBe(
      'Push to de.icr.io/team-a/app could not be shown to be allowed: de.icr.io answered HTTP 404: NAME_UNKNOWN: x; check that namespace team-a exists in region eu-de (de.icr.io) (ibmcloud cr namespace-list), and try again later if it does.',
    );
  });
});
