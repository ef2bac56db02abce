// HTTP for the IAM exchange: one POST, its answer read whole. Plain node:https serves the common case:
// Node's fetch loads its own bundled undici on first use, which costs a fresh step about 70 ms, while
// node:https is already part of Node. With a proxy configured, the undici package's EnvHttpProxyAgent
// (HTTPS_PROXY/HTTP_PROXY/NO_PROXY, either case) is loaded lazily, as its own bundle.

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly retryAfter: string | undefined;
  readonly body: string;
}

export interface PostOptions {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly signal: AbortSignal;
}

export function proxyConfigured(env: NodeJS.ProcessEnv): boolean {
  return ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => (env[name] ?? '').trim() !== '');
}

/** The first value of a header that may come more than once. */
export const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

async function directPost(url: string, options: PostOptions): Promise<HttpAnswer> {
  // Loaded on first use: TLS set-up is not needed to print the first line of a step.
  const { request: send } = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: 'POST', headers: { ...options.headers, 'content-length': Buffer.byteLength(options.body) }, signal: options.signal },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: first(res.headers['content-type']) ?? '',
            retryAfter: first(res.headers['retry-after']),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export async function httpPost(url: string, options: PostOptions): Promise<HttpAnswer> {
  if (!proxyConfigured(process.env)) return directPost(url, options);
  const { proxyPost } = await import('./proxy-post.ts');
  return proxyPost(url, options);
}
