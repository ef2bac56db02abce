// fetch through HTTPS_PROXY/HTTP_PROXY, honouring NO_PROXY (either case). Bundled on its own, loaded only when needed.
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';

let agent: EnvHttpProxyAgent | undefined;

export async function proxyFetch(url: string, init: RequestInit): Promise<Response> {
  agent ??= new EnvHttpProxyAgent();
  // undici's own Response type differs from the DOM one only in typing.
  return (await undiciFetch(url, { ...(init as object), dispatcher: agent })) as unknown as Response;
}
