#!/usr/bin/env node
// Writes dist/licenses.txt: the licence of every npm package whose code ends up in the bundles.
//
// Which packages those are is read from what esbuild produced, never from a list kept by hand:
// either the metafile of the build (writeLicenses({ metafile })), or, by default, the source maps
// dist/*.js.map that scripts/bundle.mjs writes beside each bundle. Only inputs that contributed
// bytes count, so a package that tree-shaking removed entirely is not listed.
//
//   node scripts/licenses.mjs           writes dist/licenses.txt from dist/*.js.map
//   node scripts/licenses.mjs --check   exits 1 if dist/licenses.txt is not what it would write
//
// The output is deterministic: packages sorted by name, bundles sorted, line endings normalised.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(import.meta.dirname, '..');

const LICENSE_FILE = /^(licen[cs]e|copying|notice)(\.(md|txt|markdown))?$/i;

/** The package directory an input path lies in (the last node_modules/<name> or node_modules/@scope/<name>), or undefined. */
export function packageDirOf(path) {
  const parts = path.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  const scoped = parts[at + 1].startsWith('@');
  if (scoped && at + 2 >= parts.length) return undefined;
  return parts.slice(0, at + (scoped ? 3 : 2)).join(sep);
}

/** Package directory (absolute) → names of the bundles it went into, from dist/*.js.map. */
export async function packagesFromSourceMaps(distDir = join(ROOT, 'dist')) {
  const usage = new Map();
  const maps = (await readdir(distDir)).filter((f) => f.endsWith('.js.map')).sort();
  if (maps.length === 0) throw new Error(`no source maps in ${distDir}; run npm run bundle first`);
  for (const map of maps) {
    const { sources = [], sourceRoot = '' } = JSON.parse(await readFile(join(distDir, map), 'utf8'));
    for (const source of sources) {
      const dir = packageDirOf(source);
      if (dir) add(usage, resolve(distDir, sourceRoot, dir), map.slice(0, -'.map'.length));
    }
  }
  return usage;
}

/**
 * The same, from an esbuild metafile (build({ metafile: true }).metafile), paths relative to `root`.
 * A package in a chunk is named by the entries that load that chunk (at once or by import()).
 */
export function packagesFromMetafile(metafile, root = ROOT) {
  const usage = new Map();
  const outputs = metafile.outputs;
  const entries = Object.keys(outputs).filter((o) => o.endsWith('.js') && outputs[o].entryPoint !== undefined);
  const reach = (from, seen = new Set()) => {
    if (seen.has(from)) return seen;
    seen.add(from);
    for (const { path } of outputs[from]?.imports ?? []) if (outputs[path]) reach(path, seen);
    return seen;
  };
  for (const entry of entries) {
    for (const output of reach(entry)) {
      for (const [input, { bytesInOutput }] of Object.entries(outputs[output].inputs ?? {})) {
        const dir = bytesInOutput > 0 ? packageDirOf(input) : undefined;
        if (dir) add(usage, resolve(root, dir), basename(entry));
      }
    }
  }
  return usage;
}

function add(usage, dir, bundle) {
  if (!usage.has(dir)) usage.set(dir, new Set());
  usage.get(dir).add(bundle);
}

const normalise = (text) =>
  text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .trim();

/** One package's entry: name, version, licence, the bundles it is in, and its licence files. */
export async function describePackage(dir, bundles) {
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  const license = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'UNKNOWN');
  const files = (await readdir(dir)).filter((f) => LICENSE_FILE.test(f)).sort();
  const texts = [];
  for (const f of files) texts.push({ file: f, text: normalise(await readFile(join(dir, f), 'utf8')) });
  return { name: pkg.name, version: pkg.version, license, bundles: [...bundles].sort(), texts };
}

const RULE = '='.repeat(78);

/** The whole file, from package directory → bundles. */
export async function renderLicenses(usage) {
  const packages = [];
  for (const [dir, bundles] of usage) packages.push(await describePackage(dir, bundles));
  packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : 1));
  const lines = [
    'icr-login bundles code from the npm packages below into dist/.',
    'Each package is listed with its licence as its authors ship it.',
    '',
  ];
  for (const p of packages) {
    lines.push(RULE, `${p.name} ${p.version}`, `License: ${p.license}`, `Bundled into: ${p.bundles.join(', ')}`, RULE, '');
    if (p.texts.length === 0) lines.push(`(The package ships no licence file; its package.json declares ${p.license}.)`, '');
    for (const t of p.texts) lines.push(...(p.texts.length > 1 ? [`--- ${t.file} ---`, ''] : []), t.text, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Writes distDir/licenses.txt; returns its text. Pass the build's metafile to use it instead of the source maps. */
export async function writeLicenses({ distDir = join(ROOT, 'dist'), metafile, root = ROOT } = {}) {
  const usage = metafile ? packagesFromMetafile(metafile, root) : await packagesFromSourceMaps(distDir);
  const text = await renderLicenses(usage);
  await writeFile(join(distDir, 'licenses.txt'), text);
  return text;
}

async function main(argv) {
  const distDir = join(ROOT, 'dist');
  if (argv.includes('--check')) {
    const want = await renderLicenses(await packagesFromSourceMaps(distDir));
    const have = await readFile(join(distDir, 'licenses.txt'), 'utf8').catch(() => '');
    if (want === have) return 0;
    process.stderr.write('dist/licenses.txt is out of date; run node scripts/licenses.mjs (or npm run bundle).\n');
    return 1;
  }
  const text = await writeLicenses({ distDir });
  const count = text.split('\n').filter((l) => l.startsWith('License: ')).length;
  process.stderr.write(`dist/licenses.txt: ${count} packages.\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`licenses: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
