// Kubernetes clusters as OIDC issuers IAM knows: each signs its projected service-account tokens with a
// key of its own (IKS registers every cluster's key with IAM), and IAM verifies a cr_token against the
// key of the cluster that issued it before it looks at any trusted profile.
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { AddClusterOptions, ClusterRecord, ServiceAccountTokenOptions } from './types.ts';
import type { ComputeResource } from './cr-rules.ts';
import type { Directory } from '../iam/identities.ts';
import { signJwt, verifyJwt } from '../net/jwt.ts';
import { nowSeconds } from '../net/http-util.ts';

/** IKS: "To retrieve IAM tokens, the service account token expiration must be 1 hour or less." */
export const MAX_CR_TOKEN_LIFETIME = 3600;

/** Why IAM will not take a cr_token, before any profile is considered. */
export type CrTokenFault = 'invalid' | 'expired' | 'audience' | 'lifetime';

interface Cluster extends ClusterRecord {
  kid: string;
  publicKey: KeyObject;
}

const SA_SUBJECT = /^system:serviceaccount:([^:]+):([^:]+)$/;

export class Clusters {
  private readonly dir: Directory;
  private readonly secrets: Set<string>;
  private readonly byKid = new Map<string, Cluster>();

  constructor(dir: Directory, secrets: Set<string>) {
    this.dir = dir;
    this.secrets = secrets;
  }

  add(options: AddClusterOptions = {}): ClusterRecord {
    const account = this.dir.accountOf(options.accountId ?? this.dir.accounts.main.id);
    const region = options.region ?? 'us-south';
    // IKS cluster IDs are 20 characters of lowercase letters and digits, starting with a letter.
    const id = `c${randomBytes(12).toString('hex').slice(0, 19)}`;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // Kubernetes derives a key's `kid` from the SHA-256 of its public key.
    const kid = createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest('base64url');
    const cluster: Cluster = {
      id,
      crn: `crn:v1:bluemix:public:containers-kubernetes:${region}:a/${account.id}:${id}::`,
      name: options.name ?? `cluster-${randomBytes(3).toString('hex')}`,
      kind: options.kind ?? 'iks',
      accountId: account.id,
      region,
      resourceGroup: options.resourceGroup ?? account.resourceGroup,
      // Stand-in: the issuer URL of an IKS cluster's service-account tokens is not public.
      issuer: `https://${id}.${region}.containers.cloud.ibm.com`,
      kid,
      publicKey,
      serviceAccountToken: (opts) => this.sign(cluster, privateKey, opts),
    };
    this.byKid.set(kid, cluster);
    return cluster;
  }

  private sign(cluster: Cluster, key: KeyObject, opts: ServiceAccountTokenOptions): string {
    const iat = nowSeconds();
    const pod = opts.pod ?? `${opts.name}-${randomBytes(3).toString('hex')}`;
    const audience = opts.audience ?? 'iam';
    const token = signJwt(
      { kid: cluster.kid },
      {
        aud: Array.isArray(audience) ? audience : [audience],
        exp: iat + (opts.expiresIn ?? 3600),
        iat,
        nbf: iat,
        iss: cluster.issuer,
        jti: randomUUID(),
        'kubernetes.io': {
          namespace: opts.namespace,
          pod: { name: pod, uid: randomUUID() },
          serviceaccount: { name: opts.name, uid: randomUUID() },
        },
        sub: `system:serviceaccount:${opts.namespace}:${opts.name}`,
      },
      key,
    );
    this.secrets.add(token);
    return token;
  }

  /** The service account a cr_token stands for, or why IAM refuses the token itself. */
  verify(token: string): ComputeResource | CrTokenFault {
    const cluster = this.byKid.get(String(headerOf(token).kid ?? ''));
    // Signature only here (a `now` of 0 passes any exp): expiry is answered apart.
    const payload = cluster ? verifyJwt(token, cluster.publicKey, 0) : undefined;
    if (!cluster || !payload || payload.iss !== cluster.issuer) return 'invalid';
    const subject = SA_SUBJECT.exec(String(payload.sub ?? ''));
    const pod = (payload['kubernetes.io'] as { pod?: { name?: unknown } } | undefined)?.pod?.name;
    const exp = Number(payload.exp);
    const iat = Number(payload.iat);
    if (!subject || !Number.isFinite(exp) || !Number.isFinite(iat)) return 'invalid';
    if (exp <= nowSeconds()) return 'expired';
    if (Number(payload.nbf ?? iat) > nowSeconds() + 60) return 'invalid';
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!aud.includes('iam')) return 'audience';
    if (exp - iat > MAX_CR_TOKEN_LIFETIME) return 'lifetime';
    const [, namespace = '', name = ''] = subject;
    return {
      crType: cluster.kind === 'roks' ? 'ROKS_SA' : 'IKS_SA',
      accountId: cluster.accountId,
      claims: {
        service_instance: cluster.id,
        crn: cluster.crn,
        namespace,
        name,
        pod: typeof pod === 'string' ? pod : '',
        location: cluster.region,
        resource_group_id: cluster.resourceGroup,
      },
      identifier: `${cluster.name}:${namespace}:${name}:${typeof pod === 'string' ? pod : ''}`,
    };
  }
}

function headerOf(token: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
