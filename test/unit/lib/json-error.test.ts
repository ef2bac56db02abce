import { describe, expect, it } from 'vitest';
import { describeOffset, jsonErrorOffset } from '../../../src/lib/json-error.ts';

describe('jsonErrorOffset', () => {
  it('agrees with JSON.parse on valid text', () => {
    for (const t of ['{}', ' { "a" : [1, -2.5e3, true, null, "x\\u00e9\\n"] } ', '[]', '"s"', '0', '{"auths":{"h":{"auth":"YTpi"}}}']) {
      expect(() => JSON.parse(t)).not.toThrow();
      expect(jsonErrorOffset(t)).toBe(-1);
    }
  });

  it('points at the first character that breaks it', () => {
    const cases: [string, number][] = [
      ['{"a":1,,}', 7],
      ['{\n "auths": x}', 12],
      ['{"a":1}}', 7],
      ['{"a":1', 6],
      ['\ufeff{}', 0],
      ['{"a":"\t"}', 6],
      ['{"a":01}', 6],
      ['{"a":"\\x"}', 7],
      ['', 0],
    ];
    for (const [t, at] of cases) {
      expect(() => JSON.parse(t)).toThrow();
      expect([t, jsonErrorOffset(t)]).toEqual([t, at]);
    }
  });

  it('names line and column from 1, or the end', () => {
    expect(describeOffset('{\n "auths": x}', 12)).toBe('line 2, column 11');
    expect(describeOffset('{"a":1', 6)).toBe('its end (it stops too early)');
  });
});
