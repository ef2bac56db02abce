import { describe, expect, it } from 'vitest';
import { readState } from '../../../../src/steps/state/reader.ts';
import { EMPTY_STATE, leavesWork } from '../../../../src/steps/state/step-state.ts';
import { encodeState, stateWriter } from '../../../../src/steps/state/writer.ts';

const store = (saved: Record<string, string>) => ({ getState: (name: string) => saved[name] ?? '' });
const RUN = '0f8e3a52-1b7c-4d2e-9f00-123456789abc';
const login = { client: 'docker' as const, host: 'us.icr.io', file: '/home/u/.docker/config.json' };

describe('state main hands post', () => {
  it('round-trips the run, logins, groups, isolation, owners and the earlier-credentials path', () => {
    const state = {
      ...EMPTY_STATE,
      run: RUN,
      logout: false,
      timeoutSeconds: 7,
      logins: [login, { ...login, host: 'de.icr.io' }],
      isolation: { dir: '/t/i', dockerConfig: '/t/i/docker', authFile: '/t/i/auth.json' },
      earlierPath: '/t/e/credentials.json',
      earlierHosts: ['us.icr.io', 'de.icr.io'],
      // One hash per credential: ICR's and the entitled registry's.
      owners: ['a'.repeat(64), 'b'.repeat(64)],
      groups: [4242, 4343],
      stopped: false,
    };
    expect(readState(store(encodeState(state)))).toEqual(state);
    const ended = {
      ...state,
      logins: [
        { ...login, ended: 'logged-in' as const },
        { ...login, host: 'de.icr.io', ended: 'failed' as const },
      ],
      stopped: true,
    };
    expect(readState(store(encodeState(ended)))).toEqual({ ...ended, groups: [] });
    expect(leavesWork(state)).toBe(true);
  });

  it('reads nothing saved as the defaults, with nothing for post to do', () => {
    expect(readState(store({}))).toEqual(EMPTY_STATE);
    expect(EMPTY_STATE.timeoutSeconds).toBe(60);
    expect(leavesWork(readState(store({})))).toBe(false);
  });

  it('saves one short value per login, once each, so the state grows linearly', () => {
    const saved: Record<string, string> = {};
    const writer = stateWriter({ saveState: (n, v) => (saved[n] = v), getState: () => '' });
    writer.begin(RUN);
    let written = 0;
    const sizes: number[] = [];
    for (let i = 0; i < 300; i++) {
      writer.login({ ...login, host: `h${i}.icr.io` });
      writer.login({ ...login, host: `h${i}.icr.io` });
      written += saved[`login_${i}`]!.length;
      sizes.push(written);
    }
    expect(Object.keys(saved).filter((n) => n.startsWith('login_'))).toHaveLength(300);
    expect(sizes[299]! / sizes[149]!).toBeLessThan(2.1);
    expect(readState(store(saved)).logins).toHaveLength(300);
  });

  it('ignores values main did not write: another run id, junk, a program that is not a client', () => {
    const saved = encodeState({ ...EMPTY_STATE, run: RUN, logins: [login], groups: [4242] });
    const injected = {
      ...saved,
      login_1: JSON.stringify({ ...login, run: 'someone-elses-run', host: 'evil.example' }),
      login_2: JSON.stringify({ ...login, run: RUN, client: 'rm' }),
      pgid_1: 'someone-elses-run:1',
      pgid_2: `${RUN}:-1`,
    };
    const state = readState(store(injected));
    expect(state.logins).toEqual([login]);
    expect(state.groups).toEqual([4242]);
    // Without main's run id nothing is trusted at all.
    expect(readState(store({ ...injected, run: '' }))).toEqual(EMPTY_STATE);
    // Once main saw every client end, post kills no group.
    expect(readState(store({ ...saved, stopped: RUN })).groups).toEqual([]);
  });

  it('reads how each login ended only from records of this run about a login it saved; success wins', () => {
    const saved: Record<string, string> = {};
    const writer = stateWriter({ saveState: (n, v) => (saved[n] = v), getState: () => '' });
    writer.begin(RUN);
    const de = { ...login, host: 'de.icr.io' };
    const jp = { ...login, host: 'jp.icr.io' };
    for (const l of [login, de, jp]) writer.login(l);
    writer.ended(login, 'logged-in');
    writer.ended(de, 'failed');
    // A login never saved has no outcome to record.
    writer.ended({ ...login, host: 'never.example' }, 'failed');
    expect(saved).toMatchObject({ ended_0: `${RUN}:0:logged-in`, ended_1: `${RUN}:1:failed` });
    expect(saved['ended_2']).toBeUndefined();
    const ended = (extra: Record<string, string>) => readState(store({ ...saved, ...extra })).logins.map((l) => l.ended);
    expect(ended({})).toEqual(['logged-in', 'failed', undefined]);
    // Another run's record, a malformed one, one about no saved login: each says nothing.
    expect(
      ended({ ended_2: `someone-elses-run:2:failed`, ended_3: `${RUN}:2:maybe`, ended_4: `${RUN}:9:failed`, ended_5: `${RUN}:2` }),
    ).toEqual(['logged-in', 'failed', undefined]);
    // A record of failure after one of success does not hide a login that may be there.
    expect(ended({ ended_2: `${RUN}:0:failed`, ended_3: `${RUN}:1:logged-in` })).toEqual(['logged-in', 'logged-in', undefined]);
    // A corrupt record of a login leaves the logins after it where they were.
    expect(readState(store({ ...saved, login_1: 'junk' })).logins.map((l) => [l.host, l.ended])).toEqual([
      ['us.icr.io', 'logged-in'],
      ['jp.icr.io', undefined],
    ]);
  });

  it('reads the one owner hash a session of an older icr-login holds, and drops junk among hashes', () => {
    expect(readState(store({ run: RUN, owner: 'c'.repeat(64) })).owners).toEqual(['c'.repeat(64)]);
    expect(readState(store({ run: RUN, owner: JSON.stringify(['d'.repeat(64), 'x', 7]) })).owners).toEqual(['d'.repeat(64)]);
  });

  it('ignores junk in every field', () => {
    const state = readState(
      store({
        run: RUN,
        login_0: '[1]',
        login_1: '{"client": "docker", "host": "h"}',
        isolated: '{"dir": 1}',
        timeout: 'soon',
        logout: 'maybe',
        owner: 'not-a-hash',
        ended_0: '{"run": 1}',
        stopped: 'yes',
      }),
    );
    expect(state).toEqual({ ...EMPTY_STATE, run: RUN });
  });
});
