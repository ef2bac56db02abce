import { describe, expect, it } from 'vitest';
import { findRegion, REGIONS, REGION_NAMES, resolveRegions } from '../../../src/inputs/regions.ts';

// Every row of docs/icr.md#domains, written out again here so a typo in the table cannot pass.
const TABLE: [string, string | undefined, string, string][] = [
  ['global', undefined, 'icr.io', 'private.icr.io'],
  ['ap-north', 'jp-tok', 'jp.icr.io', 'private.jp.icr.io'],
  ['ap-south', 'au-syd', 'au.icr.io', 'private.au.icr.io'],
  ['br-sao', 'br-sao', 'br.icr.io', 'private.br.icr.io'],
  ['ca-tor', 'ca-tor', 'ca.icr.io', 'private.ca.icr.io'],
  ['ca-mon', 'ca-mon', 'ca2.icr.io', 'private.ca2.icr.io'],
  ['eu-central', 'eu-de', 'de.icr.io', 'private.de.icr.io'],
  ['eu-es', 'eu-es', 'es.icr.io', 'private.es.icr.io'],
  ['in-che', 'in-che', 'in.icr.io', 'private.in.icr.io'],
  ['in-mum', 'in-mum', 'in2.icr.io', 'private.in2.icr.io'],
  ['jp-osa', 'jp-osa', 'jp2.icr.io', 'private.jp2.icr.io'],
  ['uk-south', 'eu-gb', 'uk.icr.io', 'private.uk.icr.io'],
  ['us-south', 'us-south', 'us.icr.io', 'private.us.icr.io'],
];

describe('regions', () => {
  it('holds exactly the 13 documented regions', () => {
    expect(REGIONS.map((r) => r.domain).sort()).toEqual(TABLE.map((r) => r[2]).sort());
  });

  it.each(TABLE)('%s (%s) resolves to %s and privately to %s', (icrName, cloudId, domain, privateDomain) => {
    expect(resolveRegions([icrName], false)).toEqual([domain]);
    expect(resolveRegions([icrName], true)).toEqual([privateDomain]);
    if (cloudId) {
      expect(resolveRegions([cloudId], false)).toEqual([domain]);
      expect(resolveRegions([cloudId], true)).toEqual([privateDomain]);
    }
  });

  it('ignores case and surrounding space', () => {
    expect(resolveRegions([' US-South ', 'EU-DE'], false)).toEqual(['us.icr.io', 'de.icr.io']);
  });

  it('keeps order', () => {
    expect(resolveRegions(['eu-de', 'us-south', 'global'], false)).toEqual(['de.icr.io', 'us.icr.io', 'icr.io']);
  });

  it('refuses a region named twice, also under its two names', () => {
    expect(() => resolveRegions(['us-south', 'US-SOUTH'], false)).toThrow(
      'Region "US-SOUTH" is listed twice in input region; list each region once.',
    );
    expect(() => resolveRegions(['eu-de', 'eu-central'], false)).toThrow(
      'Region "eu-central" is listed twice in input region (eu-de and eu-central are the same registry); list each region once.',
    );
  });

  it('names an unknown region, suggests the nearest and lists the valid ones', () => {
    expect(() => findRegion('us-sout')).toThrow(
      /Unknown region "us-sout"\. Did you mean "us-south"\? Valid regions: global, ap-north, jp-tok/,
    );
    expect(() => findRegion('mars')).toThrow(/^Unknown region "mars"\. Valid regions: /);
  });

  it('explains us-east, which people expect to exist', () => {
    expect(() => findRegion('us-east')).toThrow(/no us-east registry.*region global/);
  });

  it('lists both names of every region as valid', () => {
    expect(REGION_NAMES).toContain('eu-gb');
    expect(REGION_NAMES).toContain('uk-south');
    expect(new Set(REGION_NAMES).size).toBe(REGION_NAMES.length);
  });
});
