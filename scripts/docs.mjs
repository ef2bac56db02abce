#!/usr/bin/env node
// Keeps the generated parts of the docs true to their sources: the inputs and outputs tables (from
// action.yml) and the regions table (from src/inputs/regions.ts) in README.md, the CLI usage (from
// src/cli/args.ts) in docs/cli.md, and the performance table (from docs/bench.json, which
// `npm run bench` writes) in docs/performance.md.
//
//   node scripts/docs.mjs           rewrites every page between its marker comments
//   node scripts/docs.mjs --check   exits 1 with one line if a page differs
//
// Plain JavaScript; needs Node 24 (it imports the TypeScript sources directly).
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '..');

/** The generated sections of each page, by marker name, in the order they appear. */
export const PAGES = {
  'README.md': ['inputs', 'outputs', 'regions'],
  'docs/cli.md': ['usage'],
  'docs/performance.md': ['machine', 'bench'],
};

/** One table cell: no pipe or line break may escape it. */
function cell(text) {
  return String(text).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();
}

/** action.yml repeats the default at the end of each description; the table has a column for it. */
function withoutDefault(description) {
  return description.replace(/\s*Default: [^]*$/, '').trim();
}

function renderDefault(spec) {
  if (spec.default === undefined) return '';
  const value = String(spec.default);
  return value === '' ? '*empty*' : `\`${cell(value)}\``;
}

/** The inputs table, from the parsed action.yml. */
export function renderInputs(action) {
  const rows = Object.entries(action.inputs ?? {}).map(
    ([name, spec]) =>
      `| \`${name}\` | ${cell(withoutDefault(spec.description ?? ''))} | ${renderDefault(spec)} | ${spec.required ? 'yes' : 'no'} |`,
  );
  return ['| name | description | default | required |', '|---|---|---|---|', ...rows].join('\n');
}

/** The outputs table, from the parsed action.yml. */
export function renderOutputs(action) {
  const rows = Object.entries(action.outputs ?? {}).map(([name, spec]) => `| \`${name}\` | ${cell(spec.description ?? '')} |`);
  return ['| name | description |', '|---|---|', ...rows].join('\n');
}

/** The regions table, from REGIONS in src/inputs/regions.ts. */
export function renderRegions(regions) {
  const rows = regions.map(
    (r) =>
      `| \`${r.name}\` | ${r.alias ? `\`${r.alias}\`` : r.name === 'global' ? '–' : `\`${r.name}\``} | \`${r.domain}\` | \`${r.privateDomain}\` |`,
  );
  return ['| ICR name | IBM Cloud id | domain | private domain |', '|---|---|---|---|', ...rows].join('\n');
}

/** The CLI usage, from USAGE in src/cli/usage.ts. */
export function renderUsage(usage) {
  return ['```text', usage.trimEnd(), '```'].join('\n');
}

// How the bench's figures are written wherever a page shows them; benchFigures() lists the same strings.
const ms = (n) => `${n.toFixed(0)} ms`;
const ratio = (n) => `${n.toFixed(2)} ×`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const verdict = (met) => (met ? 'met' : '**not met**');

/** The machine and run the figures come from, from docs/bench.json. */
export function renderMachine(bench) {
  const m = bench.machine;
  const clients = Object.values(m.clients).join('; ');
  return (
    `Measured on ${bench.date} on ${m.cpus} × ${m.cpu}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node} ` +
    `(${clients}); medians of ${bench.runs} runs; load average ${m.load.toFixed(2)} when the bench started.`
  );
}

