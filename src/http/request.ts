// The one HTTP request of icr-login, for IAM, ICR's API and the registries: node:http(s), loaded on first
// use (TLS set-up is not needed to print a step's first line), through the proxy the caller's env names
// (proxy.ts), which Node's own proxy support reaches (an Agent's proxyEnv; CONNECT for https). Answers
// are small JSON bodies, read whole; one that passes MAX_ANSWER_BYTES is cut off and refused.
import type { Agent, IncomingMessage } from 'node:http';
import { firstLine, UserError } from '../lib/errors.ts';
import type { Env } from './proxy.ts';

export type { Env };

/** Far above any answer of IAM, ICR or a registry's token service (a few KB), far below what hurts a runner. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

export interface HttpAnswer {
  readonly status: number;
  /** A header's first value, by lower-case name. */
  header(name: string): string | undefined;
  readonly body: string;
}

/** What every request of a step shares: the env its proxy comes from, and its bound. */
export interface Network {
  readonly env: Env;
  readonly signal: AbortSignal;
}

export interface RequestOptions extends Network {
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Never through a proxy, whatever the env says: a service of the machine's own link (a VPC metadata service). */
  readonly direct?: boolean;
}

/** An answer larger than MAX_ANSWER_BYTES. A UserError: the next try would be as large. */
export class AnswerTooLarge extends UserError {
  constructor(host: string) {
    super(
      `The answer from ${host} passed 1 MiB, far more than any answer icr-login reads, so it stopped reading it; check that ${host} is the service meant and that no proxy or portal answers in its place.`,
    );
  }
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

// One agent per protocol and proxy, so the requests of a step to one host share a connection. Idle
// sockets of an agent do not keep the process alive.
const agents = new Map<string, Agent>();

async function agentFor(url: URL, env: Env, direct: boolean): Promise<Agent> {
  const https = url.protocol === 'https:';
  // The proxy rules are loaded only where the env names a proxy at all.
  const named = !direct && PROXY_VARIABLES.some((name) => (env[name] ?? '').trim() !== '');
  const rules = named ? await import('./proxy.ts') : undefined;
  const proxy = rules?.proxyFor(url, env);
  if (proxy && !rules!.nodeReachesProxies(process.versions.node)) {
    throw new UserError(
      `Node ${process.versions.node} cannot reach a proxy on its own; run icr-login on Node 22.21 or later (24.5 or later on Node 24), or unset ${https ? 'HTTPS_PROXY and ' : ''}HTTP_PROXY.`,
      'proxy',
    );
  }
  const key = `${url.protocol} ${proxy?.href ?? ''}`;
  let agent = agents.get(key);
  if (!agent) {
    const { Agent: Kind } = https ? await import('node:https') : await import('node:http');
    // An empty proxyEnv is a direct agent, whatever NODE_USE_ENV_PROXY says: proxy.ts alone decides.
    const proxyEnv = proxy ? { [https ? 'HTTPS_PROXY' : 'HTTP_PROXY']: proxy.href } : {};
    agents.set(key, (agent = new Kind({ keepAlive: true, timeout: 5_000, proxyEnv })));
  }
  return agent;
}

/** The body as text, or AnswerTooLarge once it passes the cap (the request is then stopped). */
async function readCapped(host: string, res: IncomingMessage, stop: () => void): Promise<string> {
  const chunks: Buffer[] = [];
  let size = Number(res.headers['content-length']) || 0;
  if (size <= MAX_ANSWER_BYTES) {
    size = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_ANSWER_BYTES) break;
      chunks.push(chunk);
    }
  }
  if (size > MAX_ANSWER_BYTES) {
    stop();
    throw new AnswerTooLarge(host);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function httpRequest(method: string, url: string, options: RequestOptions): Promise<HttpAnswer> {
  const target = new URL(url);
  const agent = await agentFor(target, options.env, options.direct ?? false);
  const { request: send } = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const length = options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) };
  const { req, res } = await new Promise<{ req: ReturnType<typeof send>; res: IncomingMessage }>((resolve, reject) => {
    const req = send(target, { method, headers: { ...options.headers, ...length }, signal: options.signal, agent }, (res) =>
      resolve({ req, res }),
    );
    req.on('error', reject);
    req.end(options.body);
  });
  const body = await readCapped(target.host, res, () => req.destroy());
  const headers = res.headers;
  return { status: res.statusCode ?? 0, header: (name) => [headers[name]].flat()[0], body };
}

/** What a request that got no answer saw, as a clause: `ECONNRESET (socket hang up)`, `no answer in time`. */
export function networkCause(error: unknown): string {
  const e = error as { code?: string; cause?: { code?: string; message?: string }; message?: string; name?: string };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return 'no answer in time';
  const code = e?.cause?.code ?? e?.code;
  const text = firstLine(e?.cause?.message ?? e?.message ?? String(error));
  return code && !text.includes(code) ? `${code} (${text})` : text || 'unknown network error';
}

/** A failed request as a clause: a sentence of ours (an answer too large) as it is, anything else as what it saw. */
export function requestFailure(error: unknown): string {
  return error instanceof UserError ? error.lines.join(' ').replace(/\.$/, '') : networkCause(error);
}
