// Generated inputs for every parser: each either accepts or throws one clean UserError sentence.
import { describe, expect, it } from 'vitest';
import { parseApiKey } from '../../../src/inputs/apikey.ts';
import { UserError } from '../../../src/lib/errors.ts';
import { readSettings } from '../../../src/inputs/read.ts';
import { INPUT } from '../../../src/inputs/settings.ts';

/** A small seeded generator (mulberry32), so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'us-south',
  'eu-de',
  'global',
  'US.ICR.IO',
  'https://',
  'http://',
  '/',
  ':',
  ':5000',
  '[::1]',
  '127.0.0.1',
  ',',
  ' ',
  '\n',
  '\r\n',
  '\t',
  'docker',
  'podman',
  'auto',
  'true',
  'false',
  'yes',
  '0',
  '{',
  '}',
  '"apikey"',
  '"',
  '@',
  '%00',
  '\u0000',
  '\u202e',
  '😀',
  'é',
  '..',
  '-',
  '.',
  'Profile-',
  '1a2b3c4d-1111-2222-3333-444455556666',
  'eyJ',
  'x'.repeat(300),
  '999',
  '-1',
  '1e9',
  'NaN',
  'ns/app',
  'my-team/web/app',
  ':1.2',
  '@sha256:',
  'push',
  'pull',
  'skip',
  'fail',
  'bearer',
];

function generate(random: () => number): string {
  const n = Math.floor(random() * 6);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += random() < 0.8 ? PIECES[Math.floor(random() * PIECES.length)] : String.fromCharCode(Math.floor(random() * 0x3000));
  }
  return s;
}

function expectClean(fn: () => unknown, input: string): void {
  try {
    fn();
  } catch (e) {
    expect(e, `input ${JSON.stringify(input)}`).toBeInstanceOf(UserError);
    // One line per mistake (CONTRIBUTING.md): every line a sentence, none holding a newline.
    const lines = (e as UserError).lines;
    expect(lines.length, `a mistake named for ${JSON.stringify(input)}`).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.includes('\n') || line.includes('\r'), `one line for ${JSON.stringify(input)}`).toBe(false);
      expect(line).toMatch(/[.?)]$/);
      expect(line.length).toBeLessThan(600);
    }
  }
}

const KEY = 'fuzz-api-key-0123456789abcdefghijklmnop';
const settingsOf = (inputs: Record<string, string>) =>
  readSettings(
    (n) => inputs[n] ?? '',
    () => {},
    'No API key.',
  );

// Every input the action has, from the one list of them: a new input is fuzzed the day it is added.
describe.each(Object.values(INPUT))('fuzzing input %s', (name) => {
  it('accepts or refuses cleanly, 3000 generated values', () => {
    const random = rng(0x1c2 + name.length);
    for (let i = 0; i < 3000; i++) {
      const value = generate(random);
      expectClean(() => settingsOf({ [INPUT.apiKey]: KEY, [name]: value }), value);
    }
  });
});

describe('fuzzing the parsers alone', () => {
  it('parseApiKey accepts or refuses cleanly, 3000 generated values', () => {
    const random = rng(0x2a);
    for (let i = 0; i < 3000; i++) {
      const value = generate(random);
      expectClean(() => parseApiKey(value), value);
    }
  });
});

describe('fuzzing all inputs together', () => {
  it('readSettings accepts or refuses cleanly, and masks the key before it can refuse', () => {
    const random = rng(7);
    const names = Object.values(INPUT);
    for (let i = 0; i < 2000; i++) {
      const inputs = Object.fromEntries(names.map((n) => [n, random() < 0.5 ? '' : generate(random)]));
      const masked: string[] = [];
      expectClean(
        () =>
          readSettings(
            (n) => inputs[n] ?? '',
            (s) => masked.push(s),
            'No API key.',
          ),
        JSON.stringify(inputs),
      );
      const key = inputs[INPUT.apiKey]!.trim();
      if (key.length >= 4) expect(masked).toContain(key);
    }
  });
});
