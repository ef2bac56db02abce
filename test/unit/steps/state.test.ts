import { describe, expect, it } from 'vitest';
import { EMPTY_STATE, encodeState, leavesWork, readState } from '../../../src/steps/state.ts';

const store = (saved: Record<string, string>) => ({ getState: (name: string) => saved[name] ?? '' });

describe('state main hands post', () => {
  it('round-trips logins, isolation and the earlier-credentials path', () => {
    const state = {
      ...EMPTY_STATE,
      logout: false,
      timeoutSeconds: 7,
      logins: [{ client: 'docker' as const, host: 'us.icr.io', file: '/home/u/.docker/config.json' }],
      isolation: { dir: '/t/i', dockerConfig: '/t/i/docker', authFile: '/t/i/auth.json' },
      earlierPath: '/t/e/credentials.json',
      earlierHosts: ['us.icr.io', 'de.icr.io'],
    };
    expect(readState(store(encodeState(state)))).toEqual(state);
    expect(leavesWork(state)).toBe(true);
  });

  it('reads nothing saved as the defaults, with nothing for post to do', () => {
    expect(readState(store({}))).toEqual(EMPTY_STATE);
    expect(EMPTY_STATE.timeoutSeconds).toBe(60);
    expect(leavesWork(readState(store({})))).toBe(false);
  });

  it('ignores junk in every field', () => {
    const state = readState(
      store({
        logins: '[1, {"client": "docker"}, {"client": "docker", "host": "h"}, {"client": "rm", "host": "h", "file": "/f"}]',
        isolated: '{"dir": 1}',
        timeout: 'soon',
        logout: 'maybe',
      }),
    );
    expect(state).toEqual(EMPTY_STATE);
    expect(readState(store({ logins: '{oops' })).logins).toEqual([]);
  });
});
