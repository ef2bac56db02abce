// The one HTTP request of icr-login, for IAM, ICR's API and the registries: node:http(s), loaded on first
// use (TLS set-up is not needed to print a step's first line), through the proxy that the caller's env
// names (proxy.ts), which Node's own proxy support reaches (an Agent's proxyEnv: CONNECT for https).
// Answers are small JSON bodies, read whole; one that passes MAX_ANSWER_BYTES is cut off and refused.
import type { Agent, IncomingHttpHeaders } from 'node:http';
import { UserError } from '../lib/errors.ts';
import { nodeReachesProxies, proxyFor, type Env } from './proxy.ts';

export type { Env };

/** Far above any answer of IAM, ICR or a registry token service (a few KB), far below what hurts a runner. */
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
}

/** An answer as it arrives: its body still to read, and how to stop it. */
export interface Arriving {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: AsyncIterable<Buffer>;
  stop(): void;
}

/** An answer larger than MAX_ANSWER_BYTES: not retried, as the next one would be as large. */
export class AnswerTooLarge extends UserError {
  constructor(host: string) {
    super(
      `The answer from ${host} passed 1 MiB, far more than any answer icr-login reads, so it stopped reading it; check that ${host} is the service meant and that no proxy or portal answers in its place.`,
    );
  }
}

// One agent per protocol, so requests of a step to the same host reuse their connection. An agent's
// idle sockets do not keep the process alive.
const agents = new Map<string, Agent>();

async function direct(method: string, url: URL, options: RequestOptions): Promise<Arriving> {
  const https = url.protocol === 'https:';
  const { Agent: Kind, request: send } = https ? await import('node:https') : await import('node:http');
  let agent = agents.get(url.protocol);
  // An empty proxyEnv is a direct agent whatever NODE_USE_ENV_PROXY says: proxy.ts alone decides.
  if (!agent) agents.set(url.protocol, (agent = new Kind({ keepAlive: true, timeout: 5_000, proxyEnv: {} })));
  const length = options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) };
  return new Promise((resolve, reject) => {
    const req = send(url, { method, headers: { ...options.headers, ...length }, signal: options.signal, agent }, (res) =>
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, stop: () => req.destroy() }),
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

async function read(host: string, answer: Arriving): Promise<HttpAnswer> {
  const chunks: Buffer[] = [];
  let size = Number(answer.headers['content-length']) || 0;
  if (size <= MAX_ANSWER_BYTES) {
    size = 0;
    for await (const chunk of answer.body) {
      size += chunk.length;
      if (size > MAX_ANSWER_BYTES) break;
      chunks.push(chunk);
    }
  }
  if (size > MAX_ANSWER_BYTES) {
    answer.stop();
    throw new AnswerTooLarge(host);
  }
  const headers = answer.headers;
  return { status: answer.status, header: (name) => [headers[name]].flat()[0], body: Buffer.concat(chunks).toString('utf8') };
}

export async function httpRequest(method: string, url: string, options: RequestOptions): Promise<HttpAnswer> {
  const target = new URL(url);
  const proxy = proxyFor(target, options.env);
  if (!proxy) return read(target.host, await direct(method, target, options));
  const { viaProxy } = await import('./undici-proxy.ts');
  return read(target.host, await viaProxy(method, target, proxy, options));
}
