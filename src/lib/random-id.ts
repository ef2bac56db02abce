// The one source of random UUIDs (v4) of ours: read from the operating system's random source, so a
// step's start does not load node:crypto (several milliseconds of every cold start:
// docs/performance.md); where there is no /dev/urandom (Windows), Web Crypto's. Named as node:crypto's,
// since the bundle hands it to @actions/core too (scripts/bundle.mjs).
import { closeSync, openSync, readSync } from 'node:fs';

function urandom(n: number): Buffer | undefined {
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      const bytes = Buffer.alloc(n);
      return readSync(fd, bytes, 0, n, null) === n ? bytes : undefined;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

export function randomUUID(): string {
  const b = urandom(16);
  if (!b) return globalThis.crypto.randomUUID();
  // RFC 9562: version 4, variant 10.
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
