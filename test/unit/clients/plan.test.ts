import { describe, expect, it } from 'vitest';
import { plan } from '../../../src/clients/plan.ts';
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
