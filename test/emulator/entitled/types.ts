// Public types of IBM's entitled registry (re-exported by index.ts).
import type { IcrBehaviour } from '../token-service/types.ts';

export interface EntitledOptions {
  /** pushed at start, e.g. `cp/ibm-mq/mq:9`; default ENTITLED_IMAGES (registry.ts) */
  images?: string[];
  /** default 'unquoted' (to callers that are none of the four clients), as cp.icr.io answers */
  challenge?: IcrBehaviour['challenge'];
  /** default 401 */
  badCredentials?: IcrBehaviour['badCredentials'];
}

export interface EntitlementKeyOptions {
  /** repository prefixes the key is entitled to, e.g. `cp/ibm-mq/`; default every image (`cp/`) */
  entitles?: string[];
}

export interface EntitledImage {
  /** `cp/ibm-mq/mq` */
  repository: string;
  tag: string;
  /** the manifest digest, as a pull reads it */
  digest: string;
}

/** IBM's entitled registry (cp.icr.io): username `cp`, an entitlement key, no IAM, pull only. */
export interface EntitledRegistry {
  /** the public host it stands for */
  name: string;
  /** 127.0.0.1:PORT */
  host: string;
  username: 'cp';
  /** an entitlement key entitled to every image */
  key: string;
  images: EntitledImage[];
  addKey(options?: EntitlementKeyOptions): string;
  /** the key no longer logs in or pulls */
  revokeKey(key: string): void;
  registryPid?: number;
  registryLog?: string;
}
