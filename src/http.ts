// HTTP for the IAM exchange. Node's built-in fetch (undici inside Node) serves the common case at no
// load cost; with a proxy configured, the undici package's EnvHttpProxyAgent is loaded lazily, since
// its HTTP parsers alone would triple the bundle and the start-up time of every step.
export function proxyConfigured(env: NodeJS.ProcessEnv): boolean {
  return ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => (env[name] ?? '').trim() !== '');
}

export async function httpFetch(url: string, init: RequestInit, env: NodeJS.ProcessEnv = process.env): Promise<Response> {
  if (!proxyConfigured(env)) return fetch(url, init);
  const { proxyFetch } = await import('./proxy-fetch.ts');
  return proxyFetch(url, init);
}
