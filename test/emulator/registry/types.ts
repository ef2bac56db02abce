// Public types of the emulated regions: namespaces, quotas, a region's host (re-exported by index.ts).

export interface NamespaceRecord {
  name: string;
  region: string;
  accountId: string;
  resourceGroup: string;
  createdAt: string;
}

export interface AddNamespaceOptions {
  /** default: the main account */
  accountId?: string;
  /** default: that account's default resource group */
  resourceGroup?: string;
}

/** Bytes; -1 is unlimited, as ICR answers it. */
export interface QuotaFigures {
  storage_bytes: number;
  traffic_bytes: number;
}

export interface Quota {
  limit: QuotaFigures;
  usage: QuotaFigures;
}

export interface RegionInfo {
  /** IBM Cloud region ID, e.g. us-south */
  name: string;
  /** what clients call this region's registry, token service and /api/v1: 127.0.0.1:PORT, or its real name (domains) */
  host: string;
  /** 127.0.0.1:PORT, where it listens */
  address: string;
}
