// A request through the proxy proxy.ts chose, by undici's ProxyAgent (CONNECT for https). Bundled on
// its own (dist/proxy.js) and loaded only when a request goes through a proxy.
import { ProxyAgent, request } from 'undici';
import type { Arriving, RequestOptions } from './request.ts';

const agents = new Map<string, ProxyAgent>();

export async function viaProxy(method: string, url: URL, proxy: URL, options: RequestOptions): Promise<Arriving> {
  let agent = agents.get(proxy.href);
  if (!agent) agents.set(proxy.href, (agent = new ProxyAgent(proxy.href)));
  const { headers, body } = options;
  const res = await request(url, { method: method as 'GET', headers, body, signal: options.signal, dispatcher: agent });
  return { status: res.statusCode, headers: res.headers, body: res.body, stop: () => res.body.destroy() };
}
