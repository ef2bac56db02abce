// Public types of the emulator's servers: reachability, faults and the requests they record (re-exported by index.ts).

/** How IAM's port behaves: `refuse` closes it (ECONNREFUSED), `reset` accepts and resets, `silent` accepts and never answers. */
export type Reachability = 'up' | 'refuse' | 'reset' | 'silent';

/** Which requests a fault waits for; a fault without one is taken by the next request to its target. */
export interface FaultMatch {
  method?: string;
  /** the path starts with this string, or matches this pattern */
  path?: string | RegExp;
  /** only requests to this region's host */
  region?: string;
}

export interface Fault {
  match?: FaultMatch;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
  /** destroy the socket without answering */
  reset?: boolean;
  /** answer `status` (default 200) with this many bytes of body, streamed without a Content-Length */
  bodyBytes?: number;
  /** only a request whose path and query contain this takes the fault; others pass it by */
  urlIncludes?: string;
}

/**
 * 'api' is ICR's /api/v1/... on the registry hosts; the entitled registry has targets of its own;
 * 'metadata' is every instance's metadata service.
 */
export type FaultTarget = 'iam' | 'token' | 'v2' | 'api' | 'entitled-token' | 'entitled-v2' | 'metadata';

export interface RequestRecord {
  server: 'iam' | 'registry' | 'entitled' | 'metadata';
  host: string;
  /** the region of a registry host */
  region?: string;
  method: string;
  path: string;
  username?: string;
  /** the User-Agent header, when the request carried one */
  userAgent?: string;
  /** HTTP status answered; 0 when the socket was reset or closed before an answer */
  status: number;
}
