// ICR's side of login: the token service at https://<host>/oauth/token that turns
// iamapikey/iambearer/iamrefresh/trusted-profile credentials into registry JWTs, plus
// GET /api/v1/quotas (the cheap access check).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiKeyRecord } from './types.ts';
import type { CertSet } from './certs.ts';
import type { Iam } from './iam.ts';
import { signJwt, verifyJwt } from './jwt.ts';
import { nowSeconds, parseBasicAuth, parseBearer, sendJson } from './http-util.ts';

export const ISSUER = 'icr-emulator';
export const SERVICE = 'registry';
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
  private readonly certs: CertSet;
  private readonly secrets: Set<string>;

  constructor(iam: Iam, certs: CertSet, secrets: Set<string>) {
    this.iam = iam;
    this.certs = certs;
    this.secrets = secrets;
  }

  /** Who the Basic credentials stand for, checked against the emulated IAM state as ICR does. */
  authenticate(username: string, password: string): ApiKeyRecord | undefined {
    const ids = this.iam.identities;
    switch (username) {
      case 'iamapikey':
        return ids.byKey.get(password);
      case 'iambearer':
        return this.iam.verifyAccessToken(password);
      case 'iamrefresh':
        return this.iam.verifyRefreshToken(password);
      default: {
        if (username !== ids.profileId) return undefined;
        // Trusted profile login: only a service ID's API key that the profile trusts.
        const record = ids.byKey.get(password);
        return record && record.kind === 'serviceid' && ids.profileTrusts.has(record.iamId) ? record : undefined;
      }
    }
  }

  /** GET /oauth/token?service=registry&scope=repository:ns/img:pull,push (Basic auth). */
  handleToken(req: IncomingMessage, res: ServerResponse, host: string): void {
    req.resume();
    if (req.method !== 'GET') {
      // ICR's OAuth2 POST flow is not emulated: clients fall back to GET (or never use POST).
      sendJson(res, 405, { errors: [{ code: 'UNSUPPORTED', message: 'The operation is unsupported.' }] }, { Allow: 'GET' });
      return;
    }
    const creds = parseBasicAuth(req.headers.authorization);
    const record = creds ? this.authenticate(creds.username, creds.password) : undefined;
    if (!record) {
      sendJson(
        res,
        401,
        {
          // Real ICR's wording: clients show "unauthorized: The login credentials are not valid, …".
          errors: [{ code: 'UNAUTHORIZED', message: LOGIN_REFUSED, detail: null }],
        },
        { 'WWW-Authenticate': challengeFor(host) },
      );
      return;
    }
    const url = new URL(req.url ?? '/', 'https://registry');
    const allowed = this.iam.identities.allowedActions(record);
    const access: Access[] = [];
    // Scopes may come as repeated parameters or space-separated in one.
    for (const scope of url.searchParams
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .filter(Boolean)) {
      const first = scope.indexOf(':');
      const last = scope.lastIndexOf(':');
      if (first < 0 || last <= first) continue;
      const type = scope.slice(0, first);
      if (type !== 'repository') continue;
      const actions = scope
        .slice(last + 1)
        .split(',')
        .filter((a) => allowed.includes(a));
      access.push({ type, name: scope.slice(first + 1, last), actions });
    }
    const iat = nowSeconds();
    const token = signJwt(
      { typ: 'JWT', x5c: [this.certs.tokenCertDerB64] },
      {
        iss: ISSUER,
        sub: record.iamId,
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
    sendJson(res, 200, {
      token,
      access_token: token,
      expires_in: REGISTRY_TOKEN_LIFETIME,
      issued_at: new Date(iat * 1000).toISOString(),
    });
  }

  /** True when `Authorization: Bearer` carries a registry token we issued that is still valid. */
  verifyRegistryToken(authorization: string | undefined): boolean {
    const token = parseBearer(authorization);
    if (!token) return false;
    const payload = verifyJwt(token, this.certs.tokenPublicKey);
    return payload?.iss === ISSUER && payload.aud === SERVICE;
  }

  /** GET /api/v1/quotas with an IAM access token and an Account header. */
  handleQuotas(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const requestId = randomUUID();
    const token = parseBearer(req.headers.authorization);
    const record = token ? this.iam.verifyAccessToken(token) : undefined;
    if (!record) {
      sendJson(res, 401, {
        code: 'CRG0001E',
        message: 'You are not authorized to access the specified resource.',
        'request-id': requestId,
      });
      return;
    }
    if (req.headers.account !== record.accountId) {
      sendJson(res, 403, { code: 'CRG0014E', message: 'You are not authorized to access the specified account.', 'request-id': requestId });
      return;
    }
    sendJson(res, 200, {
      limits: { storage_megabytes: -1, traffic_megabytes: 5120 },
      usage: { storage_megabytes: 0, traffic_megabytes: 0 },
    });
  }
}
