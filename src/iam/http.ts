// HTTP for IAM and the access check: one request, its answer read whole (small JSON bodies). Plain
// node:https serves the common case: Node's fetch loads its own bundled undici on first use, which
// costs a fresh step about 70 ms, while node:https is already part of Node. With a proxy configured,
// the undici package's EnvHttpProxyAgent (HTTPS_PROXY/HTTP_PROXY/NO_PROXY, either case) is loaded
// lazily, as its own bundle (proxy-post.ts).

export interface HttpAnswer {
  readonly status: number;
  /** A header's first value, by lower-case name. */
  header(name: string): string | undefined;
  readonly body: string;
}

export interface RequestOptions {
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly signal: AbortSignal;
}

export type RawHeaders = Record<string, string | string[] | undefined>;

export function proxyConfigured(env: NodeJS.ProcessEnv): boolean {
  return ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => (env[name] ?? '').trim() !== '');
}

/** An answer whose headers may come more than once: the first value of each. */
export function httpAnswer(status: number, headers: RawHeaders, body: string): HttpAnswer {
  return { status, header: (name) => [headers[name]].flat()[0], body };
}

async function direct(method: string, url: string, options: RequestOptions): Promise<HttpAnswer> {
  // Loaded on first use: TLS set-up is not needed to print the first line of a step.
  const { request: send } = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  const length = options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) };
  return new Promise((resolve, reject) => {
    const req = send(url, { method, headers: { ...options.headers, ...length }, signal: options.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve(httpAnswer(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export async function httpRequest(method: string, url: string, options: RequestOptions): Promise<HttpAnswer> {
  if (!proxyConfigured(process.env)) return direct(method, url, options);
  const { proxyRequest } = await import('./proxy-post.ts');
  return proxyRequest(method, url, options);
}
