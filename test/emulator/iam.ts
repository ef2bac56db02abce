// Emulated IBM Cloud IAM token endpoint (POST /identity/token), shaped like the real one.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiKeyRecord } from './types.ts';
import type { Identities } from './identities.ts';
import { signJwt, verifyJwt } from './jwt.ts';
import { nowSeconds, readBody, sendJson } from './http-util.ts';

const APIKEY_GRANT = 'urn:ibm:params:oauth:grant-type:apikey';
const REFRESH_LIFETIME = 30 * 24 * 3600; // IAM refresh tokens for API-key grants lived 30 days

interface RefreshEntry {
  record: ApiKeyRecord;
  exp: number;
}

export interface IamOptions {
  refreshTokens: boolean;
  tokenLifetime: number;
}

export class Iam {
  readonly identities: Identities;
  private readonly options: IamOptions;
  private readonly secrets: Set<string>;
  private readonly key: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly kid = `${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-emu`;
  private readonly refresh = new Map<string, RefreshEntry>();
  /** base URL, set once the IAM server listens; goes into the `iss` claim */
  issuerBase = 'https://iam.cloud.ibm.com';

  constructor(identities: Identities, options: IamOptions, secrets: Set<string>) {
    this.identities = identities;
    this.options = options;
    this.secrets = secrets;
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.key = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  /** The identity behind an access token this IAM issued, if its signature and exp are good. */
  verifyAccessToken(token: string): ApiKeyRecord | undefined {
    const payload = verifyJwt(token, this.publicKey);
    const iamId = payload?.iam_id;
    if (typeof iamId !== 'string') return undefined;
    return [...this.identities.byKey.values()].find((r) => r.iamId === iamId);
  }

  /** The identity behind a refresh token this IAM issued and that has not expired. */
  verifyRefreshToken(token: string): ApiKeyRecord | undefined {
    const entry = this.refresh.get(token);
    if (!entry || entry.exp <= nowSeconds()) return undefined;
    return entry.record;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://iam');
    if (req.method !== 'POST' || url.pathname !== '/identity/token') {
      req.resume();
      sendJson(res, 404, { errorCode: 'BXNIM0102E', errorMessage: 'Not found.', context: this.context(req) });
      return;
    }
    const form = new URLSearchParams(await readBody(req));
    const grant = form.get('grant_type') ?? '';
    if (!grant) return this.error(req, res, 'BXNIM0109E', 'Property missing or empty.', "Property 'grant_type' missing or empty.");
    if (grant === APIKEY_GRANT) {
      const apikey = form.get('apikey') ?? '';
      if (!apikey) return this.error(req, res, 'BXNIM0109E', 'Property missing or empty.', "Property 'apikey' missing or empty.");
      const record = this.identities.byKey.get(apikey);
      if (!record) {
        return this.error(req, res, 'BXNIM0415E', 'Provided API key could not be found.', 'The API key is not found or is invalid.');
      }
      return this.issue(res, record, grant);
    }
    if (grant === 'refresh_token') {
      const token = form.get('refresh_token') ?? '';
      if (!token) return this.error(req, res, 'BXNIM0109E', 'Property missing or empty.', "Property 'refresh_token' missing or empty.");
      const record = this.verifyRefreshToken(token);
      if (!record)
        return this.error(req, res, 'BXNIM0408E', 'Provided refresh token is expired', 'The refresh token is expired or unknown.');
      return this.issue(res, record, grant);
    }
    return this.error(req, res, 'BXNIM0104E', 'Grant type not supported.', `Unsupported grant_type '${grant}'.`);
  }

  private issue(res: ServerResponse, record: ApiKeyRecord, grant: string): void {
    const iat = nowSeconds();
    const exp = iat + this.options.tokenLifetime;
    const isUser = record.kind === 'user';
    const accessToken = signJwt(
      { kid: this.kid, typ: 'JWT' },
      {
        iam_id: record.iamId,
        id: record.iamId,
        realmid: isUser ? 'IBMid' : 'iam',
        jti: randomUUID(),
        identifier: isUser ? record.iamId.replace(/^IBMid-/, '') : record.iamId.replace(/^iam-/, ''),
        name: record.name,
        sub: isUser ? record.name : record.iamId.replace(/^iam-/, ''),
        sub_type: isUser ? 'User' : 'ServiceId',
        ...(isUser ? { email: record.name } : {}),
        account: { valid: true, bss: record.accountId, frozen: true },
        iat,
        exp,
        iss: `${this.issuerBase}/identity`,
        grant_type: grant,
        scope: 'ibm openid',
        client_id: 'default',
        acr: 1,
        amr: ['pwd'],
      },
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
    if (isUser) body.ims_user_id = 1000000 + (parseInt(record.iamId.slice(-5), 16) % 8999999);
    if (this.options.refreshTokens) {
      // Real refresh tokens are long opaque strings; the shape does not matter to clients.
      const refreshToken = randomBytes(96).toString('base64url');
      const refreshExp = iat + REFRESH_LIFETIME;
      this.refresh.set(refreshToken, { record, exp: refreshExp });
      this.secrets.add(refreshToken);
      body.refresh_token = refreshToken;
      body.refresh_token_expiration = refreshExp;
    }
    sendJson(res, 200, body);
  }

  private error(req: IncomingMessage, res: ServerResponse, code: string, message: string, details: string): void {
    sendJson(res, 400, { errorCode: code, errorMessage: message, errorDetails: details, context: this.context(req) });
  }

  private context(req: IncomingMessage): Record<string, string> {
    const start = new Date();
    return {
      requestId: randomUUID(),
      requestType: 'incoming.Identity_Token',
      userAgent: String(req.headers['user-agent'] ?? ''),
      url: this.issuerBase,
      instanceId: 'iamid-emulator-0',
      threadId: randomBytes(4).toString('hex'),
      host: 'iam-emulator',
      startTime: start.toUTCString(),
      endTime: new Date().toUTCString(),
      elapsedTime: '1',
      locale: 'en_US',
      clusterName: 'iam-emulator',
    };
  }
}
