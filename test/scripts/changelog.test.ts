// scripts/changelog.mjs: the release notes the release workflow takes from CHANGELOG.md.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { changelogSection, ROOT, versionOf } from '../../scripts/changelog.mjs';

const run = promisify(execFile);

const CHANGELOG = `# Changelog

Intro text that belongs to no version.

## [Unreleased]

- Not yet.

## [1.10.0] - 2027-01-05

### Added

- Ten.

## [1.1.0] - 2026-12-01

- One, with a [link](https://example.com/x) and \`## not a heading\` inline.

## 1.0.1

- A heading without brackets or date.

## [1.0.0] - 2026-11-24

- First.

[1.10.0]: https://github.com/icr-login/icr-login/releases/tag/v1.10.0
[1.0.0]: https://github.com/icr-login/icr-login/releases/tag/v1.0.0
`;

describe('changelogSection', () => {
  it('returns the body of one version, without its heading, up to the next version', () => {
    expect(changelogSection(CHANGELOG, '1.10.0')).toBe('### Added\n\n- Ten.\n');
    expect(changelogSection(CHANGELOG, '1.1.0')).toBe('- One, with a [link](https://example.com/x) and `## not a heading` inline.\n');
  });

  it('takes a tag name as well as a version', () => {
    expect(versionOf('v1.2.3')).toBe('1.2.3');
    expect(versionOf('v1.2.3-rc.1')).toBe('1.2.3-rc.1');
    expect(versionOf('1.2.3')).toBe('1.2.3');
    expect(changelogSection(CHANGELOG, 'v1.10.0')).toBe(changelogSection(CHANGELOG, '1.10.0'));
  });

  it('does not take 1.1.0 for 1.10.0, nor 1.0.0 for 1.0.1 (the dots are literal)', () => {
    expect(changelogSection(CHANGELOG, '1.0.1')).toBe('- A heading without brackets or date.\n');
    expect(changelogSection(CHANGELOG, '1.0.0')).toBe('- First.\n');
    expect(changelogSection(CHANGELOG, '1.0')).toBeUndefined();
    expect(changelogSection(CHANGELOG, '1x0x0')).toBeUndefined();
  });

  it('drops the link reference definitions that close the file', () => {
    expect(changelogSection(CHANGELOG, '1.0.0')).not.toContain('releases/tag');
  });

  it('is undefined for a version with no section, or an empty one', () => {
    expect(changelogSection(CHANGELOG, '2.0.0')).toBeUndefined();
    expect(changelogSection('## [3.0.0]\n\n## [2.0.0]\n- two\n', '3.0.0')).toBeUndefined();
  });

  it('reads CRLF files', () => {
    expect(changelogSection(CHANGELOG.replace(/\n/g, '\r\n'), '1.10.0')).toBe('### Added\n\n- Ten.\n');
  });
});

describe('CHANGELOG.md', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

  it('has a section for the version in package.json, which the release of that tag publishes', () => {
    const notes = changelogSection(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'), pkg.version);
    expect(notes, `add a "## [${pkg.version}]" section to CHANGELOG.md`).toBeDefined();
    expect(notes).not.toMatch(/^## /m);
  });

  it('node scripts/changelog.mjs prints it, and exits 1 with one line for a missing version', async () => {
    const script = join(ROOT, 'scripts', 'changelog.mjs');
    const { stdout } = await run(process.execPath, [script, `v${pkg.version}`]);
    expect(stdout).toBe(changelogSection(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'), pkg.version));
    const missing = await run(process.execPath, [script, '0.0.0-none']).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(missing?.code).toBe(1);
    expect(missing?.stderr.trim().split('\n')).toEqual([
      'CHANGELOG.md has no section for 0.0.0-none: add "## [0.0.0-none] - YYYY-MM-DD" with its changes.',
    ]);
  });
});
