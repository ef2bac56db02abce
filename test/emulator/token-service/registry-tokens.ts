// Registry tokens as Distribution's token auth takes them: the scopes a client asks for, and an RS256
// JWT (x5c of our signing cert, iss, aud, exp, access) answered as `{token, access_token, expires_in,
// issued_at}`. Shared by ICR's token service, the entitled registry's, and the seeding of its images.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { CertSet } from '../net/certs.ts';
import { signJwt } from '../net/jwt.ts';
import { nowSeconds, sendJson } from '../net/http-util.ts';

export const REGISTRY_TOKEN_LIFETIME = 300;

export interface Access {
  type: string;
  name: string;
  actions: string[];
}

/** Repository scopes of a token request (`scope=repository:ns/img:pull,push`, repeated or space-separated). */
export function requestedScopes(url: URL): Array<{ name: string; actions: string[] }> {
  const scopes: Array<{ name: string; actions: string[] }> = [];
  for (const scope of url.searchParams
    .getAll('scope')
    .flatMap((s) => s.split(' '))
    .filter(Boolean)) {
    const first = scope.indexOf(':');
    const last = scope.lastIndexOf(':');
    if (first < 0 || last <= first || scope.slice(0, first) !== 'repository') continue;
    scopes.push({ name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',') });
  }
  return scopes;
}

export function signRegistryToken(certs: CertSet, claims: { iss: string; sub: string; aud: string; access: Access[] }): string {
  const iat = nowSeconds();
  return signJwt(
    { typ: 'JWT', x5c: [certs.tokenCertDerB64] },
    { ...claims, exp: iat + REGISTRY_TOKEN_LIFETIME, nbf: iat - 5, iat, jti: randomUUID() },
    certs.tokenKey,
  );
}

/** Answers a token request with a fresh registry token, which joins the leak scan's secrets. */
export function sendRegistryToken(
  res: ServerResponse,
  certs: CertSet,
  secrets: Set<string>,
  claims: { iss: string; sub: string; aud: string; access: Access[] },
): void {
  const token = signRegistryToken(certs, claims);
  secrets.add(token);
  const issuedAt = new Date().toISOString();
  sendJson(res, 200, { token, access_token: token, expires_in: REGISTRY_TOKEN_LIFETIME, issued_at: issuedAt });
}
