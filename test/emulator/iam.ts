// Emulated IBM Cloud IAM token endpoint (POST /identity/token): API-key, refresh and assume grants,
// RS256 access tokens, and refresh tokens only where IAM issues them.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Subject } from './types.ts';
import type { Directory } from './identities.ts';
import type { IamError } from './iam-errors.ts';
import { KEY_REFUSALS, iamContext, iamErrorBody } from './iam-errors.ts';
import { signJwt, verifyJwt } from './jwt.ts';
import { nowSeconds, parseBasicAuth, readBody, sendJson } from './http-util.ts';

export const APIKEY_GRANT = 'urn:ibm:params:oauth:grant-type:apikey';
export const ASSUME_GRANT = 'urn:ibm:params:oauth:grant-type:assume';
const REFRESH_LIFETIME = 30 * 24 * 3600; // IAM refresh tokens for API-key grants lived 30 days
/** Registered OAuth clients: the IBM Cloud CLI's public ID and secret, which IAM gives refresh tokens. */
const CLIENTS = new Map([['bx', 'bx']]);

const missing = (name: string): IamError => ({
  status: 400,
  code: 'BXNIM0109E',
  message: 'Property missing or empty.',
  details: `Property '${name}' missing or empty.`,
});

interface RefreshEntry {
  subject: Subject;
  exp: number;
}

export interface IamOptions {
  refreshTokens: boolean;
  tokenLifetime: number;
}

export class Iam {
  private readonly dir: Directory;
  private readonly options: IamOptions;
  private readonly secrets: Set<string>;
  private readonly key: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly kid = `${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-emu`;
  private readonly refresh = new Map<string, RefreshEntry>();
  /** base URL, set once the IAM server listens; goes into the `iss` claim */
  issuerBase = 'https://iam.cloud.ibm.com';

  constructor(dir: Directory, options: IamOptions, secrets: Set<string>) {
    this.dir = dir;
    this.options = options;
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

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://iam');
    if (req.method !== 'POST' || url.pathname !== '/identity/token') {
      req.resume();
      return this.fail(req, res, { status: 404, code: 'BXNIM0102E', message: 'Not found.' });
    }
    const form = new URLSearchParams(await readBody(req));
    const grant = form.get('grant_type') ?? '';
    if (!grant) return this.fail(req, res, missing('grant_type'));
    if (grant === APIKEY_GRANT) {
      const apikey = form.get('apikey') ?? '';
      if (!apikey) return this.fail(req, res, missing('apikey'));
      const check = this.dir.checkKey(apikey);
      if (!('record' in check)) return this.fail(req, res, KEY_REFUSALS[check.refused]);
      return this.issue(res, check.record, grant, this.options.refreshTokens || this.isClient(req));
    }
    if (grant === 'refresh_token') {
      const token = form.get('refresh_token') ?? '';
      if (!token) return this.fail(req, res, missing('refresh_token'));
      const subject = this.verifyRefreshToken(token);
      if (!subject) {
        return this.fail(req, res, {
          status: 400,
          code: 'BXNIM0408E',
          message: 'Provided refresh token is expired',
          details: 'The refresh token is expired or unknown.',
        });
      }
      return this.issue(res, subject, grant, true);
    }
    if (grant === ASSUME_GRANT) return this.assume(req, res, form);
    return this.fail(req, res, {
      status: 400,
      code: 'BXNIM0104E',
      message: 'Grant type not supported.',
      details: `Unsupported grant_type '${grant}'.`,
    });
  }

  /** The assume grant: an access token of a service ID the profile trusts becomes a token of the profile. */
  private assume(req: IncomingMessage, res: ServerResponse, form: URLSearchParams): void {
    const token = form.get('access_token') ?? '';
    if (!token) return this.fail(req, res, missing('access_token'));
    const profileId = form.get('profile_id') ?? '';
    if (!profileId) return this.fail(req, res, missing('profile_id'));
    const subject = this.verifyAccessToken(token);
    if (!subject) {
      return this.fail(req, res, {
        status: 400,
        code: 'BXNIM0407E',
        message: 'Provided access token is invalid.',
        details: 'The access token is invalid or expired.',
      });
    }
    const profile = this.dir.profile(profileId);
    if (!profile || !this.dir.trusts(profile, subject)) {
      // BXNIM0398E with this wording is what IAM answered a compute-resource token that a profile does
      // not trust (public transcript, 2023); IAM answers the assume grant the same way as far as known.
      return this.fail(req, res, {
        status: 400,
        code: 'BXNIM0398E',
        message: 'Selected trusted profile not eligible.',
        details: `The given token with identifier '${subject.iamId}' is not permitted to assume the indicated trusted profile; profile ID '${profile?.iamId ?? profileId}'.`,
      });
    }
    return this.issue(res, profile, ASSUME_GRANT, false);
  }

  /** True when the request authenticates as a registered client (HTTP Basic client ID and secret). */
  private isClient(req: IncomingMessage): boolean {
    const creds = parseBasicAuth(req.headers.authorization);
    return creds !== undefined && CLIENTS.get(creds.username) === creds.password;
  }

  private issue(res: ServerResponse, subject: Subject, grant: string, withRefresh: boolean): void {
    const iat = nowSeconds();
    const exp = iat + this.options.tokenLifetime;
    const accessToken = signJwt(
      { kid: this.kid, typ: 'JWT' },
      { ...claimsOf(subject), iat, exp, iss: `${this.issuerBase}/identity`, grant_type: grant },
      this.key,
    );
    this.secrets.add(accessToken);
    const body: Record<string, unknown> = {
      access_token: accessToken,
      refresh_token: 'not_supported',
      token_type: 'Bearer',
      expires_in: this.options.tokenLifetime,
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
    sendJson(res, 200, body);
  }

  private fail(req: IncomingMessage, res: ServerResponse, error: IamError): void {
    sendJson(res, error.status, iamErrorBody(error, 'identity', iamContext(req, this.issuerBase)));
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
      return {
        ...base,
        realmid: 'iam',
        identifier: subject.iamId.replace(/^iam-/, ''),
        sub: subject.iamId.replace(/^iam-/, ''),
        sub_type: 'ServiceId',
      };
    case 'profile':
      return {
        ...base,
        realmid: 'iam',
        identifier: subject.iamId.replace(/^iam-/, ''),
        sub: subject.iamId.replace(/^iam-/, ''),
        sub_type: 'Profile',
      };
  }
}
