// One HTTPS request that trusts the emulator's CA explicitly (no NODE_EXTRA_CA_CERTS needed), or one
// plain-HTTP request for an http:// URL (a metadata service; `ca` is then unused).
import { request as httpRequest } from 'node:http';
import { request } from 'node:https';

export interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpsRequestOptions {
  ca: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /** the name TLS asks for and checks the certificate against (a region served under a real name) */
  servername?: string;
}

export function httpsRequest(url: string, options: HttpsRequestOptions): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('http:') ? httpRequest : request)(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        ca: options.ca,
        ...(options.servername === undefined ? {} : { servername: options.servername }),
        agent: false,
        timeout: options.timeoutMs ?? 15_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

export const basic = (username: string, password: string): string => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
