// What the access check says: one line per denial with its fix, quota warnings with figures. Pure.
import type { AccessKind, Image } from '../inputs/images.ts';
import { ENTITLED_USERNAME } from '../inputs/entitled.ts';
import { REGIONS } from '../inputs/regions.ts';
import type { Quota } from './icr-api.ts';

/** The IBM Cloud region id of a registry host (`us-south`), or undefined for a host we do not know. */
export function regionOf(host: string): string | undefined {
  const name = host.toLowerCase();
  const r = REGIONS.find((x) => x.domain === name || x.privateDomain === name);
  return r ? (r.alias ?? r.name) : undefined;
}

const where = (host: string): string => {
  const region = regionOf(host);
  return region ? `region ${region} (${host})` : `the region of ${host}`;
};

export const roleFor = (access: AccessKind): 'Writer' | 'Reader' => (access === 'push' ? 'Writer' : 'Reader');

/** Why a check was denied: no role, no namespace, or either (when ICR's API would not tell). */
export type DenialReason = 'no-role' | 'missing' | 'either';

export function addNamespaceCommand(host: string, namespace: string): string {
  return `ibmcloud cr region-set ${regionOf(host) ?? '<region>'} && ibmcloud cr namespace-add ${namespace}`;
}

/** Where a policy applies: a region, or for the global registry the geography (global is no region: docs/icr.md#the-access-check). */
function policyScope(host: string): string {
  const region = regionOf(host);
  return region === 'global' ? '--attributes "geography=global"' : `--region ${region ?? '<region>'}`;
}

export function policyCommand(host: string, namespace: string, access: AccessKind): string {
  return `ibmcloud iam service-policy-create <service ID> --roles ${roleFor(access)} --service-name container-registry ${policyScope(host)} --resource-type namespace --resource ${namespace} (user-policy-create for a user, trusted-profile-policy-create for a profile)`;
}

/** The cause no answer tells apart from a missing role: an IP or network rule on the account (docs/icr.md#the-access-check). */
const RESTRICTION =
  "or a context-based restriction on the account (an IP or network rule) refuses this runner's address, as it often does for GitHub-hosted runners: allow the runner's addresses in the rule, or run on a self-hosted runner it allows";

export function denialLine(host: string, image: Image, access: AccessKind, reason: DenialReason, registry: string): string {
  const what = `${access === 'push' ? 'Push to' : 'Pull from'} ${host}/${image.repository} was denied (${registry})`;
  const role = `the key needs the ${roleFor(access)} role on namespace ${image.namespace} in ${where(host)}`;
  const grant = `grant it with: ${policyCommand(host, image.namespace, access)}`;
  const create = `create it with: ${addNamespaceCommand(host, image.namespace)}, or set input create-namespace: true`;
  if (reason === 'no-role') return `${what}: ${role}; ${grant}; ${RESTRICTION}.`;
  if (reason === 'missing') return `${what}: namespace ${image.namespace} does not exist in ${where(host)} for this account; ${create}.`;
  return `${what}: ${role}, or namespace ${image.namespace} does not exist there; ${grant}; or ${create}; ${RESTRICTION}.`;
}

/** The entitled registry would not let the entitlement key pull an image: not entitled to it, or the key no longer is. */
export function entitledDenialLine(host: string, image: Image, registry: string): string {
  return `Pull from ${host}/${image.repository} was denied (${registry}): the entitlement key is not entitled to this image, or no longer is; check the key's entitlements in My IBM (Container software library), or remove the image from images.`;
}

/** The token service refused the credentials themselves: one line for the host, whatever the images. */
export function refusedLine(host: string, username: string, registry: string): string {
  const fix =
    username === ENTITLED_USERNAME
      ? 'check that the entitlement-key secret holds a current entitlement key (My IBM, Container software library)'
      : 'check that the api-key secret holds an enabled API key of the account that owns this registry (with trusted-profile, that the profile trusts its service ID)';
  return `${host} refused the credentials the clients were given (username ${username}; ${registry}), as ICR answers a username and password it does not accept; ${fix}.`;
}

/** The registry answered in a way that proves nothing: what it said, and that the check fails. */
export function unprovenLine(host: string, image: Image, access: AccessKind, detail: string): string {
  const what = access === 'push' ? `Push to ${host}/${image.repository}` : `Pull from ${host}/${image.repository}`;
  return `${what} could not be shown to be allowed: ${detail}; check that namespace ${image.namespace} exists in ${where(host)} (ibmcloud cr namespace-list), and try again later if it does.`;
}

export function createdLine(host: string, namespace: string): string {
  return `Created namespace ${namespace} in ${where(host)}.`;
}

export function heldLine(host: string, namespace: string): string {
  return `Namespace ${namespace} in ${where(host)} belongs to another IBM Cloud account (namespace names are unique per region); choose another namespace in images, or use a key of that account.`;
}

export function noManagerLine(host: string, namespace: string, detail: string): string {
  return `Could not create namespace ${namespace} in ${where(host)} (${detail}): creating a namespace needs the Manager role on Container Registry in that region; create it once with: ${addNamespaceCommand(host, namespace)}, or grant Manager.`;
}

export function createFailedLine(host: string, namespace: string, detail: string): string {
  return `Could not create namespace ${namespace} in ${where(host)} (${detail}); create it with: ${addNamespaceCommand(host, namespace)}.`;
}

const size = (n: number): string => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) [v, i] = [v / 1000, i + 1];
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
};

/** Use in percent of a limit; undefined when unlimited or unknown. */
export function percent(used: number, limit: number): number | undefined {
  return limit > 0 && used >= 0 ? Math.round((used / limit) * 1000) / 10 : undefined;
}

export const QUOTA_WARN_PERCENT = 90;

/** Warnings for storage and pull traffic at 90 % or more of their quota. */
export function quotaWarnings(host: string, q: Quota): string[] {
  const lines: string[] = [];
  const storage = percent(q.usage.storage, q.limit.storage);
  if (storage !== undefined && storage >= QUOTA_WARN_PERCENT) {
    lines.push(
      `The account has used ${storage} % of its storage quota in ${where(host)} (${size(q.usage.storage)} of ${size(q.limit.storage)}); a push may fail once it is full: remove images (ibmcloud cr image-rm, image-prune-untagged) or raise the quota (ibmcloud cr quota-set --storage).`,
    );
  }
  const traffic = percent(q.usage.traffic, q.limit.traffic);
  if (traffic !== undefined && traffic >= QUOTA_WARN_PERCENT) {
    lines.push(
      `The account has used ${traffic} % of its pull traffic quota this month in ${where(host)} (${size(q.usage.traffic)} of ${size(q.limit.traffic)}); pulls fail once it is used up: raise it with ibmcloud cr quota-set --traffic.`,
    );
  }
  return lines;
}

/** `storage 95 %, traffic 3 %`, for the summary; unlimited figures are left out. */
export function quotaCell(q: Quota | undefined): string {
  if (!q) return 'unknown';
  const parts = [
    ['storage', percent(q.usage.storage, q.limit.storage)],
    ['pull traffic', percent(q.usage.traffic, q.limit.traffic)],
  ].map(([what, p]) => (p === undefined ? `${what} unlimited` : `${what} ${p} %`));
  return parts.join(', ');
}
