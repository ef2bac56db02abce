// IBM's entitled registry (cp.icr.io) on a host of its own: a token service that takes username `cp`
// and an entitlement key, never asks IAM, and grants only pull on the repositories the key entitles;
// a real Distribution registry behind it, seeded with IBM-like images at start. Its challenge is bare
// (`Bearer realm=https://cp.icr.io/oauth/token, service=registry, scope=…`) to callers that are none
// of the four clients. A pull the key is not entitled to is refused `denied: You are not authorized to
// access this resource.` (IBM/cloud-pak-deployer#1085, after a login that succeeded).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EntitledOptions, EntitledRegistry } from './types.ts';
import type { IcrBehaviour } from '../token-service/types.ts';
import type { CertSet } from '../net/certs.ts';
import type { Listening, Route, ServerContext } from '../net/servers.ts';
import type { RegistryProcess } from '../registry/process.ts';
import { createRecordingServer, listenHttps } from '../net/servers.ts';
import { startRegistry } from '../registry/process.ts';
import { EntitlementKeys } from './keys.ts';
import { SERVICE, challengeFor, realmFor } from '../token-service/service.ts';
import { requestedScopes, sendRegistryToken } from '../token-service/registry-tokens.ts';
import { refuseLogin } from '../token-service/login-refusal.ts';
import { styleFor } from '../token-service/challenge.ts';
import { proxyToRegistry } from '../registry/proxy.ts';
import { seedImage } from '../registry/seed.ts';
import { parseBasicAuth, sendJson } from '../net/http-util.ts';

export const ENTITLED_NAME = 'cp.icr.io';
export const ENTITLED_USERNAME = 'cp';
/** IBM software as its images are named there (MQ, App Connect). */
export const ENTITLED_IMAGES = ['cp/ibm-mq/mq:9', 'cp/appc/ace-server-prod:12'];
export const NOT_ENTITLED = 'You are not authorized to access this resource.';
const ISSUER = 'icr-emulator/entitled';

class EntitledTokens {
  private readonly keys: EntitlementKeys;
  private readonly certs: CertSet;
  private readonly secrets: Set<string>;
  private readonly behaviour: IcrBehaviour;
  host = '';

  constructor(keys: EntitlementKeys, certs: CertSet, secrets: Set<string>, behaviour: IcrBehaviour) {
    this.keys = keys;
    this.certs = certs;
    this.secrets = secrets;
    this.behaviour = behaviour;
  }

  challengeStyle(req: IncomingMessage) {
    return styleFor(this.behaviour.challenge, req.headers['user-agent']);
  }

  /** GET /oauth/token with Basic cp:KEY: pull on entitled repositories, nothing else, ever. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    if (req.method !== 'GET') {
      sendJson(res, 405, { errors: [{ code: 'UNSUPPORTED', message: 'The operation is unsupported.' }] }, { Allow: 'GET' });
      return;
    }
    const creds = parseBasicAuth(req.headers.authorization);
    if (creds?.username !== ENTITLED_USERNAME || !this.keys.valid(creds.password)) {
      refuseLogin(res, this.behaviour.badCredentials, challengeFor(this.host, this.challengeStyle(req)));
      return;
    }
    const url = new URL(req.url ?? '/', 'https://registry');
    const access = requestedScopes(url).map(({ name, actions }) => ({
      type: 'repository',
      name,
      actions: this.keys.entitles(creds.password, name) ? actions.filter((a) => a === 'pull') : [],
    }));
    const aud = url.searchParams.get('service') ?? SERVICE;
    sendRegistryToken(res, this.certs, this.secrets, { iss: ISSUER, sub: 'entitlement', aud, access });
  }
}

export interface EntitledStart {
  dir: string;
  certs: CertSet;
  ctx: ServerContext;
  secrets: Set<string>;
  options: EntitledOptions;
  /** where the caller tracks what stop() must end */
  servers: Listening[];
  registries: RegistryProcess[];
}

export interface Entitled {
  api: EntitledRegistry;
  keys: EntitlementKeys;
}

function notFound(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '19' });
  res.end('404 page not found\n');
}

export async function startEntitled(start: EntitledStart): Promise<Entitled> {
  const behaviour: IcrBehaviour = {
    challenge: start.options.challenge ?? 'unquoted',
    badCredentials: start.options.badCredentials ?? 401,
  };
  const keys = new EntitlementKeys();
  const tokens = new EntitledTokens(keys, start.certs, start.secrets, behaviour);
  let port: number | undefined = undefined; // set once the registry runs
  const route = (path: string): Route => {
    if (path === '/oauth/token') return { target: 'entitled-token', handler: (req, res) => tokens.handle(req, res) };
    if (path === '/v2' || path.startsWith('/v2/')) {
      return {
        target: 'entitled-v2',
        handler: (req, res) => {
          if (port === undefined) throw new Error('the entitled registry is not running');
          proxyToRegistry(req, res, port, tokens.host, () => NOT_ENTITLED, tokens.challengeStyle(req));
        },
      };
    }
    return { handler: notFound };
  };
  const server = createRecordingServer(start.ctx, () => tokens.host, route);
  const listening = await listenHttps(server, () => tokens.host, true);
  start.servers.push(listening);
  tokens.host = `127.0.0.1:${listening.port}`;

  await mkdir(start.dir, { recursive: true });
  const registry = await startRegistry(start.dir, realmFor(tokens.host), ISSUER, start.certs.tokenCertFile);
  start.registries.push(registry);
  port = registry.port;
  const images = [];
  for (const reference of start.options.images ?? ENTITLED_IMAGES) {
    images.push(await seedImage(registry.port, start.certs, ISSUER, reference, join(start.dir, 'seed')));
  }
  return {
    keys,
    api: {
      name: ENTITLED_NAME,
      host: tokens.host,
      username: ENTITLED_USERNAME,
      key: keys.add(),
      images,
      addKey: (options) => keys.add(options),
      revokeKey: (key) => keys.revoke(key),
      registryPid: registry.pid,
      registryLog: registry.logFile,
    },
  };
}
