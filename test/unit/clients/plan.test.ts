import { describe, expect, it } from 'vitest';
import { describeOutcome, done, failed, plan, sharedWith } from '../../../src/clients/plan.ts';
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
    [sharedWith(at, 'confirmed', 'skopeo'), "sees skopeo's login"],
    [done(at, 'logged-out'), 'logged out'],
    [done(at, 'already-logged-out'), 'already logged out'],
    [sharedWith(at, 'removed-with', 'skopeo'), 'logged out with skopeo'],
    [done(at, 'left-in-place'), 'left in place: no longer this job’s login'],
    [done(at, 'put-back'), 'earlier credentials put back'],
    [failed(at, 'podman login to us.icr.io failed: denied'), 'podman login to us.icr.io failed: denied.'],
    [failed(at, 'podman did not finish within 2 s.'), 'podman did not finish within 2 s.'],
  ])('%j reads %s', (outcome, words) => {
    expect(describeOutcome(outcome)).toBe(words);
  });

  it('keeps why a failure happened as a clause, so several join into one sentence', () => {
    expect(failed(at, 'it broke.').why).toBe('it broke');
  });
});
