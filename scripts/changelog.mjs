#!/usr/bin/env node
// The release notes of one version: its section of CHANGELOG.md, as the release workflow publishes them.
//
//   node scripts/changelog.mjs 1.2.0          prints the section of 1.2.0 (without its heading)
//   node scripts/changelog.mjs v1.2.0         the same: a leading v (a tag name) is dropped
//
// Exits 1 with one line on stderr when CHANGELOG.md has no section for the version, or an empty one.
// Plain JavaScript with no dependencies, so that it runs on any Node the runner has.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(import.meta.dirname, '..');

/** `v1.2.0` → `1.2.0`; anything else as it is. */
export function versionOf(tagOrVersion) {
  return String(tagOrVersion)
    .trim()
    .replace(/^v(?=\d)/, '');
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The body of the section for `version` in a Keep a Changelog file: the lines after its `## [version]`
 * (or `## version`) heading, up to the next `## ` heading, without the link reference definitions that
 * close the file (`[1.2.0]: https://…`), trimmed. Undefined when there is no such section or it is empty.
 */
export function changelogSection(changelog, version) {
  const v = escape(versionOf(version));
  const heading = new RegExp(`^##\\s+(\\[${v}\\]|${v})(\\s|$)`);
  const lines = changelog.replace(/\r\n?/g, '\n').split('\n');
  const start = lines.findIndex((line) => heading.test(line));
  if (start < 0) return undefined;
  let end = lines.findIndex((line, i) => i > start && /^##\s/.test(line));
  if (end < 0) end = lines.length;
  const body = lines.slice(start + 1, end);
  while (body.length > 0 && /^\s*(\[[^\]]+\]:\s*\S+.*)?$/.test(body[body.length - 1])) body.pop();
  while (body.length > 0 && body[0].trim() === '') body.shift();
  return body.length > 0 ? `${body.join('\n')}\n` : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = process.argv[2];
  if (!arg) {
    console.error('usage: node scripts/changelog.mjs VERSION');
    process.exit(2);
  }
  const notes = changelogSection(await readFile(join(ROOT, 'CHANGELOG.md'), 'utf8'), arg);
  if (notes === undefined) {
    console.error(`CHANGELOG.md has no section for ${versionOf(arg)}: add "## [${versionOf(arg)}] - YYYY-MM-DD" with its changes.`);
    process.exit(1);
  }
  process.stdout.write(notes);
}
