import { describe, expect, it } from 'vitest';
import { scrubbing } from '../../../src/steps/scrub.ts';
import { fakeRuntime } from '../../fakes/runtime.ts';

describe('scrubbing', () => {
  it('replaces every masked secret in every text it writes, longest first', async () => {
    const rt = fakeRuntime();
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
    const { infos, warnings, debugs, failures, outputs, exports, summaries } = rt;
    expect(JSON.stringify([infos, warnings, debugs, failures, outputs, exports, summaries])).not.toContain('secret');
    expect(infos).toEqual(['a *** b']);
  });

  it('passes masks on to the host and keeps its other members', () => {
    const masked: string[] = [];
    const s = scrubbing({ ...fakeRuntime(), mask: (m: string) => void masked.push(m), extra: 1 });
    s.mask('abc');
    expect(masked).toEqual(['abc']);
    expect(s.extra).toBe(1);
  });
});
