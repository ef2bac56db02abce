// Emulated IBM Cloud IAM token endpoint (POST /identity/token): API-key, refresh, assume and cr-token grants,
// RS256 access tokens, and refresh tokens only where IAM issues them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Subject } from './types.ts';
import type { Directory } from './identities.ts';
import type { IamError } from './errors.ts';
import { PROFILE_NOT_TRUSTED, iamContext, iamErrorBody, keyRefusal } from './errors.ts';
import { callerAddress } from './addresses.ts';
import { IamTokens } from './tokens.ts';
import { Clusters } from '../compute/clusters.ts';
import { COMPUTE_RESOURCE_CLAIMS, CR_TOKEN_GRANT, crTokenGrant } from '../compute/cr-token-grant.ts';
import { parseBasicAuth, readBody, sendJson } from '../net/http-util.ts';

export const APIKEY_GRANT = 'urn:ibm:params:oauth:grant-type:apikey';
export const ASSUME_GRANT = 'urn:ibm:params:oauth:grant-type:assume';
/** Registered OAuth clients: the IBM Cloud CLI's public ID and secret, which IAM gives refresh tokens. */
const CLIENTS = new Map([['bx', 'bx']]);

const missing = (name: string): IamError => ({
  status: 400,
  code: 'BXNIM0109E',
  message: 'Property missing or empty.',
  details: `Property '${name}' missing or empty.`,
});

export interface IamOptions {
  refreshTokens: boolean;
  tokenLifetime: number;
}

export class Iam {
  private readonly dir: Directory;
  private readonly refreshTokens: boolean;
  readonly tokens: IamTokens;
  /** the clusters whose service-account tokens the cr-token grant takes */
  readonly clusters: Clusters;

  constructor(dir: Directory, options: IamOptions, secrets: Set<string>) {
    this.dir = dir;
    this.refreshTokens = options.refreshTokens;
    this.tokens = new IamTokens(dir, options.tokenLifetime, secrets);
    this.clusters = new Clusters(dir, secrets);
  }

  /** base URL, set once the IAM server listens; goes into the `iss` claim */
  set issuerBase(base: string) {
    this.tokens.issuerBase = base;
  }

  verifyAccessToken(token: string): Subject | undefined {
    return this.tokens.verifyAccessToken(token);
  }

  verifyRefreshToken(token: string): Subject | undefined {
    return this.tokens.verifyRefreshToken(token);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://iam');
    if (url.pathname !== '/identity/token') {
      req.resume();
      return this.fail(req, res, { status: 404, code: 'BXNIM0102E', message: 'Not found.', standIn: true });
    }
    if (req.method !== 'POST') {
      req.resume();
      // IAM's own answer to a GET (a public Go client's test transcribes it).
      return this.fail(req, res, {
        status: 405,
        code: 'BXNIM0060E',
        message: "Web application exception 'javax.ws.rs.ClientErrorException' during request processing.",
        details: 'HTTP 405 Method Not Allowed',
      });
    }
    const form = new URLSearchParams(await readBody(req));
    const grant = form.get('grant_type') ?? '';
    if (!grant) return this.fail(req, res, missing('grant_type'));
    if (grant === APIKEY_GRANT) {
      const apikey = form.get('apikey') ?? '';
      if (!apikey) return this.fail(req, res, missing('apikey'));
      const from = callerAddress(req.socket.remoteAddress);
      const check = this.dir.checkKey(apikey, from);
      if (!('record' in check)) return this.fail(req, res, keyRefusal(check.refused, apikey, from));
      return this.issue(res, check.record, grant, this.refreshTokens || this.isClient(req));
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
    if (grant === CR_TOKEN_GRANT) {
      // Never a refresh token: a compute resource asks again with a fresh cr_token.
      const granted = crTokenGrant(form, this.clusters, this.dir);
      if ('status' in granted) return this.fail(req, res, granted);
      return sendJson(res, 200, this.tokens.response(granted.profile, grant, false, { claims: COMPUTE_RESOURCE_CLAIMS }));
    }
    return this.fail(req, res, {
      status: 400,
      code: 'BXNIM0104E',
      message: 'Grant type not supported.',
      details: `Unsupported grant_type '${grant}'.`,
      standIn: true,
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
      return this.fail(req, res, {
        ...PROFILE_NOT_TRUSTED,
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
    sendJson(res, 200, this.tokens.response(subject, grant, withRefresh));
  }

  private fail(req: IncomingMessage, res: ServerResponse, error: IamError): void {
    sendJson(res, error.status, iamErrorBody(error, 'identity', iamContext(req, this.tokens.issuerBase)));
  }
}
