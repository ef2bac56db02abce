// Input images, access and create-namespace: every mistake on its own line, before anything runs.
import { describe, expect, it } from 'vitest';
import { parseImages, type KnownHosts } from '../../../src/inputs/images.ts';
import { readSettings } from '../../../src/inputs/read.ts';
import { parseCli } from '../../../src/cli/args.ts';
import { UserError } from '../../../src/lib/errors.ts';

const linesOf = (raw: string, known?: KnownHosts): readonly string[] => {
  try {
    parseImages(raw, known);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as UserError).lines;
  }
  throw new Error('no error');
};
const errorOf = (raw: string, known?: KnownHosts): string => linesOf(raw, known).join(' ');

describe('parseImages', () => {
  it('reads namespace/name, deeper paths, any separator, each once', () => {
    expect(parseImages('my-team/app, my-team/web/app\nmy-team/app')).toEqual([
      { namespace: 'my-team', name: 'app', repository: 'my-team/app' },
      { namespace: 'my-team', name: 'web/app', repository: 'my-team/web/app' },
    ]);
    expect(parseImages('  ')).toEqual([]);
  });

  it.each([
    [
      'quay.io/my-team/app',
      /names "quay.io", which is neither an ICR domain \(like us.icr.io\) nor listed in input registry nor the entitled registry; fix the host, or add it to registry\.$/,
    ],
    ['localhost/my-team/app', /names "localhost", which is neither an ICR domain/],
    ['us.icr.io:99999/my-team/app', /names "us.icr.io:99999", which is not a valid registry host or host:port\.$/],
    [
      'my-team/app:1.0',
      /has a tag but no registry host; write the repository only \(namespace\/name\), or the full reference with its host \("us.icr.io\/my-team\/app:1.0"\)\.$/,
    ],
    ['my-team/app@sha256:abc', /has a digest but no registry host/],
    ['us.icr.io/my-team/app@sha256:abc', /has an invalid digest "sha256:abc"; a sha256 digest is sha256: and 64 hex digits\.$/],
    ['us.icr.io/my-team/app:-x', /has an invalid tag "-x"\.$/],
    ['us.icr.io/app:1', /must be namespace\/name/],
    ['us.icr.io/My-Team/app:1', /upper-case letters; repositories are lower case: "my-team\/app"/],
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
    const lines = linesOf('quay.io/ok-ns/app ok-ns/app ghcr.io/ok-ns/app ns/app:1 Big/app');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).not.toContain('\n');
    expect(lines[0]).toMatch(/names "quay.io", which is neither/);
    expect(lines[1]).toMatch(/names "ghcr.io", which is neither/);
    expect(lines[2]).toMatch(/tag/);
    expect(lines[3]).toMatch(/upper-case/);
  });
});

describe('full references', () => {
  const DIGEST = `sha256:${'a'.repeat(64)}`;
  it('take the host of any ICR domain, public or private, and drop the tag or digest', () => {
    expect(parseImages(`us.icr.io/team/app:1.2 de.icr.io/team/web/app@${DIGEST} private.jp.icr.io/team/app:1@${DIGEST}`)).toEqual([
      { host: 'us.icr.io', namespace: 'team', name: 'app', repository: 'team/app' },
      { host: 'de.icr.io', namespace: 'team', name: 'web/app', repository: 'team/web/app' },
      { host: 'private.jp.icr.io', namespace: 'team', name: 'app', repository: 'team/app' },
    ]);
  });

  it('take a host of input registry, with its port; the host is lower-cased', () => {
    const known = { registries: ['127.0.0.1:5000', 'registry.ng.bluemix.net'], privateEndpoint: false };
    expect(parseImages('127.0.0.1:5000/team/app:1 Registry.NG.Bluemix.net/team/app', known)).toEqual([
      { host: '127.0.0.1:5000', namespace: 'team', name: 'app', repository: 'team/app' },
      { host: 'registry.ng.bluemix.net', namespace: 'team', name: 'app', repository: 'team/app' },
    ]);
    expect(errorOf('127.0.0.1:5001/team/app', known)).toMatch(/names "127.0.0.1:5001", which is neither/);
  });

  it('one check per host and repository: tags of one repository, or a repository also listed without a host, add none', () => {
    expect(parseImages('us.icr.io/team/app:1 us.icr.io/team/app:2 team/lib us.icr.io/team/lib:3')).toEqual([
      { host: 'us.icr.io', namespace: 'team', name: 'app', repository: 'team/app' },
      { namespace: 'team', name: 'lib', repository: 'team/lib' },
    ]);
  });

  it('with private-endpoint, a public ICR domain is a mistake that names the private one', () => {
    expect(errorOf('us.icr.io/team/app', { registries: [], privateEndpoint: true })).toBe(
      'Image "us.icr.io/team/app" in input images names the public domain us.icr.io but private-endpoint is true; write "private.us.icr.io/team/app", or drop private-endpoint.',
    );
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
  it('a host named in images is logged in; region’s default applies only when no input names a host', () => {
    expect(read({ 'api-key': 'k', images: 'de.icr.io/team/app:1' }).hosts).toEqual(['de.icr.io']);
    expect(read({ 'api-key': 'k', images: 'team/app' }).hosts).toEqual(['us.icr.io']);
    expect(read({ 'api-key': 'k', images: 'team/lib de.icr.io/team/app' }).hosts).toEqual(['de.icr.io']);
    expect(read({ 'api-key': 'k', region: 'us-south', images: 'de.icr.io/team/app' }).hosts).toEqual(['us.icr.io', 'de.icr.io']);
    expect(read({ 'api-key': 'k', region: 'eu-de', images: 'de.icr.io/team/app' }).hosts).toEqual(['de.icr.io']);
    expect(read({ 'api-key': 'k', registry: 'icr.io', images: 'jp.icr.io/team/app' }).hosts).toEqual(['icr.io', 'jp.icr.io']);
    expect(read({ 'api-key': 'k', 'private-endpoint': 'true', images: 'private.de.icr.io/team/app' }).hosts).toEqual(['private.de.icr.io']);
  });
  it('a host that is neither ICR nor in registry is refused with every other mistake of images, one line each', () => {
    expect(() => read({ 'api-key': 'k', images: 'quay.io/team/app ghcr.io/team/app' })).toThrow(UserError);
    try {
      read({ 'api-key': 'k', images: 'quay.io/team/app ghcr.io/team/app' });
    } catch (e) {
      expect((e as UserError).lines).toHaveLength(2);
      expect((e as UserError).title).toBe('images');
    }
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
