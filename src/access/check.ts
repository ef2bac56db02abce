// The access check of every host × image (an image that names its host: that host alone), alongside
// the logins: namespaces created first when asked, quotas read, then each repository probed, retried
// on transient errors within the step's timeout.
import type { Credential } from '../iam/credential.ts';
import { ENTITLED_USERNAME } from '../inputs/entitled.ts';
import type { AccessKind, Image } from '../inputs/images.ts';
import { requestFailure, type Env, type Network } from '../http/request.ts';
import { UserError } from '../lib/errors.ts';
import { CLIENT_RETRY } from '../lib/limits.ts';
import { final, transient, withRetries } from '../lib/retry.ts';
import { msToSeconds } from '../lib/time.ts';
import { createNamespace, listNamespaces, readQuota, type IamSession, type Quota } from './icr-api.ts';
import {
  createdLine,
  createFailedLine,
  denialLine,
  entitledDenialLine,
  heldLine,
  noManagerLine,
  quotaWarnings,
  refusedLine,
  unprovenLine,
} from './messages.ts';
import { probe, type Probe } from './registry.ts';

export interface AccessRequest {
  readonly hosts: readonly string[];
  /** Where an image without a host is checked: ICR's hosts (never the entitled registry, which holds no namespace of ours). */
  readonly everywhere: readonly string[];
  readonly images: readonly Image[];
  readonly access: AccessKind;
  readonly createNamespace: boolean;
  /** The credential each host's clients were given. */
  readonly credentialOf: (host: string) => Credential;
  /** For ICR's API on a host; undefined when IAM gave no access token, or the host is no ICR registry (the entitled registry): then only the registry is asked. */
  readonly iamOf: (host: string) => IamSession | undefined;
  readonly timeoutMs: number;
  /** The step's environment, where the proxy settings come from. */
  readonly env: Env;
  readonly log: { info(m: string): void; warning(m: string, title?: string): void; debug(m: string): void; mask(secret: string): void };
}

export interface CheckRow {
  readonly host: string;
  readonly image: Image;
  readonly ok: boolean;
  /** What the check found, for the summary (`can push`, `denied`, `created, can push`). */
  readonly found: string;
  /** The line that fails the step, when not ok. */
  readonly line: string | undefined;
}

export interface AccessReport {
  readonly rows: readonly CheckRow[];
  readonly quotas: ReadonlyMap<string, Quota>;
}

const network = (r: AccessRequest, signal: AbortSignal): Network => ({ env: r.env, signal });

/** One probe, retried as logins are: transient answers and network errors, while time is left. */
function probeWithRetries(host: string, image: Image, r: AccessRequest, signal: AbortSignal, deadline: number): Promise<Probe> {
  return withRetries(
    {
      policy: CLIENT_RETRY,
      deadline,
      signal,
      onRetry: (p) => r.log.debug(`Access check of ${host}/${image.repository}: ${p.detail}. Trying again.`),
    },
    async () => {
      try {
        const p = await probe(host, image.repository, r.access, r.credentialOf(host), network(r, signal), (s) => r.log.mask(s));
        return p.kind === 'retry' ? transient(p) : final(p);
      } catch (error) {
        // An answer too large (or any other UserError) would be as large again: not retried.
        if (error instanceof UserError) return final<Probe>({ kind: 'broken', detail: error.message.replace(/\.$/, '') });
        if (!signal.aborted) return transient<Probe>({ kind: 'retry', detail: requestFailure(error) });
        const late = `no answer within ${msToSeconds(r.timeoutMs)} s; check that the runner reaches ${host}, or raise input timeout`;
        return final<Probe>({ kind: 'broken', detail: late });
      }
    },
  );
}

