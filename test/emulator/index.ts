// Test-bed emulator of IBM Cloud IAM and IBM Cloud Container Registry on 127.0.0.1, as strict as IBM
// Cloud: regions are separate registries with their own namespaces; keys carry IAM policies that ICR's
// token service turns into registry tokens, which each region's real Distribution registry enforces.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator, EmulatorOptions } from './types.ts';
import type { Fault, FaultTarget, RequestRecord } from './net/types.ts';
import { generateCerts, nameCert } from './net/certs.ts';
import { Directory, defaultIdentities } from './iam/identities.ts';
import { Iam } from './iam/token-endpoint.ts';
import { TokenService, issuerFor, realmFor } from './token-service/service.ts';
import { IcrApi } from './icr-api/api.ts';
import { FaultQueue } from './net/faults.ts';
import { createRecordingServer, listenHttps } from './net/servers.ts';
import type { Listening, ServerContext } from './net/servers.ts';
import { Region, regionNames } from './registry/regions.ts';
import { listenRegion } from './registry/region-host.ts';
import { startRegistry } from './registry/process.ts';
import type { RegistryProcess } from './registry/process.ts';
import { baseBehaviour, behaviourFor, checked } from './token-service/behaviour.ts';
import { startEntitled } from './entitled/registry.ts';
import type { Entitled } from './entitled/registry.ts';
import { Instances } from './compute/instances.ts';

export type * from './types.ts';
export type * from './iam/types.ts';
export type * from './token-service/types.ts';
export type * from './registry/types.ts';
export type * from './compute/types.ts';
export type * from './entitled/types.ts';
export type * from './net/types.ts';
export { writeOciImage } from './registry/oci-image.ts';
export { decodeJwtPayload } from './net/jwt.ts';
export { freePort } from './registry/process.ts';
export { iamErrorFault, KEY_REFUSALS, PROFILE_NOT_TRUSTED } from './iam/errors.ts';
export { nameUnknownFault, authLayerErrorFault } from './registry/probe-faults.ts';
export type { ProbeFaultOptions } from './registry/probe-faults.ts';
export { DEFAULT_BEHAVIOUR, LENIENT_BEHAVIOUR, STRICT_BEHAVIOUR } from './token-service/behaviour.ts';
export { isContainerClient } from './token-service/challenge.ts';
export { ENTITLED_IMAGES, ENTITLED_NAME, NOT_ENTITLED } from './entitled/registry.ts';
export type { IamError, IamErrorShape } from './iam/errors.ts';
export { APIKEY_GRANT, ASSUME_GRANT } from './iam/token-endpoint.ts';
export { CR_TOKEN_GRANT, CR_TOKEN_REFUSALS } from './compute/cr-token-grant.ts';
export { crRule } from './compute/cr-rules.ts';

