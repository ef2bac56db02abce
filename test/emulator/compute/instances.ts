// VPC virtual server instances: each has its own metadata service (plain HTTP on 127.0.0.1, as the real
// one is http://169.254.169.254 inside the instance), its instance identity tokens, and the trusted
// profiles linked to it. IAM is the source of truth for links: linking adds a VSI link to the profile.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddInstanceOptions, InstanceRecord } from './types.ts';
import type { ProfileRecord } from '../iam/types.ts';
import type { ComputeResource } from './cr-rules.ts';
import type { Directory } from '../iam/identities.ts';
import type { Iam } from '../iam/token-endpoint.ts';
import type { Listening, ServerContext } from '../net/servers.ts';
import { listenHttps, recordingListener } from '../net/servers.ts';
import { signJwt, verifyJwt } from '../net/jwt.ts';
import { nowSeconds } from '../net/http-util.ts';
import { handleMetadata } from './metadata-api.ts';

/** What the metadata service knows of its instance, beyond the public record. */
export interface Instance extends InstanceRecord {
  identityTokenLifetime?: number;
  iamTokenLifetime?: number;
  /** the instance as IAM's Profile-CR rules see it (crType VSI) */
  resource: ComputeResource;
}

export class Instances {
  readonly dir: Directory;
  readonly iam: Iam;
  private readonly secrets: Set<string>;
  private readonly key: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(dir: Directory, iam: Iam, secrets: Set<string>) {
    this.dir = dir;
    this.iam = iam;
    this.secrets = secrets;
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.key = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  /**
   * A new instance whose metadata service listens on a port of its own. Disabled, it never answers:
   * "Requests sent to any of the endpoint URLs will not receive a response" (IBM's VPC Metadata API reference).
   */
  async add(options: AddInstanceOptions, ctx: Omit<ServerContext, 'tls'>): Promise<{ instance: Instance; listening: Listening }> {
    const account = this.dir.accountOf(options.accountId ?? this.dir.accounts.main.id);
    const region = options.region ?? 'us-south';
    const zone = `${region}-1`;
    const id = `0${randomBytes(2).toString('hex').slice(0, 3)}_${randomUUID()}`;
    const crn = `crn:v1:bluemix:public:is:${zone}:a/${account.id}::instance:${id}`;
    const vpcId = `r006-${randomUUID()}`;
    const linked = (options.profiles ?? []).map((p) => this.profileOf(p));
    const defaultProfile = options.defaultProfile === undefined ? undefined : this.profileOf(options.defaultProfile);
    if (defaultProfile && options.autoLink !== false) linked.push(defaultProfile);
    for (const profile of new Set(linked)) profile.computeResources.push({ crType: 'VSI', crn });

    let host = '';
    const instance: Instance = {
      id,
      crn,
      name: options.name ?? `vsi-${randomBytes(3).toString('hex')}`,
      accountId: account.id,
      region,
      zone,
      vpcId,
      resourceGroup: account.resourceGroup,
      metadataUrl: '',
      versions: [...(options.versions ?? ['2022-03-01', '2025-08-26'])],
      ...(defaultProfile ? { defaultProfileId: defaultProfile.id } : {}),
      ...(options.identityTokenLifetime === undefined ? {} : { identityTokenLifetime: options.identityTokenLifetime }),
      ...(options.iamTokenLifetime === undefined ? {} : { iamTokenLifetime: options.iamTokenLifetime }),
      resource: {
        crType: 'VSI',
        accountId: account.id,
        claims: { resource: id, crn, region, zone, vpc_id: vpcId, resource_group_id: account.resourceGroup },
        identifier: crn,
      },
      setEnabled: (enabled) => listening.setReachability(enabled ? 'up' : 'silent'),
      setReachability: (mode) => listening.setReachability(mode),
    };
    const server = createServer(
      recordingListener(
        ctx,
        () => host,
        () => ({ target: 'metadata', handler: (req, res) => handleMetadata(req, res, instance, this) }),
      ),
    );
    const listening = await listenHttps(server, () => host, false);
    host = `127.0.0.1:${listening.port}`;
    instance.metadataUrl = `http://${host}`;
    if (options.enabled === false) await listening.setReachability('silent');
    return { instance, listening };
  }

  /** An instance identity token of this instance, claims shaped as IBM's docs show one. */
  signIdentityToken(instance: Instance, lifetime: number, nonce?: string): { token: string; iat: number; exp: number } {
    const iat = nowSeconds();
    const exp = iat + lifetime;
    const issuer = `VSI-CR_${instance.region}`;
    const token = signJwt(
      { kid: `${issuer}_emulator` },
      {
        aud: [issuer, randomUUID()],
        exp,
        iat,
        iss: issuer,
        iaas: {
          crn: instance.crn,
          accountID: instance.accountId,
          instanceID: instance.id,
          zone: instance.zone,
          region: instance.region,
          profile_name: 'bx2-2x8',
          resource_group_id: instance.resourceGroup,
        },
        vpc: { crn: `crn:v1:bluemix:public:is:${instance.region}:a/${instance.accountId}::vpc:${instance.vpcId}`, id: instance.vpcId },
        ...(nonce === undefined ? {} : { nonce }),
      },
      this.key,
    );
    this.secrets.add(token);
    return { token, iat, exp };
  }

  /** True for an unexpired identity token this emulator signed for this very instance. */
  verifyIdentityToken(instance: Instance, token: string): boolean {
    const iaas = verifyJwt(token, this.publicKey)?.iaas as { instanceID?: unknown } | undefined;
    return iaas?.instanceID === instance.id;
  }

  private profileOf(ref: ProfileRecord | string): ProfileRecord {
    const id = typeof ref === 'string' ? ref : ref.id;
    const profile = this.dir.profile(id);
    if (!profile) throw new Error(`addInstance: no trusted profile ${id}`);
    return profile;
  }
}
