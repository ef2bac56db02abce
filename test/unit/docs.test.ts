// The docs stay true (CONTRIBUTING.md, "The docs stay true"): links and anchors resolve, every path and
// test title a page cites exists, performance figures come from docs/bench.json, the generated
// tables are what scripts/docs.mjs writes, the layout names every folder, and action.yml matches the code.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchFigures, extractSection, loadSources, PAGES, renderSections, ROOT } from '../../scripts/docs.mjs';
import { INPUT, OUTPUT } from '../../src/inputs/settings.ts';
import { anchors, blocksUnder, brokenLinks, citedPaths, citedTitles, headings, linkTargets, quotedFigures, slug } from './markdown.ts';

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const mdIn = (dir: string): string[] =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.md'))
    .map((f) => (dir === '.' ? f : `${dir}/${f}`));
/** The user's and contributor's documents; the CHANGELOG is history, so only its links are checked. */
const DOCS = [...mdIn('.').filter((f) => f !== 'CHANGELOG.md'), ...mdIn('docs')];
const sources = await loadSources();
const sections = renderSections(sources);

describe('the markdown reader', () => {
  it.each([
    ['Compared with docker/login-action', 'compared-with-dockerlogin-action'],
    ['Short-lived credentials: `auth-type: bearer`', 'short-lived-credentials-auth-type-bearer'],
    ["The GitHub runner's step state", 'the-github-runners-step-state'],
    ['IAM’s token API', 'iams-token-api'],
    ['Access check (input images)', 'access-check-input-images'],
    ['Exit codes, outputs and environment', 'exit-codes-outputs-and-environment'],
  ])('slugs %s as GitHub does', (heading, anchor) => {
    expect(slug(heading)).toBe(anchor);
  });

  it('numbers a repeated heading and ignores headings and links in code', () => {
    const text = '# A\n## A\n```sh\n# B\n[x](nowhere.md)\n```\n`[y](nowhere.md)` `a code\nspan` [z](here.md)';
    expect([...anchors(text)]).toEqual(['a', 'a-1']);
    expect(linkTargets(text)).toEqual(['here.md']);
  });

  it('reports a link to a missing file and to a missing heading, and nothing else', () => {
    const page =
      '[ok](README.md#documentation) [file](docs/none.md) [anchor](docs/cli.md#none) [here](#x) [gone](#y) [web](https://x.test/#z)\n# X';
    expect(brokenLinks(ROOT, 'page.md', page)).toEqual([
      'page.md: docs/none.md leads to no file',
      'page.md: docs/cli.md#none leads to no heading',
      'page.md: #y leads to no heading',
    ]);
  });

  it('reads citations of tests and figures, but not targets', () => {
    const row = '| a | b | `test/e2e/a.test.ts` › one; two; `test/unit/b.test.ts`; `test/unit/c.test.ts` › three |';
    expect(citedTitles(row)).toEqual([
      { path: 'test/e2e/a.test.ts', title: 'one' },
      { path: 'test/e2e/a.test.ts', title: 'two' },
      { path: 'test/unit/c.test.ts', title: 'three' },
    ]);
    expect(quotedFigures('took 334 ms, 1.57 × faster (target ≥ 1.75 ×), 59.2 KB, ≤ 400 KB, 4 clients × 2 hosts')).toEqual([
      '334 ms',
      '1.57 ×',
      '59.2 KB',
    ]);
  });
});

describe.each(Object.keys(PAGES))('%s', (page) => {
  const text = read(page);
  it.each(PAGES[page as keyof typeof PAGES])('has the %s section node scripts/docs.mjs generates', (name) => {
    expect(extractSection(text, name, page), `run node scripts/docs.mjs and commit the result`).toBe(sections[name]);
  });
});

describe.each([...DOCS, 'CHANGELOG.md'])('%s', (page) => {
  it('links only to files and headings that exist', () => {
    expect(brokenLinks(ROOT, page, read(page))).toEqual([]);
  });
});

describe.each(DOCS)('%s', (page) => {
  const text = read(page);

  it('names only paths that exist', () => {
    const missing = citedPaths(text).filter((path) => {
      try {
        readdirSync(join(ROOT, path.replace(/\/$/, '')));
        return false;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code !== 'ENOTDIR';
      }
    });
    expect(missing).toEqual([]);
  });

  it('cites only test titles its test files hold', () => {
    const missing = citedTitles(text).filter(({ path, title }) => !read(path).includes(title));
    expect(missing).toEqual([]);
  });

  it('quotes only the performance figures of docs/bench.json', () => {
    const figures = benchFigures(sources.bench);
    expect(quotedFigures(text).filter((f) => !figures.has(f))).toEqual([]);
  });
});

describe('CONTRIBUTING.md', () => {
  const layout = blocksUnder(read('CONTRIBUTING.md'), '## Code layout').map((line) => line.split(/\s+/)[0]);
  const folders = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `${dir}/${d.name}/`);

  it('gives every folder of src/ and test/ a line in the code layout', () => {
    const all = [...folders('src'), ...folders('src').flatMap((d) => folders(d.slice(0, -1))), ...folders('test')];
    expect(all.filter((d) => !layout.includes(d))).toEqual([]);
  });
});

describe('the docs/ references in code comments', () => {
  const files = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
      .filter((d) => d.isFile() && /\.(ts|mjs|js)$/.test(d.name))
      .map((d) => join(d.parentPath, d.name));
  const code = [...['src', 'test', 'scripts', 'bench'].flatMap(files), join(ROOT, 'eslint.config.js')]
    .filter((f) => !f.endsWith('docs.test.ts'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');

  it('name anchors that docs/ has', () => {
    const missing = [...code.matchAll(/docs\/([\w-]+\.md)#([\w-]+)/g)].filter(
      ([, file, anchor]) => !anchors(read(`docs/${file}`)).has(anchor!),
    );
    expect(missing.map((m) => m[0])).toEqual([]);
  });

  it('name sections that docs/ has', () => {
    const missing = [...code.matchAll(/docs\/([\w-]+\.md), "([^"]+)"/g)].filter(
      ([, file, name]) => !headings(read(`docs/${file}`)).some((h) => h.toLowerCase().startsWith(name!.toLowerCase())),
    );
    expect(missing.map((m) => m[0])).toEqual([]);
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
