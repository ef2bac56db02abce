// Input images: repositories as namespace/name, checked against ICR's rules before anything runs. Pure.
import { UserError } from '../lib/errors.ts';
import { quote, splitList } from '../lib/text.ts';

export const ACCESS_KINDS = ['push', 'pull'] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

/** A repository in every region: `namespace/name`, the name possibly of several segments. */
export interface Image {
  readonly namespace: string;
  /** The path after the namespace (`web/app`). */
  readonly name: string;
  /** `namespace/name`, as the registry names the repository. */
  readonly repository: string;
}

// ICR's namespace rule (docs/icr.md): 4–30 of a-z 0-9 - _, starting and ending with a letter or digit.
const NAMESPACE = /^[a-z0-9][a-z0-9_-]{2,28}[a-z0-9]$/;
// A path segment as the distribution spec has it: lower-case runs joined by . _ __ or dashes.
const SEGMENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/** The mistake in one value, or undefined when it is a valid image. */
function mistake(value: string): string | undefined {
  const v = quote(value);
  const segments = value.split('/');
  const head = segments[0]!;
  if (segments.length > 1 && (head.includes('.') || head.includes(':') || head === 'localhost')) {
    return `Image ${v} in input images starts with a registry host; write it as ${quote(segments.slice(1).join('/'))}: the hosts come from input region (or registry).`;
  }
  if (value.includes('@')) return `Image ${v} in input images has a digest; write the repository only (namespace/name), without @sha256:….`;
  if (segments[segments.length - 1]!.includes(':')) {
    return `Image ${v} in input images has a tag; write the repository only (namespace/name) and add the tag when you build.`;
  }
  if (/[A-Z]/.test(value))
    return `Image ${v} in input images has upper-case letters; repositories are lower case: ${quote(value.toLowerCase())}.`;
  if (segments.length < 2 || segments.some((s) => s === '')) {
    return `Image ${v} in input images must be namespace/name (for example my-team/app).`;
  }
  if (!NAMESPACE.test(head)) {
    return `Namespace ${quote(head)} of image ${v} breaks ICR's rules: 4 to 30 characters of a-z, 0-9, - and _, starting and ending with a letter or digit.`;
  }
  const bad = segments.slice(1).find((s) => !SEGMENT.test(s));
  if (bad !== undefined) {
    return `Image ${v} in input images has an invalid path segment ${quote(bad)}: use a-z, 0-9 and single . _ or - between them.`;
  }
  return undefined;
}

/** Every image, in order and once; every mistake at once, one line each. */
export function parseImages(raw: string): Image[] {
  const values = [...new Set(splitList(raw))];
  const mistakes = values.map(mistake).filter((m): m is string => m !== undefined);
  if (mistakes.length > 0) throw new UserError(mistakes, 'images');
  return values.map((repository) => {
    const slash = repository.indexOf('/');
    return { namespace: repository.slice(0, slash), name: repository.slice(slash + 1), repository };
  });
}
