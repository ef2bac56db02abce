import { describe, expect, it } from 'vitest';
import { confirmed, describeOutcome, done, failed } from '../../../src/clients/plan.ts';
import { writeThenConfirm } from '../../../src/clients/schedule.ts';

describe('one credentials file: write, then confirm', () => {
  type T = { client: 'docker' | 'podman' | 'buildah' | 'skopeo'; host: string };
  const group: T[] = [
    { client: 'podman', host: 'a' },
    { client: 'buildah', host: 'a' },
    { client: 'skopeo', host: 'a' },
    { client: 'podman', host: 'b' },
    { client: 'buildah', host: 'b' },
    { client: 'skopeo', host: 'b' },
  ];
  const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

  it('writes once per host, confirms the rest, and never lets two writers overlap', async () => {
    const events: string[] = [];
    let writing = 0;
    const outcomes = await writeThenConfirm(
      group,
      () => true,
      async (t) => {
        expect(writing).toBe(0);
        writing++;
        events.push(`write ${t.client} ${t.host}`);
        await tick();
        events.push(`written ${t.client} ${t.host}`);
        writing--;
        return done(t, 'logged-in');
      },
      async (t, writer, check) => {
        if (check) {
          events.push(`confirm ${t.client} ${t.host}`);
          await tick();
        }
        return confirmed(t, writer);
      },
    );
    expect(events.filter((e) => e.startsWith('write'))).toEqual(['write podman a', 'write podman b']);
    // Each client checks the file once; host b's confirmations rest on host a's.
    expect(events.filter((e) => e.startsWith('confirm'))).toEqual(['confirm buildah a', 'confirm skopeo a']);
    // Host a's confirmations start after host a is written, and before host b is.
    expect(events.indexOf('confirm buildah a')).toBeGreaterThan(events.indexOf('written podman a'));
    expect(events.indexOf('confirm buildah a')).toBeLessThan(events.indexOf('written podman b'));
    expect(outcomes.map((o) => `${o.client} ${o.host} ${describeOutcome(o)}`)).toEqual([
      'podman a logged in',
      'podman b logged in',
      "buildah a sees podman's login",
      "skopeo a sees podman's login",
      "buildah b sees podman's login",
      "skopeo b sees podman's login",
    ]);
  });

  it('lets a client that cannot confirm log in on its own, and the next client write when a writer failed', async () => {
    const writes: string[] = [];
    const checks: string[] = [];
    const outcomes = await writeThenConfirm(
      group,
      () => true,
      async (t) => {
        writes.push(`${t.client} ${t.host}`);
        return t.client === 'podman' && t.host === 'b' ? failed(t, 'x') : done(t, 'logged-in');
      },
      async (t, _writer, check) => {
        if (check) checks.push(`${t.client} ${t.host}`);
        return t.client === 'skopeo' ? undefined : confirmed(t, 'podman');
      },
    );
    expect(writes).toEqual(['podman a', 'podman b', 'buildah b', 'skopeo a', 'skopeo b']);
    // skopeo's one check failed, so it logs in on its own everywhere without checking again.
    expect(checks).toEqual(['buildah a', 'skopeo a']);
    expect(outcomes).toHaveLength(6);
  });

  it('never shares what a client cannot share', async () => {
    const writes: string[] = [];
    await writeThenConfirm(
      [
        { client: 'docker', host: 'a' },
        { client: 'docker', host: 'b' },
      ] as T[],
      (t) => t.client !== 'docker',
      async (t) => (writes.push(t.host), done(t, 'logged-in')),
      async () => expect.unreachable(),
    );
    expect(writes).toEqual(['a', 'b']);
  });
});
