import { describe, expect, it } from 'vitest';
import { confirmed, describeOutcome, done, failed, leftInPlace, loggedOut, notRemoved, plan } from '../../../src/clients/plan.ts';
import { runGrouped } from '../../../src/clients/schedule.ts';
import { groupBy } from '../../../src/lib/collections.ts';

describe('plan and grouping', () => {
  it('is hosts × clients', () => {
    expect(plan(['a', 'b'], ['docker', 'podman'])).toEqual([
      { client: 'docker', host: 'a' },
      { client: 'podman', host: 'a' },
      { client: 'docker', host: 'b' },
      { client: 'podman', host: 'b' },
    ]);
  });

  it('runs one group at a time per key and groups side by side', async () => {
    const log: string[] = [];
    const groups = groupBy(['a1', 'b1', 'a2', 'b2'], (s) => s[0]!);
    expect(groups).toEqual([
      ['a1', 'a2'],
      ['b1', 'b2'],
    ]);
    const running = new Set<string>();
    let overlapSameKey = false;
    let overlapOtherKey = false;
    await runGrouped(groups, () => async (item) => {
      for (const r of running) {
        if (r[0] === item[0]) overlapSameKey = true;
        else overlapOtherKey = true;
      }
      running.add(item);
      await new Promise((r) => setTimeout(r, 20));
      running.delete(item);
      log.push(item);
    });
    expect(overlapSameKey).toBe(false);
    expect(overlapOtherKey).toBe(true);
    expect(log.sort()).toEqual(['a1', 'a2', 'b1', 'b2']);
  });
});

describe('outcomes', () => {
  const at = { client: 'podman' as const, host: 'us.icr.io' };
  it.each([
    [done(at, 'logged-in'), 'logged in'],
    [confirmed(at, 'skopeo'), "sees skopeo's login"],
    [failed(at, 'podman login to us.icr.io failed: denied'), 'podman login to us.icr.io failed: denied.'],
    [failed(at, 'podman did not finish within 2 s.'), 'podman did not finish within 2 s.'],
    // A logout ends in exactly one of four ways, the same words in the log and the summary.
    [loggedOut(at), 'logged out'],
    [loggedOut(at, 'skopeo'), 'logged out with skopeo'],
    [done(at, 'never-logged-in'), 'never logged in'],
    [
      leftInPlace(at, "another icr-login job's login (run 1a2b3c4d, pid 42)"),
      "left in place: another icr-login job's login (run 1a2b3c4d, pid 42)",
    ],
    [
      notRemoved(at, '/a.json still holds the login icr-login stored for us.icr.io', 'run `podman logout --authfile /a.json us.icr.io`'),
      'could not be removed: /a.json still holds the login icr-login stored for us.icr.io; to remove it by hand, run `podman logout --authfile /a.json us.icr.io`.',
    ],
  ])('%j reads %s', (outcome, words) => {
    expect(describeOutcome(outcome)).toBe(words);
  });

  it('keeps why a failure happened as a clause, so several join into one sentence', () => {
    expect(failed(at, 'it broke.').why).toBe('it broke');
  });
});
