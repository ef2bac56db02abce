// README.md's generated parts match action.yml and the code, and action.yml matches the names the code uses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractSection, loadSources, renderSections, ROOT, SECTIONS } from '../../scripts/docs.mjs';
import { INPUT, OUTPUT } from '../../src/inputs/settings.ts';

const sources = await loadSources();
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const sections = renderSections(sources);

describe('README.md', () => {
  it.each(SECTIONS)('its %s section is what node scripts/docs.mjs generates', (name) => {
    expect(extractSection(readme, name), `run node scripts/docs.mjs to regenerate README.md's ${name}`).toBe(sections[name]);
  });
});

describe('action.yml and src/inputs/settings.ts', () => {
  const sorted = (names: Iterable<string>): string[] => [...names].sort();

  it('name the same inputs', () => {
    expect(sorted(Object.keys(sources.action.inputs ?? {}))).toEqual(sorted(Object.values(INPUT)));
  });

  it('name the same outputs', () => {
    expect(sorted(Object.keys(sources.action.outputs ?? {}))).toEqual(sorted(Object.values(OUTPUT)));
  });
});
