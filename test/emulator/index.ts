// Test-bed emulator of IBM Cloud IAM and IBM Cloud Container Registry on 127.0.0.1.
// IAM issues tokens for known API keys; each registry host runs ICR's token service and
// fronts one real Distribution registry (or answers /v2/ itself with registry: false).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator, EmulatorOptions, Fault, FaultTarget, RequestRecord } from './types.ts';
import { generateCerts } from './certs.ts';
import { makeIdentities } from './identities.ts';
import { Iam } from './iam.ts';
import { TokenService, realmFor } from './token-service.ts';
import { FaultQueue } from './faults.ts';
import { createRecordingServer, listenHttps } from './servers.ts';
import type { Listening, Route, ServerContext } from './servers.ts';
import { proxyToRegistry } from './proxy.ts';
import { answerV2 } from './fake-v2.ts';
import { startRegistry } from './registry-process.ts';
import type { RegistryProcess } from './registry-process.ts';
import { sendJson } from './http-util.ts';

export type { ApiKeyRecord, Emulator, EmulatorOptions, Fault, FaultTarget, RequestRecord } from './types.ts';
export { writeOciImage } from './oci.ts';
export { decodeJwtPayload } from './jwt.ts';
export { freePort } from './registry-process.ts';

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const useRegistry = opts.registry ?? true;
  const hostCount = opts.hostCount ?? 1;
  if (!Number.isInteger(hostCount) || hostCount < 1) throw new Error(`hostCount must be a positive integer, got ${hostCount}`);
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'icr-emulator-')));
  if (!ownDir) await mkdir(dir, { recursive: true });

  const servers: Listening[] = [];
  let registry: RegistryProcess | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await Promise.all(servers.map((s) => s.close()));
      await registry?.stop();
      if (ownDir) await rm(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    const certs = await generateCerts(dir);
    const secrets = new Set<string>();
    const identities = makeIdentities();
    const iam = new Iam(identities, { refreshTokens: opts.refreshTokens ?? false, tokenLifetime: opts.tokenLifetime ?? 3600 }, secrets);
    const tokens = new TokenService(iam, certs, secrets);
    const requests: RequestRecord[] = [];
    const faults = new FaultQueue();
    const tls = { key: certs.serverKeyPem, cert: certs.serverCertPem };
    const ctx = (kind: RequestRecord['server']): ServerContext => ({ kind, tls, requests, faults });

    // IAM: its own server, as the real one is a different host.
    let iamHost = '';
    const iamServer = createRecordingServer(
      ctx('iam'),
      () => iamHost,
      (path) => ({
        ...(path === '/identity/token' ? { target: 'iam' as const } : {}),
        handler: (req, res) => iam.handle(req, res),
      }),
    );
    const iamListening = await listenHttps(iamServer, () => iamHost, false);
    servers.push(iamListening);
    iamHost = `127.0.0.1:${iamListening.port}`;
    iam.issuerBase = `https://${iamHost}`;

    const hosts: string[] = [];
    for (let i = 0; i < hostCount; i++) {
      let host = '';
      const route = (path: string): Route => {
        if (path === '/oauth/token') return { target: 'token', handler: (req, res) => tokens.handleToken(req, res, host) };
        if (path === '/v2' || path.startsWith('/v2/')) {
          return {
            target: 'v2',
            handler: (req, res) => {
              if (registry) proxyToRegistry(req, res, registry.port, host);
              else answerV2(req, res, host, tokens.verifyRegistryToken(req.headers.authorization));
            },
          };
        }
        if (path === '/api/v1/quotas') return { target: 'api', handler: (req, res) => tokens.handleQuotas(req, res) };
        const notFound = (req: Parameters<Route['handler']>[0], res: Parameters<Route['handler']>[1]): void => {
          req.resume();
          sendJson(res, 404, { code: 'CRG0404E', message: 'Not found.' });
        };
        return path.startsWith('/api/') ? { target: 'api', handler: notFound } : { handler: notFound };
      };
      const server = createRecordingServer(ctx('registry'), () => host, route);
      const listening = await listenHttps(server, () => host, true);
      servers.push(listening);
      host = `127.0.0.1:${listening.port}`;
      hosts.push(host);
    }
    const firstHost = hosts[0] as string;

    if (useRegistry) registry = await startRegistry(dir, realmFor(firstHost), certs.tokenCertFile);

    return {
      hosts,
      host: firstHost,
      iamUrl: `https://${iamHost}`,
      caFile: certs.caFile,
      keys: { user: identities.user, service: identities.service, reader: identities.reader },
      profileId: identities.profileId,
      unknownKey: identities.unknownKey,
      requests,
      secrets: () => [...[identities.user, identities.service, identities.reader].map((r) => r.key), identities.unknownKey, ...secrets],
      inject: (target: FaultTarget, ...list: Fault[]) => faults.push(target, list),
      clearFaults: () => faults.clear(),
      trust: async (home: string) => {
        for (const host of hosts) {
          const certDir = join(home, '.config', 'containers', 'certs.d', host);
          await mkdir(certDir, { recursive: true });
          await writeFile(join(certDir, 'ca.crt'), certs.caPem);
        }
      },
      stop,
      ...(registry ? { registryPid: registry.pid, registryLog: registry.logFile } : {}),
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
