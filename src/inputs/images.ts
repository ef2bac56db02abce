// Input images: repositories as namespace/name (checked on every host), or full references with their
// host (`us.icr.io/team/app:1.2`, checked on that host only), against ICR's rules before anything runs. Pure.
import { UserError } from '../lib/errors.ts';
import { quote, splitList } from '../lib/text.ts';
import { parseRegistryHost } from './hosts.ts';
import { isIcrDomain, publicToPrivate } from './regions.ts';

export const ACCESS_KINDS = ['push', 'pull'] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

export interface Image {
  /** The registry host the reference names; without one, the repository is checked on every host. */
  readonly host?: string;
  readonly namespace: string;
  /** The path after the namespace (`web/app`). */
  readonly name: string;
  /** `namespace/name`, as the registry names the repository. */
  readonly repository: string;
}

/** What a host in images may be besides an ICR domain. */
export interface KnownHosts {
  /** The hosts of input registry, as parsed. */
  readonly registries: readonly string[];
  /** private-endpoint: an image naming a public ICR domain is a mistake. */
  readonly privateEndpoint: boolean;
  /** IBM's entitled registry, when entitlement-key is set: its images are pulled, never pushed. */
  readonly entitled?: string;
  /** What the check demands; the entitled registry allows pull only. */
  readonly access?: AccessKind;
}

// ICR's namespace rule (docs/icr.md): 4–30 of a-z 0-9 - _, starting and ending with a letter or digit.
const NAMESPACE = /^[a-z0-9][a-z0-9_-]{2,28}[a-z0-9]$/;
// A path segment as the distribution spec has it: lower-case runs joined by . _ __ or dashes.
const SEGMENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
// The distribution spec's tag and digest grammars (a sha256 digest is 64 lower-case hex digits).
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** docker's rule: a first segment with a dot or a colon, or `localhost`, is a registry host. */
const namesHost = (segments: readonly string[]): boolean =>
  segments.length > 1 && (segments[0]!.includes('.') || segments[0]!.includes(':') || segments[0] === 'localhost');

interface Split {
  readonly host?: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

function split(value: string): Split {
  const segments = value.split('/');
  const host = namesHost(segments) ? segments.shift() : undefined;
  let rest = segments.join('/');
  const at = rest.indexOf('@');
  const digest = at < 0 ? undefined : rest.slice(at + 1);
  if (at >= 0) rest = rest.slice(0, at);
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  return { host, repository: tag === undefined ? rest : rest.slice(0, colon), tag, digest };
}

/** The mistake in a reference's host, tag or digest, or undefined. */
function referenceMistake(v: string, s: Split, known: KnownHosts): string | undefined {
  if (s.host === undefined) {
    if (s.digest !== undefined || s.tag !== undefined) {
      const what = s.digest !== undefined ? 'a digest' : 'a tag';
      const example = quote(`us.icr.io/${s.repository}${s.digest !== undefined ? '@sha256:…' : `:${s.tag}`}`);
      return `Image ${v} in input images has ${what} but no registry host; write the repository only (namespace/name), or the full reference with its host (${example}).`;
    }
    return undefined;
  }
  let host: string;
  try {
    host = parseRegistryHost(s.host);
  } catch {
    return `Image ${v} in input images names ${quote(s.host)}, which is not a valid registry host or host:port.`;
  }
  if (host === known.entitled && known.access !== 'pull') {
    return `Image ${v} in input images is on the entitled registry ${host}, which only pulls; set access: pull for it in a step of its own, or remove it.`;
  }
  const privateTwin = known.privateEndpoint ? publicToPrivate(host) : undefined;
  if (privateTwin) {
    return `Image ${v} in input images names the public domain ${host} but private-endpoint is true; write ${quote(`${privateTwin}/${s.repository}`)}, or drop private-endpoint.`;
  }
  if (!isIcrDomain(host) && !known.registries.includes(host) && host !== known.entitled) {
    return `Image ${v} in input images names ${quote(host)}, which is neither an ICR domain (like us.icr.io) nor listed in input registry nor the entitled registry; fix the host, or add it to registry.`;
  }
  if (s.tag !== undefined && !TAG.test(s.tag)) return `Image ${v} in input images has an invalid tag ${quote(s.tag)}.`;
  if (s.digest !== undefined && (!DIGEST.test(s.digest) || (s.digest.startsWith('sha256:') && !/^sha256:[a-f0-9]{64}$/.test(s.digest)))) {
    return `Image ${v} in input images has an invalid digest ${quote(s.digest)}; a sha256 digest is sha256: and 64 hex digits.`;
  }
  return undefined;
}

/** The mistake in a repository (namespace/name), or undefined. ICR's namespace rule is ICR's: IBM's `cp/…` is not bound by it. */
function repositoryMistake(v: string, repository: string, icr: boolean): string | undefined {
  const segments = repository.split('/');
  const head = segments[0]!;
  if (/[A-Z]/.test(repository)) {
    return `Image ${v} in input images has upper-case letters; repositories are lower case: ${quote(repository.toLowerCase())}.`;
  }
  if (segments.length < 2 || segments.some((s) => s === '')) {
    return `Image ${v} in input images must be namespace/name (for example my-team/app), or a full reference such as us.icr.io/my-team/app:1.0.`;
  }
  if (icr && !NAMESPACE.test(head)) {
    return `Namespace ${quote(head)} of image ${v} breaks ICR's rules: 4 to 30 characters of a-z, 0-9, - and _, starting and ending with a letter or digit.`;
  }
  const bad = segments.slice(icr ? 1 : 0).find((s) => !SEGMENT.test(s));
  if (bad !== undefined) {
    return `Image ${v} in input images has an invalid path segment ${quote(bad)}: use a-z, 0-9 and single . _ or - between them.`;
  }
  return undefined;
}

/**
 * Every image, in order and once; every mistake at once, one line each. A reference's tag and digest
 * are dropped: the check is of the repository on its host. A reference to a repository also listed
 * without a host adds nothing: that one is checked on every host already.
 */
export function parseImages(raw: string, known: KnownHosts = { registries: [], privateEndpoint: false }): Image[] {
  const values = [...new Set(splitList(raw))];
  const parsed = values.map((value) => ({ value, s: split(value) }));
  const onEntitled = (s: Split): boolean => s.host !== undefined && known.entitled !== undefined && s.host.toLowerCase() === known.entitled;
  const mistakes = parsed
    .map(({ value, s }) => referenceMistake(quote(value), s, known) ?? repositoryMistake(quote(value), s.repository, !onEntitled(s)))
    .filter((m): m is string => m !== undefined);
  if (mistakes.length > 0) throw new UserError(mistakes, 'images');
  const everywhere = new Set(parsed.filter(({ s }) => s.host === undefined).map(({ s }) => s.repository));
  const seen = new Set<string>();
  const images: Image[] = [];
  for (const { s } of parsed) {
    const host = s.host === undefined ? undefined : parseRegistryHost(s.host);
    const key = `${host ?? ''}/${s.repository}`;
    if (seen.has(key) || (host !== undefined && everywhere.has(s.repository))) continue;
    seen.add(key);
    const slash = s.repository.indexOf('/');
    images.push({ host, namespace: s.repository.slice(0, slash), name: s.repository.slice(slash + 1), repository: s.repository });
  }
  return images;
}

/** The hosts images name, in order and once; but `except` (the entitled registry, logged in with its own key). */
export const imageHosts = (images: readonly Image[], except?: string): string[] => [
  ...new Set(images.flatMap((i) => (i.host === undefined || i.host === except ? [] : [i.host]))),
];
