// The one source of random UUIDs: version 4 as RFC 9562 has it, read from the OS's random source.
import { describe, expect, it } from 'vitest';
import { randomUUID } from '../../../src/lib/random-id.ts';

describe('randomUUID', () => {
  it('is a version 4, variant 10 UUID, different every time', () => {
    const ids = Array.from({ length: 200 }, () => randomUUID());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
