// ICR's side of login: the token service at https://<host>/oauth/token that turns iamapikey, iambearer,
// iamrefresh and trusted-profile credentials into registry JWTs granting only what the identity's
// policies allow on each repository in this region (the registry then enforces the token).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Subject } from './types.ts';
import type { CertSet } from './certs.ts';
import type { Iam } from './iam.ts';
import type { Directory } from './identities.ts';
import type { Region } from './regions.ts';
import { namespaceOf } from './regions.ts';
import { repositoryActions } from './policies.ts';
import { signJwt, verifyJwt } from './jwt.ts';
import { nowSeconds, parseBasicAuth, parseBearer, sendJson } from './http-util.ts';

export const SERVICE = 'registry';
/** Each region's registry trusts only tokens of its own issuer: a token of one region is no good in another. */
export const issuerFor = (region: string): string => `icr-emulator/${region}`;
const REGISTRY_TOKEN_LIFETIME = 300;
export const LOGIN_REFUSED = 'The login credentials are not valid, or your IBM Cloud account is not active.';

export const realmFor = (host: string): string => `https://${host}/oauth/token`;
export const challengeFor = (host: string): string => `Bearer realm="${realmFor(host)}",service="${SERVICE}"`;

interface Access {
  type: string;
  name: string;
  actions: string[];
}

export class TokenService {
  private readonly iam: Iam;
  private readonly dir: Directory;
  private readonly certs: CertSet;
  private readonly secrets: Set<string>;

  constructor(iam: Iam, dir: Directory, certs: CertSet, secrets: Set<string>) {
    this.iam = iam;
    this.dir = dir;
    this.certs = certs;
    this.secrets = secrets;
  }

  /** Who the Basic credentials stand for, checked against the emulated IAM as ICR does. */
  authenticate(username: string, password: string): Subject | undefined {
    switch (username) {
      case 'iamapikey':
        return this.dir.usableKey(password);
      case 'iambearer':
        return this.iam.verifyAccessToken(password);
      case 'iamrefresh':
        return this.iam.verifyRefreshToken(password);
      default: {
        // Trusted profile login: ICR exchanges the service ID's key and assumes the profile with it.
        const profile = this.dir.profile(username);
        const key = this.dir.usableKey(password);
        return profile && key && this.dir.trusts(profile, key) ? profile : undefined;
      }
    }
  }

  /** GET /oauth/token?service=registry&scope=repository:ns/img:pull,push (Basic auth). */
  handleToken(req: IncomingMessage, res: ServerResponse, region: Region): void {
    req.resume();
    if (req.method !== 'GET') {
      // ICR's OAuth2 POST flow is not emulated: clients fall back to GET (or never use POST).
      sendJson(res, 405, { errors: [{ code: 'UNSUPPORTED', message: 'The operation is unsupported.' }] }, { Allow: 'GET' });
      return;
    }
    const creds = parseBasicAuth(req.headers.authorization);
    const subject = creds ? this.authenticate(creds.username, creds.password) : undefined;
    if (!subject) {
      // Real ICR's wording: clients show "unauthorized: The login credentials are not valid, …".
      sendJson(
        res,
        401,
        { errors: [{ code: 'UNAUTHORIZED', message: LOGIN_REFUSED, detail: null }] },
        { 'WWW-Authenticate': challengeFor(region.host) },
      );
      return;
    }
    const url = new URL(req.url ?? '/', 'https://registry');
    const access: Access[] = [];
    // Scopes may come as repeated parameters or space-separated in one.
    for (const scope of url.searchParams
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .filter(Boolean)) {
      const first = scope.indexOf(':');
      const last = scope.lastIndexOf(':');
      if (first < 0 || last <= first || scope.slice(0, first) !== 'repository') continue;
      const name = scope.slice(first + 1, last);
      const allowed = repositoryActions(subject, region.name, region.namespace(namespaceOf(name)));
      const actions = scope
        .slice(last + 1)
        .split(',')
        .filter((a) => allowed.includes(a));
      access.push({ type: 'repository', name, actions });
    }
    const iat = nowSeconds();
    const token = signJwt(
      { typ: 'JWT', x5c: [this.certs.tokenCertDerB64] },
      {
        iss: issuerFor(region.name),
        sub: subject.iamId,
        aud: url.searchParams.get('service') ?? SERVICE,
        exp: iat + REGISTRY_TOKEN_LIFETIME,
        nbf: iat - 5,
        iat,
        jti: randomUUID(),
        access,
      },
      this.certs.tokenKey,
    );
    this.secrets.add(token);
    sendJson(res, 200, { token, access_token: token, expires_in: REGISTRY_TOKEN_LIFETIME, issued_at: new Date(iat * 1000).toISOString() });
  }

  /** True when `Authorization: Bearer` carries a registry token this region issued that is still valid. */
  verifyRegistryToken(authorization: string | undefined, region: Region): boolean {
    const token = parseBearer(authorization);
    const payload = token ? verifyJwt(token, this.certs.tokenPublicKey) : undefined;
    return payload?.iss === issuerFor(region.name) && payload.aud === SERVICE;
  }
}
