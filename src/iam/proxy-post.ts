// A POST through HTTPS_PROXY/HTTP_PROXY, honouring NO_PROXY (either case). Bundled on its own
// (dist/proxy.js) and loaded only when a proxy is configured.
import { EnvHttpProxyAgent, request } from 'undici';
import { first, type HttpAnswer, type PostOptions } from './http.ts';

let agent: EnvHttpProxyAgent | undefined;

export async function proxyPost(url: string, options: PostOptions): Promise<HttpAnswer> {
  agent ??= new EnvHttpProxyAgent();
  const res = await request(url, {
    method: 'POST',
    headers: options.headers,
    body: options.body,
    signal: options.signal,
    dispatcher: agent,
  });
  return {
    status: res.statusCode,
    contentType: first(res.headers['content-type']) ?? '',
    retryAfter: first(res.headers['retry-after']),
    body: await res.body.text(),
  };
}

/** Any method through the proxy, for the access check (src/access/http.ts): status, headers, body. */
export async function proxyRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  agent ??= new EnvHttpProxyAgent();
  const res = await request(url, { method: method as 'GET', headers, signal, dispatcher: agent });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}
