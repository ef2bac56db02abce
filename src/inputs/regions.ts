// The ICR regions and their registry domains (docs/icr.md#domains). Pure: no I/O.
import { UserError } from '../lib/errors.ts';
import { didYouMean, quote } from '../lib/text.ts';

export interface Region {
  /** The ICR name (`us-south`, `eu-central`, `global`). */
  readonly name: string;
  /** The IBM Cloud region id, where it differs from the ICR name. */
  readonly alias?: string;
  readonly domain: string;
  readonly privateDomain: string;
}

export const REGIONS: readonly Region[] = [
  { name: 'global', domain: 'icr.io', privateDomain: 'private.icr.io' },
  { name: 'ap-north', alias: 'jp-tok', domain: 'jp.icr.io', privateDomain: 'private.jp.icr.io' },
  { name: 'ap-south', alias: 'au-syd', domain: 'au.icr.io', privateDomain: 'private.au.icr.io' },
  { name: 'br-sao', domain: 'br.icr.io', privateDomain: 'private.br.icr.io' },
  { name: 'ca-tor', domain: 'ca.icr.io', privateDomain: 'private.ca.icr.io' },
  { name: 'ca-mon', domain: 'ca2.icr.io', privateDomain: 'private.ca2.icr.io' },
  { name: 'eu-central', alias: 'eu-de', domain: 'de.icr.io', privateDomain: 'private.de.icr.io' },
  { name: 'eu-es', domain: 'es.icr.io', privateDomain: 'private.es.icr.io' },
  { name: 'in-che', domain: 'in.icr.io', privateDomain: 'private.in.icr.io' },
  { name: 'in-mum', domain: 'in2.icr.io', privateDomain: 'private.in2.icr.io' },
  { name: 'jp-osa', domain: 'jp2.icr.io', privateDomain: 'private.jp2.icr.io' },
  { name: 'uk-south', alias: 'eu-gb', domain: 'uk.icr.io', privateDomain: 'private.uk.icr.io' },
  { name: 'us-south', domain: 'us.icr.io', privateDomain: 'private.us.icr.io' },
];

/** Every name a user may write, ICR name first, then the IBM Cloud id. */
export const REGION_NAMES: readonly string[] = REGIONS.flatMap((r) => (r.alias ? [r.name, r.alias] : [r.name]));

const byName = new Map<string, Region>(
  REGIONS.flatMap((r) =>
    r.alias
      ? [
          [r.name, r],
          [r.alias, r],
        ]
      : [[r.name, r]],
  ),
);

// Names people reach for that are not registries; each gets its own hint.
const HINTS: Record<string, string> = {
  'us-east': 'there is no us-east registry: the global registry icr.io is hosted there, so use region global',
  'eu-fr2': 'eu-fr2 (fr2.icr.io) is not a documented ICR region; if you need it, pass registry: fr2.icr.io',
};

export function findRegion(name: string): Region {
  const key = name.trim().toLowerCase();
  const region = byName.get(key);
  if (region) return region;
  const hint = HINTS[key];
  if (hint) throw new UserError(`Unknown region ${quote(name)}: ${hint}.`, 'region');
  throw new UserError(
    `Unknown region ${quote(name)}.${didYouMean(key, REGION_NAMES)} Valid regions: ${REGION_NAMES.join(', ')}.`,
    'region',
  );
}

/** Registry hosts for the given region names, in order. A region named twice is refused, as a typo for another usually is. */
export function resolveRegions(names: readonly string[], privateEndpoint: boolean): string[] {
  const seen = new Map<string, string>();
  for (const name of names) {
    const r = findRegion(name);
    const host = privateEndpoint ? r.privateDomain : r.domain;
    const before = seen.get(host);
    if (before !== undefined) {
      const same = before.toLowerCase() === name.trim().toLowerCase() ? '' : ` (${before} and ${name.trim()} are the same registry)`;
      throw new UserError(`Region ${quote(name.trim())} is listed twice in input region${same}; list each region once.`, 'region');
    }
    seen.set(host, name.trim());
  }
  return [...seen.keys()];
}

/** Whether `host` is a registry domain of an ICR region, public or private (`us.icr.io`, `private.de.icr.io`). */
export const isIcrDomain = (host: string): boolean => REGIONS.some((r) => r.domain === host || r.privateDomain === host);

/** The private twin of a public ICR domain (`us.icr.io` → `private.us.icr.io`); undefined for any other host. */
export const publicToPrivate = (host: string): string | undefined => REGIONS.find((r) => r.domain === host)?.privateDomain;
