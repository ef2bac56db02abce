// A request through HTTPS_PROXY/HTTP_PROXY, honouring NO_PROXY (either case). Bundled on its own
// (dist/proxy.js) and loaded only when a proxy is configured.
import { EnvHttpProxyAgent, request } from 'undici';
import { httpAnswer, type HttpAnswer, type RequestOptions } from './http.ts';

let agent: EnvHttpProxyAgent | undefined;

export async function proxyRequest(method: string, url: string, options: RequestOptions): Promise<HttpAnswer> {
  agent ??= new EnvHttpProxyAgent();
  const res = await request(url, {
    method: method as 'GET',
    headers: options.headers,
    body: options.body,
    signal: options.signal,
    dispatcher: agent,
  });
  return httpAnswer(res.statusCode, res.headers, await res.body.text());
}
