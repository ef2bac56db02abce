// The one reading of an error's first line and of its errno code, and the one-line description.
import { describe as suite, expect, it } from 'vitest';
import { describe, errnoCode, firstLine, UserError } from '../../../src/lib/errors.ts';

suite('firstLine', () => {
  it('is the first line that says something, trimmed', () => {
    expect(firstLine('\n  \n  connect ECONNREFUSED  \n    at x (y.js:1:1)')).toBe('connect ECONNREFUSED');
    expect(firstLine('one')).toBe('one');
    expect(firstLine(' \n ')).toBe('');
  });
});

suite('errnoCode', () => {
  it('is the code of a Node error, or the fallback', () => {
    expect(errnoCode(Object.assign(new Error('x'), { code: 'EACCES' }), 'write failed')).toBe('EACCES');
    expect(errnoCode(new Error('x'), 'write failed')).toBe('write failed');
    expect(errnoCode(undefined, 'an error')).toBe('an error');
  });
});

suite('describe', () => {
  it('is a UserError’s own sentence, and one line with advice for anything else', () => {
    expect(describe(new UserError('Do this.'))).toBe('Do this.');
    expect(describe(new Error('\nboom\nstack'))).toMatch(/^Unexpected error: boom\. Re-run with debug logging/);
    expect(describe('')).toMatch(/^Unexpected error: no details\./);
  });
});
