// A region served under a real registry name (`domains`): its host is the name everywhere (hosts,
// challenges, records, trust), its certificate names it alone, and it listens on 127.0.0.1 for a
// proxy to map the name to; regions without a name keep their address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { startEmulator } from '../index.ts';
import type { Emulator } from '../index.ts';
import { basic, httpsRequest } from '../net/https-request.ts';
import { clientFor, headerOf, tempDir } from '../testing/test-client.ts';
import type { Client } from '../testing/test-client.ts';

describe('regions under real names', () => {
  let emu: Emulator;
  let client: Client;
  beforeAll(async () => {
    emu = await startEmulator({ regions: ['us-south', 'eu-de'], domains: { 'us-south': 'us.icr.io' }, registry: false });
    client = await clientFor(emu);
  }, 30_000);
  afterAll(() => emu?.stop());

  /** A request to the region's address that asks TLS for `servername`, as a proxied client does. */
  const viaName = (path: string, servername = 'us.icr.io', headers: Record<string, string> = {}) =>
    httpsRequest(`https://${emu.addressOf('us-south')}${path}`, { ca: client.ca, servername, headers });

  it('names the region by its name, and listens on 127.0.0.1', () => {
    expect(emu.hostOf('us-south')).toBe('us.icr.io');
    expect(emu.addressOf('us-south')).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(emu.hosts).toEqual(['us.icr.io', emu.addressOf('eu-de')]);
    expect(emu.hostOf('eu-de')).toBe(emu.addressOf('eu-de'));
    expect(emu.regions[0]).toEqual({ name: 'us-south', host: 'us.icr.io', address: emu.addressOf('us-south') });
  });

  it('challenges with a realm on the name, logs in there and records the name', async () => {
    const ping = await viaName('/v2/');
    expect(ping.status).toBe(401);
    expect(headerOf(ping, 'www-authenticate')).toMatch(/^Bearer realm="?https:\/\/us\.icr\.io\/oauth\/token"?,/);
    const token = await viaName('/oauth/token?service=registry&scope=repository:ns/img:pull', 'us.icr.io', {
      Authorization: basic('iamapikey', emu.keys.user.key),
    });
    expect(token.status).toBe(200);
    expect(emu.requests.at(-1)).toMatchObject({
      server: 'registry',
      host: 'us.icr.io',
      region: 'us-south',
      path: '/oauth/token',
      status: 200,
    });
  });

  it('proves itself as its name alone: its address or another name fails the certificate check', async () => {
    await expect(httpsRequest(`https://${emu.addressOf('us-south')}/v2/`, { ca: client.ca })).rejects.toThrow(/altnames|ALTNAME/i);
    await expect(viaName('/v2/', 'de.icr.io')).rejects.toThrow(/altnames|ALTNAME/i);
    // A region without a name still proves itself as 127.0.0.1.
    expect((await httpsRequest(`https://${emu.addressOf('eu-de')}/v2/`, { ca: client.ca })).status).toBe(401);
  });

  it('redirects plain http to https on the name', async () => {
    const [host, port] = emu.addressOf('us-south').split(':');
    const location = await new Promise<string>((resolve, reject) => {
      const req = request({ host, port: Number(port), path: '/v2/', agent: false }, (r) => {
        r.resume();
        resolve(String(r.headers.location));
      });
      req.on('error', reject);
      req.end();
    });
    expect(location).toBe('https://us.icr.io/v2/');
  });

  it('trust() writes the CA into certs.d under the name', async () => {
    const home = await tempDir('emu-home-');
    await emu.trust(home);
    expect(await readFile(join(home, '.config/containers/certs.d/us.icr.io/ca.crt'), 'utf8')).toBe(client.ca);
  });

  it('refuses names of regions not emulated, names with a port, and a name given twice', async () => {
    await expect(startEmulator({ registry: false, domains: { 'eu-de': 'de.icr.io' } })).rejects.toThrow(
      /domains names eu-de, which is not emulated/,
    );
    await expect(startEmulator({ registry: false, domains: { 'us-south': 'us.icr.io:443' } })).rejects.toThrow(
      /distinct host names without a port/,
    );
    await expect(
      startEmulator({ registry: false, hostCount: 2, domains: { 'us-south': 'us.icr.io', 'eu-de': 'us.icr.io' } }),
    ).rejects.toThrow(/distinct host names/);
  });
});