/** Every region gets this namespace of the main account, so a default key can push to `ns/…` anywhere. */
export const DEFAULT_NAMESPACE = 'ns';

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const names = regionNames(opts);
  for (const [option, map] of [
    ['regionBehaviour', opts.regionBehaviour],
    ['domains', opts.domains],
  ] as const) {
    for (const name of Object.keys(map ?? {})) {
      if (!names.includes(name)) throw new Error(`${option} names ${name}, which is not emulated (have ${names.join(', ')})`);
    }
  }
  const domains = Object.values(opts.domains ?? {});
  if (new Set(domains).size !== domains.length || domains.some((d) => !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d))) {
    throw new Error(`domains must be distinct host names without a port: ${domains.join(', ')}`);
  }
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'icr-emulator-')));
  if (!ownDir) await mkdir(dir, { recursive: true });

  const servers: Listening[] = [];
  const registries: RegistryProcess[] = [];
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await Promise.all(servers.map((s) => s.close()));
      await Promise.all(registries.map((r) => r.stop()));
      if (ownDir) await rm(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    const certs = await generateCerts(dir);
    const secrets = new Set<string>();
    const directory = new Directory();
    const { keys, profile } = defaultIdentities(directory);
    const iam = new Iam(directory, { refreshTokens: opts.refreshTokens ?? false, tokenLifetime: opts.tokenLifetime ?? 3600 }, secrets);
    const tokens = new TokenService(iam, directory, certs, secrets);
    const api = new IcrApi(iam, directory);
    const instances = new Instances(directory, iam, secrets);
    const requests: RequestRecord[] = [];
    const faults = new FaultQueue();
    const tls = { key: certs.serverKeyPem, cert: certs.serverCertPem };
    const ctx = (kind: RequestRecord['server']): ServerContext => ({ kind, tls, requests, faults });

    // IAM: its own server, as the real one is a different host.
    let iamHost = '';
    const iamServer = createRecordingServer(
      ctx('iam'),
      () => iamHost,
      (path) => ({ ...(path === '/identity/token' ? { target: 'iam' as const } : {}), handler: (req, res) => iam.handle(req, res) }),
    );
    const iamListening = await listenHttps(iamServer, () => iamHost, false);
    servers.push(iamListening);
    iamHost = `127.0.0.1:${iamListening.port}`;
    iam.issuerBase = `https://${iamHost}`;

    const base = baseBehaviour();
    const regions = names.map((name) => new Region(name, behaviourFor(name, opts, base)));
    const ports = new Map<Region, number>();
    const named = await Promise.all(
      regions.map(async (r) => {
        const name = opts.domains?.[r.name];
        return name === undefined ? undefined : { name, tls: await nameCert(dir, name) };
      }),
    );
    for (const [i, region] of regions.entries()) {
      servers.push(await listenRegion(region, ctx('registry'), { tokens, api, registryPort: () => ports.get(region) }, named[i]));
      region.addNamespace(DEFAULT_NAMESPACE, {
        accountId: directory.accounts.main.id,
        resourceGroup: directory.accounts.main.resourceGroup,
      });
    }
    if (opts.registry ?? true) {
      // One registry process per region, started side by side: separate storage, separate token issuer.
      await Promise.all(
        regions.map(async (region) => {
          const regionDir = join(dir, region.name);
          await mkdir(regionDir, { recursive: true });
          const registry = await startRegistry(regionDir, realmFor(region.host), issuerFor(region.name), certs.tokenCertFile);
          registries.push(registry);
          ports.set(region, registry.port);
        }),
      );
    }
    let entitled: Entitled | undefined;
    if (opts.entitled) {
      entitled = await startEntitled({
        dir: join(dir, 'entitled'),
        certs,
        ctx: ctx('entitled'),
        secrets,
        options: opts.entitled === true ? {} : opts.entitled,
        servers,
        registries,
      });
    }
    const regionOf = (name: string): Region => {
      const region = regions.find((r) => r.name === name);
      if (!region) throw new Error(`region ${name} is not emulated (have ${names.join(', ')})`);
      return region;
    };
    const hosts = regions.map((r) => r.host);
    const main = directory.accounts.main;
    const inOrder = regions.map((r) => registries.find((p) => p.port === ports.get(r))).filter((p) => p !== undefined);

    return {
      hosts,
      host: hosts[0] as string,
      regions: regions.map((r) => ({ name: r.name, host: r.host, address: r.address })),
      hostOf: (name) => regionOf(name).host,
      addressOf: (name) => regionOf(name).address,
      iamUrl: `https://${iamHost}`,
      caFile: certs.caFile,
      accounts: directory.accounts,
      keys,
      profileId: profile.id,
      profile,
      unknownKey: directory.unknownKey,
      requests,
      registryPids: inOrder.map((r) => r.pid),
      registryLogs: inOrder.map((r) => r.logFile),
      ...(inOrder[0] ? { registryPid: inOrder[0].pid, registryLog: inOrder[0].logFile } : {}),
      addKey: (options) => directory.addKey(options),
      setKeyState: (key, state) => directory.setKeyState(key, state),
      addProfile: (options) => directory.addProfile(options),
      addInstance: async (options = {}) => {
        const { instance, listening } = await instances.add(options, ctx('metadata'));
        servers.push(listening);
        return instance;
      },
      addCluster: (options) => iam.clusters.add(options),
      addResourceGroup: (accountId) => directory.addResourceGroup(accountId),
      addNamespace: (region, name, options = {}) => {
        const account = directory.accountOf(options.accountId ?? main.id);
        return regionOf(region).addNamespace(name, {
          accountId: account.id,
          resourceGroup: options.resourceGroup ?? account.resourceGroup,
        });
      },
      namespaces: (region) => regionOf(region).namespaces(),
      setQuota: (region, quota, accountId = main.id) => regionOf(region).setQuota(directory.accountOf(accountId).id, quota),
      setIamReachability: (mode) => iamListening.setReachability(mode),
      secrets: () => [...directory.everyKey, directory.unknownKey, ...(entitled?.keys.every ?? []), ...secrets],
      inject: (target: FaultTarget, ...list: Fault[]) => faults.push(target, list),
      clearFaults: () => faults.clear(),
      trust: async (home: string) => {
        for (const host of entitled ? [...hosts, entitled.api.host] : hosts) {
          const certDir = join(home, '.config', 'containers', 'certs.d', host);
          await mkdir(certDir, { recursive: true });
          await writeFile(join(certDir, 'ca.crt'), certs.caPem);
        }
      },
      stop,
      behaviourOf: (region) => ({ ...regionOf(region).behaviour }),
      setRegionBehaviour: (region, behaviour) => {
        const r = regionOf(region);
        r.behaviour = checked({ ...r.behaviour, ...behaviour });
      },
      restrictAccount: (accountId, rule) => directory.restrictions.restrict(directory.accountOf(accountId).id, rule),
      restrictIamLogins: (accountId, allowed) => directory.restrictions.restrictIamLogins(directory.accountOf(accountId).id, allowed),
      liftRestrictions: (accountId) => directory.restrictions.lift(accountId === undefined ? undefined : directory.accountOf(accountId).id),
      suspendUser: (key, suspended) => directory.suspendUser(key, suspended),
      ...(entitled ? { entitled: entitled.api } : {}),
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
