#!/usr/bin/env node
// Keeps the generated parts of README.md true to the code: the inputs and outputs tables (from
// action.yml), the regions table (from src/inputs/regions.ts) and the CLI usage (from src/cli/args.ts).
//
//   node scripts/docs.mjs           rewrites README.md between its marker comments
//   node scripts/docs.mjs --check   exits 1 with one line if README.md differs
//
// Plain JavaScript; needs Node 24 (it imports the TypeScript sources directly).
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '..');

/** The generated sections, by marker name, in the order they appear in README.md. */
export const SECTIONS = ['inputs', 'outputs', 'regions', 'usage'];

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

/** The CLI usage, from USAGE in src/cli/args.ts. */
export function renderUsage(usage) {
  return ['```text', usage.trimEnd(), '```'].join('\n');
}

/** Everything the generated sections are made from, read from the repository. */
export async function loadSources(root = ROOT) {
  const action = parse(await readFile(join(root, 'action.yml'), 'utf8'));
  const { REGIONS } = await import(pathToFileURL(join(root, 'src', 'inputs', 'regions.ts')).href);
  const { USAGE } = await import(pathToFileURL(join(root, 'src', 'cli', 'args.ts')).href);
  return { action, regions: REGIONS, usage: USAGE };
}

/** Each section's generated text, by marker name. */
export function renderSections({ action, regions, usage }) {
  return {
    inputs: renderInputs(action),
    outputs: renderOutputs(action),
    regions: renderRegions(regions),
    usage: renderUsage(usage),
  };
}

const markers = (name) => [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];

/** The text between one section's markers, trimmed; throws when the markers are missing. */
export function extractSection(readme, name) {
  const [start, end] = markers(name);
  const from = readme.indexOf(start);
  const to = readme.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`README.md lacks the markers ${start} … ${end}`);
  return readme.slice(from + start.length, to).trim();
}

/** README with every section between its markers replaced by `sections`. */
export function render(readme, sections) {
  let text = readme;
  for (const name of SECTIONS) {
    const [start, end] = markers(name);
    const from = text.indexOf(start);
    const to = text.indexOf(end, from);
    if (from < 0 || to < 0) throw new Error(`README.md lacks the markers ${start} … ${end}`);
    text = `${text.slice(0, from + start.length)}\n${sections[name]}\n${text.slice(to)}`;
  }
  return text;
}

async function main(argv) {
  const check = argv.includes('--check');
  const path = join(ROOT, 'README.md');
  const readme = await readFile(path, 'utf8');
  const next = render(readme, renderSections(await loadSources()));
  if (next === readme) return 0;
  if (check) {
    const stale = SECTIONS.filter((name) => extractSection(readme, name) !== extractSection(next, name));
    process.stderr.write(`README.md is out of date (${stale.join(', ')}); run node scripts/docs.mjs and commit the result.\n`);
    return 1;
  }
  await writeFile(path, next);
  process.stderr.write('README.md updated.\n');
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
