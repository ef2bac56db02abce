// A pod's IAM token, with no key at all (docs/icr.md#a-pod-in-a-cluster): its compute-resource token
// exchanged at IAM's token endpoint with the cr-token grant, for a trusted profile whose rule or link
// trusts the pod's cluster, namespace and service account.
import type { ProfileRef } from '../inputs/identity.ts';
import type { IamFailure, IamTokens } from './answer.ts';
import { requestToken, type ExchangeOptions } from './exchange.ts';
import { DEFAULT_TOKEN_FILES, readCrToken } from './token-file.ts';

export const CR_TOKEN_GRANT = 'urn:ibm:params:oauth:grant-type:cr-token';

export interface ContainerOptions extends ExchangeOptions {
  /** Hides the file's token the moment it is read. */
  readonly mask: (secret: string) => void;
}

/** The IAM token, and the file its compute-resource token came from. */
export interface ContainerTokens {
  readonly tokens: IamTokens;
  readonly path: string;
}

/** The grant's profile field: IBM's CLI SDK sends profile_crn, both other SDKs profile_id or profile_name. */
const FIELD = { id: 'profile_id', crn: 'profile_crn', name: 'profile_name' } as const;

/** IAM's details of a cr_token refusal name the identity it saw (cluster, namespace, service account, pod): worth showing, capped. */
const detailsOf = (f: IamFailure): string => (f.details && f.details !== f.detail ? ` ${f.details.slice(0, 300)}` : '');

export async function containerTokens(
  iamEndpoint: string,
  tokenFile: string | undefined,
  profile: ProfileRef,
  options: ContainerOptions,
): Promise<ContainerTokens> {
  const { path, token } = await readCrToken(tokenFile ? [tokenFile] : DEFAULT_TOKEN_FILES, tokenFile !== undefined, options.mask);
  // Whatever the code: IAM's numbers for these refusals are not all public, so status and shape decide.
  const refused = (f: IamFailure): string =>
    `IAM refused the compute-resource token from ${path} for trusted profile ${profile.value} (${f.code ? `${f.code}: ` : ''}${f.detail}${detailsOf(f)}); check that the profile has a compute-resource rule or link trusting this cluster, namespace and service account, and that the token has audience iam and lives an hour or less.`;
  const tokens = await requestToken(
    iamEndpoint,
    { grant_type: CR_TOKEN_GRANT, cr_token: token, [FIELD[profile.by]]: profile.value },
    options,
    refused,
  );
  return { tokens, path };
}
