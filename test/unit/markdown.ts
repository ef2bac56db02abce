// Markdown as GitHub reads it, for the docs test (docs.test.ts): code fenced off, headings and their
// anchors (github-slugger's rule), links, and what a page cites. Pure, but for the file lookups of
// brokenLinks.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const FENCE = /^ {0,3}(```|~~~)/;

/** The text with every fenced code block blanked (line numbers kept), so links and headings in code do not count. */
export function prose(text: string): string {
  let inside = false;
  return text
    .split('\n')
    .map((line) => {
      if (FENCE.test(line)) {
        inside = !inside;
        return '';
      }
      return inside ? '' : line;
    })
    .join('\n');
}

/** The lines of the fenced blocks that follow `heading` (up to the next heading of any level). */
export function blocksUnder(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const from = lines.indexOf(heading);
  if (from < 0) return [];
  const out: string[] = [];
  let inside = false;
  for (const line of lines.slice(from + 1)) {
    if (!inside && /^#{1,6} /.test(line)) break;
    if (FENCE.test(line)) inside = !inside;
    else if (inside) out.push(line);
  }
  return out;
}

/** A heading's text as GitHub renders it: code marks, emphasis, links and HTML dropped. */
function rendered(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[`*]/g, '');
}

/** GitHub's anchor for a heading (github-slugger): lower case, punctuation dropped, each space a hyphen. */
export function slug(heading: string): string {
  return rendered(heading)
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every heading's text, in order, outside code. */
export function headings(text: string): string[] {
  return [...prose(text).matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/gm)].map((m) => rendered(m[1]!).trim());
}

/** Every anchor a page has: its headings' (the second of a name gets -1, the third -2), and HTML ids. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const h of headings(text)) {
    const base = slug(h);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of prose(text).matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) out.add(m[1]!);
  return out;
}

/** The targets of every inline link, image and link definition, outside code. */
export function linkTargets(text: string): string[] {
  // A code span may run over a line break, never over a blank line.
  const plain = prose(text).replace(/`(?:[^`\n]|\n(?![ \t]*\n))*`/g, (code) => code.replace(/[^\n]/g, ' '));
  const inline = [...plain.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const defined = [...plain.matchAll(/^ {0,3}\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]!);
  return [...inline, ...defined];
}

/** Each relative link of `page` (a path under `root`) that leads to no file, or to no anchor of its page. */
export function brokenLinks(root: string, page: string, text: string): string[] {
  const problems: string[] = [];
  for (const target of linkTargets(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [path = '', anchor] = target.split('#', 2);
    if (path === '') {
      if (!anchors(text).has(anchor ?? '')) problems.push(`${page}: ${target} leads to no heading`);
      continue;
    }
    const file = resolve(dirname(join(root, page)), decodeURI(path));
    if (relative(root, file).startsWith('..') || !existsSync(file)) {
      problems.push(`${page}: ${target} leads to no file`);
      continue;
    }
    if (anchor === undefined || !file.endsWith('.md') || statSync(file).isDirectory()) continue;
    if (!anchors(readFileSync(file, 'utf8')).has(anchor)) problems.push(`${page}: ${target} leads to no heading`);
  }
  return problems;
}

/** Repository paths a page names in its prose (`src/…`, `test/…`, `docs/…`, …), anchors dropped. */
export function citedPaths(text: string): string[] {
  const found = prose(text).matchAll(/(?<![\w/.$~@-])((?:src|test|scripts|bench|dist|docs|\.github)\/[\w./-]*[\w/])/g);
  return [...new Set([...found].map((m) => m[1]!))];
}

/** Test files cited with titles, as `` `test/…test.ts` › title; title; `test/…` › title `` (docs/security.md). */
export function citedTitles(text: string): { readonly path: string; readonly title: string }[] {
  const out: { path: string; title: string }[] = [];
  for (const line of prose(text).split('\n')) {
    let path: string | undefined;
    for (const piece of line.split(/;\s*|\s*\|\s*/)) {
      const cite = /^`(test\/[^`]+\.test\.ts)`(.*)$/.exec(piece.trim());
      if (cite) {
        path = cite[1];
        const title = /^\s*›\s*(.*)$/.exec(cite[2]!)?.[1]?.trim();
        if (title) out.push({ path: path!, title });
      } else if (piece.trim() === '') path = undefined;
      else if (path) out.push({ path, title: piece.trim() });
    }
  }
  return out;
}

/** Performance figures a text quotes (`334 ms`, `1.57 ×`, `59.2 KB`), leaving out targets (`≤ 1.3 ×`). */
export function quotedFigures(text: string): string[] {
  const figures = text.matchAll(/(?<![\d.])(\d+(?:\.\d+)?) ?(ms|KB|kB|MB)\b|(?<![\d.])(\d+\.\d+) ?×/g);
  return [...figures]
    .filter((m) => !/[≤≥] ?$/.test(text.slice(Math.max(0, m.index - 2), m.index)))
    .map((m) => (m[3] ? `${m[3]} ×` : `${m[1]} ${m[2]}`));
}
