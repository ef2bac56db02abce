// HTTP for the access check: one request, its answer read whole (bodies here are small JSON). node:https
// as src/iam/http.ts uses it (the emulator's CA comes through NODE_EXTRA_CA_CERTS, as any CA would);
// with a proxy configured, the proxy bundle that IAM's exchange loads.
import { first, proxyConfigured } from '../iam/http.ts';

export interface Answer {
  readonly status: number;
  /** A header's first value, by lower-case name. */
  header(name: string): string | undefined;
  readonly body: string;
}

export interface RequestOptions {
  readonly headers: Record<string, string>;
  readonly signal: AbortSignal;
}

type Headers = Record<string, string | string[] | undefined>;
const answer = (status: number, headers: Headers, body: string): Answer => ({
  status,
  header: (name) => first(headers[name]),
  body,
});

async function direct(method: string, url: string, options: RequestOptions): Promise<Answer> {
  const { request: send } = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const req = send(url, { method, headers: options.headers, signal: options.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve(answer(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function httpRequest(method: string, url: string, options: RequestOptions): Promise<Answer> {
  if (!proxyConfigured(process.env)) return direct(method, url, options);
  const { proxyRequest } = await import('../iam/proxy-post.ts');
  const res = await proxyRequest(url, method, options.headers, options.signal);
  return answer(res.status, res.headers, res.body);
}
