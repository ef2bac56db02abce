// The one HTTP request of icr-login, for IAM, ICR's API and the registries: node:http(s), loaded on first
// use (TLS set-up is not needed to print a step's first line), through the proxy that the caller's env
// names (proxy.ts), which Node's own proxy support reaches (an Agent's proxyEnv: CONNECT for https).
// Answers are small JSON bodies, read whole; one that passes MAX_ANSWER_BYTES is cut off and refused.
import type { Agent } from 'node:http';
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

/** An answer larger than MAX_ANSWER_BYTES: not retried, as the next one would be as large. */
export class AnswerTooLarge extends UserError {
  constructor(host: string) {
    super(
      `The answer from ${host} passed 1 MiB, far more than any answer icr-login reads, so it stopped reading it; check that ${host} is the service meant and that no proxy or portal answers in its place.`,
    );
  }
}

// One agent per protocol and proxy, so requests of a step to the same host reuse their connection. An
// agent's idle sockets do not keep the process alive.
const agents = new Map<string, Agent>();

async function agentFor(url: URL, env: Env): Promise<Agent> {
  const proxy = proxyFor(url, env);
  if (proxy && !nodeReachesProxies(process.versions.node)) {
    throw new UserError(
      `Node ${process.versions.node} cannot reach a proxy by itself; run icr-login on Node 22.21 or later (24.5 or later on Node 24), or unset ${url.protocol === 'https:' ? 'HTTPS_PROXY and ' : ''}HTTP_PROXY.`,
      'proxy',
    );
  }
  const key = `${url.protocol} ${proxy?.href ?? ''}`;
  let agent = agents.get(key);
  if (!agent) {
    const https = url.protocol === 'https:';
    const { Agent: Kind } = https ? await import('node:https') : await import('node:http');
    // An empty proxyEnv is a direct agent whatever NODE_USE_ENV_PROXY says: proxy.ts alone decides.
    const proxyEnv = proxy ? { [https ? 'HTTPS_PROXY' : 'HTTP_PROXY']: proxy.href } : {};
    agent = new Kind({ keepAlive: true, timeout: 5_000, proxyEnv });
    agents.set(key, agent);
  }
  return agent;
}

export async function httpRequest(method: string, url: string, options: RequestOptions): Promise<HttpAnswer> {
  const target = new URL(url);
  const agent = await agentFor(target, options.env);
  const { request: send } = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const length = options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) };
  return new Promise((resolve, reject) => {
    const req = send(target, { method, headers: { ...options.headers, ...length }, signal: options.signal, agent }, (res) => {
      const tooLarge = (): void => {
        reject(new AnswerTooLarge(target.host));
        req.destroy();
      };
      if (Number(res.headers['content-length']) > MAX_ANSWER_BYTES) return tooLarge();
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) tooLarge();
        else chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => {
        const headers = res.headers;
        resolve({ status: res.statusCode ?? 0, header: (name) => [headers[name]].flat()[0], body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
