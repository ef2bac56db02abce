import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/steps/runtime.ts';
import { scrubbing } from '../../../src/steps/scrub.ts';
import { GITHUB_WORDS } from '../../../src/github/words.ts';

function recorder(): { rt: Runtime; written: string[] } {
  const written: string[] = [];
  const put = (...parts: (string | undefined)[]): void => void written.push(parts.filter((p) => p !== undefined).join(' | '));
  const rt: Runtime = {
    env: {},
    words: GITHUB_WORDS,
    missingKeyMessage: 'no key',
    getInput: () => '',
    mask: () => {},
    info: (m) => put(m),
    warning: (m, t) => put(m, t),
    debug: (m) => put(m),
    fail: (m, t) => put(m, t),
    setOutput: (n, v) => put(n, v),
    saveState: () => {},
    getState: () => '',
    exportVariable: (n, v) => put(n, v),
    writeSummary: async (md) => put(md),
  };
  return { rt, written };
}

describe('scrubbing', () => {
  it('replaces every masked secret in every text it writes, longest first', async () => {
    const { rt, written } = recorder();
    const s = scrubbing(rt);
    s.mask('secret-1234');
    s.mask('secret-1234-and-more');
    s.info('a secret-1234-and-more b');
    s.warning('w secret-1234', 'title secret-1234');
    s.debug('d secret-1234');
    s.fail('f secret-1234', 't secret-1234');
    s.setOutput('o', 'secret-1234');
    s.exportVariable('E', 'x secret-1234');
    await s.writeSummary('| secret-1234 |');
    expect(written.join('\n')).not.toContain('secret');
    expect(written[0]).toBe('a *** b');
  });

  it('passes masks on to the host and keeps its other members', () => {
    const masked: string[] = [];
    const { rt } = recorder();
    const s = scrubbing({ ...rt, mask: (m: string) => void masked.push(m), extra: 1 });
    s.mask('abc');
    expect(masked).toEqual(['abc']);
    expect(s.extra).toBe(1);
  });
});
