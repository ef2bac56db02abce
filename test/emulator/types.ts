// Public types of the ICR/IAM emulator (re-exported by index.ts).

export interface ApiKeyRecord {
  key: string;
  iamId: string;
  accountId: string;
  kind: 'user' | 'serviceid';
  name: string;
}

export interface EmulatorOptions {
  /** default true: run a real `docker-registry serve` behind the hosts; false = answer /v2/ ourselves */
  registry?: boolean;
  /** default 1: how many registry hosts (each its own HTTPS port, all fronting the same registry) */
  hostCount?: number;
  /** default false: IAM answers "refresh_token":"not_supported" like real IAM; true = issue real ones */
  refreshTokens?: boolean;
  /** access token lifetime in seconds, default 3600 */
  tokenLifetime?: number;
  /** work dir (certs, registry storage, config); default a fresh mkdtemp, removed by stop() */
  dir?: string;
}

export interface Fault {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
  /** destroy the socket without answering */
  reset?: boolean;
}

/** 'api' (the /api/v1/... registry API) is an extension beyond iam/token/v2. */
export type FaultTarget = 'iam' | 'token' | 'v2' | 'api';

export interface RequestRecord {
  server: 'iam' | 'registry';
  host: string;
  method: string;
  path: string;
  username?: string;
  /** HTTP status answered; 0 when the socket was reset or closed before an answer */
  status: number;
}

export interface Emulator {
  hosts: string[];
  host: string;
  iamUrl: string;
  caFile: string;
  keys: { user: ApiKeyRecord; service: ApiKeyRecord; reader?: ApiKeyRecord };
  profileId: string;
  unknownKey: string;
  requests: RequestRecord[];
  /** extension: PID of the docker-registry process (registry: true), so tests can prove stop() ended it */
  registryPid?: number;
  /** extension: docker-registry's log file (registry: true), for debugging failed pushes */
  registryLog?: string;
  secrets(): string[];
  inject(target: FaultTarget, ...faults: Fault[]): void;
  /** Drops faults no request consumed, so one test's leftovers cannot reach the next. */
  clearFaults(): void;
  trust(home: string): Promise<void>;
  stop(): Promise<void>;
}
