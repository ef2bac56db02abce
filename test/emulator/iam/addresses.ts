// IPv4 address lists as IBM Cloud takes them for IAM's "IP address access" setting and for network
// zones: a single address `17.5.7.8`, a range `17.5.7.8 - 17.5.9.5`, or a subnet `17.5.0.0/16`
// (IBM Cloud docs, account-ips). IPv6 entries are not modelled: tests reach us from 127.0.0.1.

/** The caller's IPv4 address, without the `::ffff:` a dual-stack socket puts in front. */
export const callerAddress = (remote: string | undefined): string => (remote ?? '').replace(/^::ffff:/, '');

function toNumber(address: string): number | undefined {
  const parts = address.trim().split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Throws for an entry IBM Cloud would not take, so a test cannot restrict with a typo. */
export function parseEntry(entry: string): (address: number) => boolean {
  const range = entry.split(/\s+-\s+/);
  if (range.length === 2) {
    const [from, to] = range.map(toNumber);
    if (from !== undefined && to !== undefined && from <= to) return (a) => a >= from && a <= to;
  }
  const [base, bits] = entry.split('/');
  const start = toNumber(base ?? '');
  if (start !== undefined && bits === undefined) return (a) => a === start;
  const size = Number(bits);
  if (start !== undefined && /^\d{1,2}$/.test(bits ?? '') && size <= 32) {
    const block = 2 ** (32 - size);
    const first = start - (start % block);
    return (a) => a >= first && a < first + block;
  }
  throw new Error(`not an IPv4 address, range or subnet: ${entry}`);
}

/** A test of addresses against a list of entries. */
export function addressList(entries: readonly string[]): (address: string) => boolean {
  const tests = entries.map(parseEntry);
  return (address) => {
    const n = toNumber(callerAddress(address));
    return n !== undefined && tests.some((t) => t(n));
  };
}
