// ICR's side of login: the token service at https://<host>/oauth/token that turns iamapikey, iambearer,
// iamrefresh and trusted-profile credentials into registry JWTs granting only what the identity's
// policies allow on each repository in this region (the registry then enforces the token).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Subject } from '../iam/types.ts';
import type { CertSet } from '../net/certs.ts';
import type { Iam } from '../iam/token-endpoint.ts';
import type { Directory } from '../iam/identities.ts';
import type { Region } from '../registry/regions.ts';
import { namespaceOf } from '../registry/regions.ts';
import { repositoryActions } from '../iam/policies.ts';
import { verifyJwt } from '../net/jwt.ts';
import { parseBasicAuth, parseBearer, sendJson } from '../net/http-util.ts';
import { requestedScopes, sendRegistryToken } from './registry-tokens.ts';
import { formatChallenge, styleFor } from './challenge.ts';
import type { ChallengeStyle } from './challenge.ts';
import { refuseLogin } from './login-refusal.ts';
import { callerAddress } from '../iam/addresses.ts';

export { LOGIN_REFUSED } from './login-refusal.ts';

export const SERVICE = 'registry';
/** Each region's registry trusts only tokens of its own issuer: a token of one region is no good in another. */
export const issuerFor = (region: string): string => `icr-emulator/${region}`;

export const realmFor = (host: string): string => `https://${host}/oauth/token`;
export const challengeFor = (host: string, style: ChallengeStyle = 'quoted'): string =>
  formatChallenge(
    [
      ['realm', realmFor(host)],
      ['service', SERVICE],
    ],
    style,
  );

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

  /**
   * Who the Basic credentials stand for, checked against the emulated IAM as ICR does. `from` is the
   * caller's address: whether ICR hands it on to IAM when it exchanges a key is not public; the
   * emulator assumes it does, so an account's IP address access refuses this login too.
   */
  authenticate(username: string, password: string, from?: string): Subject | undefined {
    switch (username) {
      case 'iamapikey':
        return this.dir.usableKey(password, from);
      case 'iambearer':
        return this.iam.verifyAccessToken(password);
      case 'iamrefresh':
        return this.iam.verifyRefreshToken(password);
      default: {
        // Trusted profile login: ICR exchanges the service ID's key and assumes the profile with it.
        const profile = this.dir.profile(username);
        const key = this.dir.usableKey(password, from);
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
    const from = callerAddress(req.socket.remoteAddress);
    const creds = parseBasicAuth(req.headers.authorization);
    const subject = creds ? this.authenticate(creds.username, creds.password, from) : undefined;
    if (!subject) {
      const style = styleFor(region.behaviour.challenge, req.headers['user-agent']);
      refuseLogin(res, region.behaviour.badCredentials, challengeFor(region.host, style));
      return;
    }
    const url = new URL(req.url ?? '/', 'https://registry');
    const access = requestedScopes(url).map(({ name, actions }) => {
      const ns = region.namespace(namespaceOf(name));
      // A context-based restriction allows nothing from outside its zone: refused like a missing role.
      const inContext = !ns || this.dir.restrictions.registryAllowed(ns.accountId, region.name, ns.name, from);
      const allowed = inContext ? repositoryActions(subject, region.name, ns) : [];
      return { type: 'repository', name, actions: actions.filter((a) => allowed.includes(a)) };
    });
    const aud = url.searchParams.get('service') ?? SERVICE;
    sendRegistryToken(res, this.certs, this.secrets, { iss: issuerFor(region.name), sub: subject.iamId, aud, access });
  }

  /** True when `Authorization: Bearer` carries a registry token this region issued that is still valid. */
  verifyRegistryToken(authorization: string | undefined, region: Region): boolean {
    const token = parseBearer(authorization);
    const payload = token ? verifyJwt(token, this.certs.tokenPublicKey) : undefined;
    return payload?.iss === issuerFor(region.name) && payload.aud === SERVICE;
  }
}
