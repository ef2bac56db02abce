// ICR as the access check meets it, on an HTTPS peer (test/fakes/peer.ts): the registry's
// challenge and token service, the pull and push tests, and ICR's API. Each route answers as ICR does
// (docs/icr.md#the-access-check) unless a test names another answer for it.
import type { Peer, Reply, Seen } from '../../fakes/peer.ts';

export type Route = 'ping' | 'token' | 'tags' | 'push' | 'namespaces' | 'create' | 'quotas';

/** Which route a request took, by method and path. */
export function routeOf(s: Seen): Route | undefined {
  const p = s.url.pathname;
  if (s.method === 'GET' && p === '/v2/') return 'ping';
  if (s.method === 'GET' && p === '/oauth/token') return 'token';
  if (s.method === 'GET' && /^\/v2\/.+\/tags\/list$/.test(p)) return 'tags';
  if (s.method === 'PUT' && /^\/v2\/.+\/blobs\/uploads\/[^/]+$/.test(p)) return 'push';
  if (s.method === 'GET' && p === '/api/v1/namespaces') return 'namespaces';
  if (s.method === 'PUT' && p.startsWith('/api/v1/namespaces/')) return 'create';
  if (s.method === 'GET' && p === '/api/v1/quotas') return 'quotas';
  return undefined;
}

/** A registry token, long enough to be one. */
export const REGISTRY_TOKEN = `eyJhbGciOiJSUzI1NiJ9.${'r'.repeat(48)}.${'s'.repeat(43)}`;

export const errors = (code: string, message: string) => ({ errors: [{ code, message, detail: null }] });

/** Bytes, as ICR's quota API counts them. */
export const quota = (storage: [number, number], traffic: [number, number]) => ({
  limit: { storage_bytes: storage[1], traffic_bytes: traffic[1] },
  usage: { storage_bytes: storage[0], traffic_bytes: traffic[0] },
});

const DEFAULTS: Record<Route, (s: Seen) => Reply> = {
  ping: (s) => ({
    status: 401,
    headers: { 'www-authenticate': `Bearer realm="https://${s.headers.host}/oauth/token",service="registry"` },
    body: errors('UNAUTHORIZED', 'authentication required'),
  }),
  token: () => ({ status: 200, body: { token: REGISTRY_TOKEN } }),
  tags: (s) => ({ status: 200, body: { name: s.url.pathname.slice(4, -10), tags: [] } }),
  push: () => ({ status: 404, body: errors('BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry') }),
  namespaces: () => ({ status: 200, body: ['team'] }),
  create: () => ({ status: 201, body: { namespace: 'created' } }),
  quotas: () => ({ status: 200, body: quota([1_000_000, 1_000_000], [500_000_000, 5_000_000_000]) }),
};

/**
 * A route's answer: always the same, or by the request and its number on that route and host (1 for
 * the first); `undefined` from a function falls back to ICR's own answer.
 */
export type Override = Reply | ((s: Seen, n: number) => Reply | undefined);

/** Makes `peer` answer as ICR does, but for the routes named. */
export function answerAsIcr(peer: Peer, overrides: Partial<Record<Route, Override>> = {}): void {
  peer.answer = (s) => {
    const route = routeOf(s);
    if (!route) return { status: 404, body: errors('NOT_FOUND', `no route for ${s.method} ${s.path}`) };
    const n = peer.seen.filter((x) => routeOf(x) === route && x.headers.host === s.headers.host).length;
    const o = overrides[route];
    const given = typeof o === 'function' ? o(s, n) : o;
    return given ?? DEFAULTS[route](s);
  };
}

/** The requests of one route, in order (of one host, when named). */
export const requestsOf = (peer: Peer, route: Route, host?: string): Seen[] =>
  peer.seen.filter((s) => routeOf(s) === route && (host === undefined || s.headers.host === host));