/** The region's quota, warned about at 90 %; a key that may not read it gets only a debug line. */
async function checkQuota(host: string, r: AccessRequest, iam: IamSession, signal: AbortSignal): Promise<Quota | undefined> {
  const q = await readQuota(host, iam, network(r, signal)).catch((e: unknown) => requestFailure(e));
  if (typeof q === 'string') {
    r.log.debug(`ICR did not show the quota of ${host} to this key (${q}); no quota check there.`);
    return undefined;
  }
  for (const w of quotaWarnings(host, q)) r.log.warning(w, 'quota');
  return q;
}

async function checkHost(host: string, r: AccessRequest, signal: AbortSignal, deadline: number): Promise<CheckRow[]> {
  const iam = r.iamOf(host);
  // An image that names its host is checked there only; one without, on every host.
  const images = r.images.filter((i) => (i.host === undefined ? r.everywhere.includes(host) : i.host === host));
  // Namespaces first, so the check that follows sees them.
  const refused = new Map<string, string>();
  const created = new Set<string>();
  if (r.createNamespace && iam) {
    for (const ns of new Set(images.map((i) => i.namespace))) {
      const c = await createNamespace(host, ns, iam, network(r, signal)).catch((e: unknown) => ({
        kind: 'failed' as const,
        detail: requestFailure(e),
      }));
      if (c.kind === 'created') {
        created.add(ns);
        r.log.info(createdLine(host, ns));
      } else if (c.kind === 'held') refused.set(ns, heldLine(host, ns));
      else if (c.kind === 'no-manager') refused.set(ns, noManagerLine(host, ns, c.detail));
      else if (c.kind === 'failed') refused.set(ns, createFailedLine(host, ns, c.detail));
    }
  }
  let visible: Promise<string[] | undefined> | undefined;
  const rows = images.map(async (image): Promise<CheckRow> => {
    const p = await probeWithRetries(host, image, r, signal, deadline);
    const prefix = created.has(image.namespace) ? 'created, ' : '';
    if (p.kind === 'ok') return { host, image, ok: true, found: `${prefix}${p.detail}`, line: undefined };
    const before = refused.get(image.namespace);
    if (before) return { host, image, ok: false, found: 'no namespace', line: before };
    // The same line for every image of the host, so the step reports it once.
    if (p.kind === 'refused')
      return { host, image, ok: false, found: 'credentials refused', line: refusedLine(host, r.credentialOf(host).username, p.detail) };
    if (p.kind === 'unproven') return { host, image, ok: false, found: 'not shown', line: unprovenLine(host, image, r.access, p.detail) };
    if (p.kind !== 'denied') {
      return { host, image, ok: false, found: 'not checked', line: `The access check of ${host}/${image.repository} failed: ${p.detail}.` };
    }
    if (r.credentialOf(host).username === ENTITLED_USERNAME) {
      return { host, image, ok: false, found: 'not entitled', line: entitledDenialLine(host, image, p.detail) };
    }
    // Which of the two it is, when ICR's API lets the key see its namespaces.
    visible ??= iam ? listNamespaces(host, iam, network(r, signal)).catch(() => undefined) : Promise.resolve(undefined);
    const seen = await visible;
    const reason = seen === undefined ? 'either' : seen.includes(image.namespace) ? 'no-role' : 'missing';
    return {
      host,
      image,
      ok: false,
      found: reason === 'missing' ? 'no namespace' : `denied`,
      line: denialLine(host, image, r.access, reason, p.detail),
    };
  });
  return Promise.all(rows);
}

export async function checkAccess(r: AccessRequest): Promise<AccessReport> {
  const deadline = Date.now() + r.timeoutMs;
  const signal = AbortSignal.timeout(r.timeoutMs);
  const quotas = new Map<string, Quota>();
  const reads = r.hosts.map(async (h) => {
    const iam = r.iamOf(h);
    const q = iam ? await checkQuota(h, r, iam, signal) : undefined;
    if (q) quotas.set(h, q);
  });
  const perHost = await Promise.all(r.hosts.map((host) => checkHost(host, r, signal, deadline)));
  await Promise.all(reads);
  return { rows: perHost.flat(), quotas };
}
