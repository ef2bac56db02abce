// Input images, access and create-namespace: every mistake on its own line, before anything runs.
import { describe, expect, it } from 'vitest';
import { parseImages } from '../../../src/inputs/images.ts';
import { readSettings } from '../../../src/inputs/read.ts';
import { parseCli } from '../../../src/cli/args.ts';
import { UserError } from '../../../src/lib/errors.ts';

const linesOf = (raw: string): readonly string[] => {
  try {
    parseImages(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as UserError).lines;
  }
  throw new Error('no error');
};
const errorOf = (raw: string): string => linesOf(raw).join(' ');

describe('parseImages', () => {
  it('reads namespace/name, deeper paths, any separator, each once', () => {
    expect(parseImages('my-team/app, my-team/web/app\nmy-team/app')).toEqual([
      { namespace: 'my-team', name: 'app', repository: 'my-team/app' },
      { namespace: 'my-team', name: 'web/app', repository: 'my-team/web/app' },
    ]);
    expect(parseImages('  ')).toEqual([]);
  });

  it.each([
    ['us.icr.io/my-team/app', /starts with a registry host; write it as "my-team\/app"/],
    ['localhost/my-team/app', /registry host/],
    ['my-team/app:1.0', /has a tag/],
    ['my-team/app@sha256:abc', /has a digest/],
    ['My-Team/app', /upper-case letters; repositories are lower case: "my-team\/app"/],
    ['app', /must be namespace\/name/],
    ['my-team/', /must be namespace\/name/],
    ['abc/app', /Namespace "abc" of image "abc\/app" breaks ICR's rules: 4 to 30 characters/],
    ['-team/app', /breaks ICR's rules/],
    ['team-/app', /breaks ICR's rules/],
    [`${'a'.repeat(31)}/app`, /breaks ICR's rules/],
    ['my-team/a..b', /invalid path segment "a..b"/],
  ])('refuses %s', (raw, message) => {
    expect(errorOf(raw)).toMatch(message);
  });

  it('accepts the namespace limits: 4 and 30 characters, _ and - inside', () => {
    expect(parseImages(`abcd/x ${'a'.repeat(30)}/x a_b-c/x`)).toHaveLength(3);
  });

  it('says every mistake at once, one line each', () => {
    const lines = linesOf('us.icr.io/ns/app ok-ns/app ns/app:1 Big/app');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toContain('\n');
    expect(lines[0]).toMatch(/registry host/);
    expect(lines[1]).toMatch(/tag/);
    expect(lines[2]).toMatch(/upper-case/);
  });
});

describe('settings', () => {
  const read = (inputs: Record<string, string>) =>
    readSettings(
      (n) => inputs[n] ?? '',
      () => {},
      'no key',
    );
  it('defaults: no images, push, no namespace creation', () => {
    expect(read({ 'api-key': 'k' })).toMatchObject({ images: [], access: 'push', createNamespace: false });
  });
  it('reads images, access and create-namespace', () => {
    const s = read({ 'api-key': 'k', images: 'team-a/app', access: 'pull', 'create-namespace': 'true' });
    expect(s).toMatchObject({ images: [{ repository: 'team-a/app' }], access: 'pull', createNamespace: true });
  });
  it('refuses an unknown access', () => {
    expect(() => read({ 'api-key': 'k', access: 'write' })).toThrow(/Input access must be one of push, pull/);
  });
});

describe('CLI', () => {
  it('passes --images, --access, --create-namespace as the inputs', () => {
    expect(parseCli(['--images', 'team-a/app', '--images', 'team-a/b', '--access', 'pull', '--create-namespace']).inputs).toEqual({
      images: 'team-a/app,team-a/b',
      access: 'pull',
      'create-namespace': 'true',
    });
  });
});
