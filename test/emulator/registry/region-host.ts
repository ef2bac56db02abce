// One region's HTTPS host: ICR's token service, ICR's /api/v1, and /v2/ in front of the region's own
// registry (or answered here with registry: false).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Region } from './regions.ts';
import { namespaceOf } from './regions.ts';
import type { TokenService } from '../token-service/service.ts';
import type { IcrApi } from '../icr-api/api.ts';
import type { Listening, Route, ServerContext } from '../net/servers.ts';
import { createRecordingServer, listenHttps } from '../net/servers.ts';
import { proxyToRegistry } from './proxy.ts';
import { answerV2 } from './fake-v2.ts';
import { sendJson } from '../net/http-util.ts';
import { styleFor } from '../token-service/challenge.ts';

export interface RegionServices {
  tokens: TokenService;
  api: IcrApi;
  /** the region's registry port, once it runs (undefined: answer /v2/ here) */
  registryPort(): number | undefined;
}

/** ICR's words for a registry refusal: a namespace missing here, or a role the identity lacks. */
const deniedMessage = (region: Region) => (repository: string) =>
  region.namespace(namespaceOf(repository))
    ? 'You are not authorized to access the specified resource.'
    : 'requested access to the resource is denied';

function notFound(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  sendJson(res, 404, { code: 'CRG0404E', message: 'The requested resource was not found.' });
}

/**
 * `domain`: the real name the region is served under (`us.icr.io`, reached through a proxy that maps it
 * to the address), with a certificate naming it alone; without one the region is called by its address.
 */
export async function listenRegion(
  region: Region,
  ctx: ServerContext,
  services: RegionServices,
  domain?: { name: string; tls: ServerContext['tls'] },
): Promise<Listening> {
  const route = (path: string): Route => {
    if (path === '/oauth/token') return { target: 'token', handler: (req, res) => services.tokens.handleToken(req, res, region) };
    if (path === '/v2' || path.startsWith('/v2/')) {
      return {
        target: 'v2',
        handler: (req, res) => {
          const port = services.registryPort();
          const style = styleFor(region.behaviour.challenge, req.headers['user-agent']);
          if (port !== undefined) proxyToRegistry(req, res, port, region.host, deniedMessage(region), style);
          else answerV2(req, res, region.host, services.tokens.verifyRegistryToken(req.headers.authorization, region), style);
        },
      };
    }
    if (path.startsWith('/api/')) return { target: 'api', handler: (req, res) => services.api.handle(req, res, region) };
    return { handler: notFound };
  };
  const server = createRecordingServer({ ...ctx, region: region.name, tls: domain?.tls ?? ctx.tls }, () => region.host, route);
  const listening = await listenHttps(server, () => region.host, true);
  region.address = `127.0.0.1:${listening.port}`;
  region.host = domain?.name ?? region.address;
  return listening;
}
