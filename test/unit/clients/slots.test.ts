import { describe, expect, it } from 'vitest';
import { Slots } from '../../../src/clients/slots.ts';

describe('slots', () => {
  it('never runs more than its count, and serves lower priority numbers first', async () => {
    const slots = new Slots(2);
    let running = 0;
    let most = 0;
    const order: string[] = [];
    const task = (name: string) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 10));
      order.push(name);
      running--;
    };
    await Promise.all([
      slots.run(1, task('confirm-1')),
      slots.run(1, task('confirm-2')),
      slots.run(1, task('confirm-3')),
      slots.run(0, task('write-1')),
      slots.run(1, task('confirm-4')),
      slots.run(0, task('write-2')),
    ]);
    expect(most).toBe(2);
    // The first two took the free slots; after them the writers go before the waiting confirmations.
    expect(order.slice(2, 4).sort()).toEqual(['write-1', 'write-2']);
  });

  it('frees its slot when a task throws', async () => {
    const slots = new Slots(1);
    await expect(slots.run(0, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await slots.run(0, async () => 'next')).toBe('next');
  });
});