/** The performance table, from docs/bench.json. */
export function renderBench(bench) {
  const { medians: d, targets: t, bundles } = bench;
  const row = (...cells) => `| ${cells.join(' | ')} |`;
  const goal = (sign, target, value, unit = '×') =>
    `${sign} ${target} ${unit}: ${verdict(sign === '≤' ? value <= target : value >= target)}`;
  /** A measure held against another, `value / against`; for the sequential sum that is how much faster the step is. */
  const versus = (what, value, name, against, sign, target) =>
    row(
      what,
      ms(value),
      `${name}: ${ms(against)}`,
      sign === '≥' ? `the step is ${ratio(value / against)} faster` : ratio(value / against),
      target ? goal(sign, target, value / against) : '–',
    );
  return [
    row('measure', 'median', 'against', 'ratio', 'target'),
    '|---|---|---|---|---|',
    versus('cold start: `node dist/main.js` to its first output', d.cold, 'bare Node', d.bare, '≤', t.cold),
    versus('full step: main + post, 4 clients × 2 hosts', d.step, 'the floor', d.floor, '≤', t.step),
    versus('the same step with `images` (push access to 1 image on both hosts)', d.images, 'the step without', d.step, '≤', t.images),
    versus('sequential sum: the 8 direct logins and 8 logouts one after another', d.sequential, 'the full step', d.step, '≥', t.sequential),
    versus(
      'the full step against a looser floor, with one chain per client instead of per file',
      d.step,
      'the looser floor',
      d.perClient,
      '≤',
    ),
    row('one IAM round trip (a new TLS connection)', ms(d.iam), '–', '–', '–'),
    ...Object.entries(bundles).map(([file, bytes]) =>
      row(
        file === 'dist' ? 'all of `dist/`: the entries and their chunks' : `\`dist/${file}\` and the chunks it loads at start`,
        kb(bytes),
        '–',
        '–',
        file === 'main.js' ? goal('≤', t.mainKb, bytes / 1024, 'KB') : '–',
      ),
    ),
  ].join('\n');
}

/** Every figure the performance section prints, as a page writes it: only these may be quoted elsewhere. */
export function benchFigures(bench) {
  const d = bench.medians;
  return new Set([
    ...Object.values(d).map(ms),
    ratio(d.cold / d.bare),
    ratio(d.step / d.floor),
    ratio(d.images / d.step),
    ratio(d.sequential / d.step),
    ratio(d.step / d.perClient),
    ...Object.values(bench.bundles).map(kb),
  ]);
}

/** Everything the generated sections are made from, read from the repository. */
export async function loadSources(root = ROOT) {
  const action = parse(await readFile(join(root, 'action.yml'), 'utf8'));
  const bench = JSON.parse(await readFile(join(root, 'docs', 'bench.json'), 'utf8'));
  const { REGIONS } = await import(pathToFileURL(join(root, 'src', 'inputs', 'regions.ts')).href);
  const { USAGE } = await import(pathToFileURL(join(root, 'src', 'cli', 'usage.ts')).href);
  return { action, regions: REGIONS, usage: USAGE, bench };
}

/** Each section's generated text, by marker name. */
export function renderSections({ action, regions, usage, bench }) {
  return {
    inputs: renderInputs(action),
    outputs: renderOutputs(action),
    regions: renderRegions(regions),
    usage: renderUsage(usage),
    machine: renderMachine(bench),
    bench: renderBench(bench),
  };
}

const markers = (name) => [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];

function bounds(text, name, page) {
  const [start, end] = markers(name);
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`${page} lacks the markers ${start} … ${end}`);
  return [from + start.length, to];
}

/** The text between one section's markers, trimmed; throws when the markers are missing. */
export function extractSection(text, name, page = 'the page') {
  const [from, to] = bounds(text, name, page);
  return text.slice(from, to).trim();
}

/** A page with each of its sections between their markers replaced by `sections`. */
export function render(text, page, sections) {
  let next = text;
  for (const name of PAGES[page]) {
    const [from, to] = bounds(next, name, page);
    next = `${next.slice(0, from)}\n${sections[name]}\n${next.slice(to)}`;
  }
  return next;
}

async function main(argv) {
  const check = argv.includes('--check');
  const sections = renderSections(await loadSources());
  const stale = [];
  for (const page of Object.keys(PAGES)) {
    const path = join(ROOT, page);
    const text = await readFile(path, 'utf8');
    const next = render(text, page, sections);
    if (next === text) continue;
    stale.push(
      `${page} (${PAGES[page].filter((name) => extractSection(text, name, page) !== extractSection(next, name, page)).join(', ')})`,
    );
    if (!check) await writeFile(path, next);
  }
  if (stale.length === 0) return 0;
  if (check) {
    process.stderr.write(`Out of date: ${stale.join('; ')}; run node scripts/docs.mjs and commit the result.\n`);
    return 1;
  }
  process.stderr.write(`Updated ${stale.join('; ')}.\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`docs: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
