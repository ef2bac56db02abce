// IAM's tokens: RS256 access tokens whose payload carries the subject (iam_id, sub, account.bss, exp),
// the token endpoint's 200 body, and refresh tokens where IAM issues them.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Subject } from './types.ts';
import type { Directory } from './identities.ts';
import { signJwt, verifyJwt } from '../net/jwt.ts';
import { nowSeconds } from '../net/http-util.ts';

const REFRESH_LIFETIME = 30 * 24 * 3600; // IAM refresh tokens for API-key grants lived 30 days

interface RefreshEntry {
  subject: Subject;
  exp: number;
}

export class IamTokens {
  private readonly dir: Directory;
  private readonly lifetime: number;
  private readonly secrets: Set<string>;
  private readonly key: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly kid = `${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-emu`;
  private readonly refresh = new Map<string, RefreshEntry>();
  /** base URL, set once the IAM server listens; goes into the `iss` claim */
  issuerBase = 'https://iam.cloud.ibm.com';

  constructor(dir: Directory, lifetime: number, secrets: Set<string>) {
    this.dir = dir;
    this.lifetime = lifetime;
    this.secrets = secrets;
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.key = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  /** Whom an access token this IAM issued stands for, if its signature and exp are good. */
  verifyAccessToken(token: string): Subject | undefined {
    const iamId = verifyJwt(token, this.publicKey)?.iam_id;
    return typeof iamId === 'string' ? this.dir.subject(iamId) : undefined;
  }

  /** Whom a refresh token this IAM issued stands for, if it has not expired. */
  verifyRefreshToken(token: string): Subject | undefined {
    const entry = this.refresh.get(token);
    return entry && entry.exp > nowSeconds() ? entry.subject : undefined;
  }

  /**
   * The token endpoint's 200 body for this subject. `extra.lifetime` overrides the lifetime and
   * `extra.claims` add to (or replace) the subject's claims, for compute-resource tokens.
   */
  response(
    subject: Subject,
    grant: string,
    withRefresh: boolean,
    extra: { lifetime?: number; claims?: Record<string, unknown> } = {},
  ): Record<string, unknown> {
    const iat = nowSeconds();
    const lifetime = extra.lifetime ?? this.lifetime;
    const exp = iat + lifetime;
    const accessToken = signJwt(
      { kid: this.kid, typ: 'JWT' },
      { ...claimsOf(subject), ...extra.claims, iat, exp, iss: `${this.issuerBase}/identity`, grant_type: grant },
      this.key,
    );
    this.secrets.add(accessToken);
    const body: Record<string, unknown> = {
      access_token: accessToken,
      refresh_token: 'not_supported',
      token_type: 'Bearer',
      expires_in: lifetime,
      expiration: exp,
      scope: 'ibm openid',
    };
    if (subject.kind === 'user') body.ims_user_id = 1000000 + (parseInt(subject.iamId.slice(-5), 16) % 8999999);
    if (withRefresh) {
      // Real refresh tokens are long opaque strings; the shape does not matter to clients.
      const refreshToken = randomBytes(96).toString('base64url');
      const refreshExp = iat + REFRESH_LIFETIME;
      this.refresh.set(refreshToken, { subject, exp: refreshExp });
      this.secrets.add(refreshToken);
      body.refresh_token = refreshToken;
      body.refresh_token_expiration = refreshExp;
    }
    return body;
  }
}

/** The identity claims of an IAM access token, by kind of subject. */
function claimsOf(subject: Subject): Record<string, unknown> {
  const base = {
    iam_id: subject.iamId,
    id: subject.iamId,
    jti: randomUUID(),
    name: subject.name,
    account: { valid: true, bss: subject.accountId, frozen: true },
    scope: 'ibm openid',
    client_id: 'default',
    acr: 1,
    amr: ['pwd'],
  };
  switch (subject.kind) {
    case 'user':
      return {
        ...base,
        realmid: 'IBMid',
        identifier: subject.iamId.replace(/^IBMid-/, ''),
        sub: subject.name,
        sub_type: 'User',
        email: subject.name,
      };
    case 'serviceid':
    case 'profile': {
      // IAM-realm subjects: `sub` is the iam_id without its `iam-` prefix (ServiceId-…, Profile-…).
      const sub = subject.iamId.replace(/^iam-/, '');
      return { ...base, realmid: 'iam', identifier: sub, sub, sub_type: subject.kind === 'profile' ? 'Profile' : 'ServiceId' };
    }
  }
}
