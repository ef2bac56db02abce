// The registry's answers to the access check's push probe (a PUT that finishes an upload never opened),
// from the real Distribution registry and from the faults that stand for answers it gives only in
// states we cannot set up; and Writer's delete, which the registry enforces.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { randomUUID } from 'node:crypto';
import { authLayerErrorFault, decodeJwtPayload, nameUnknownFault, startEmulator, writeOciImage } from '../index.ts';
import type { Emulator } from '../index.ts';
import { httpsRequest } from '../net/https-request.ts';
import type { HttpsResponse } from '../net/https-request.ts';
import { runClient } from '../testing/run-client.ts';
import { clientFor, clientHome, json, tempDir } from '../testing/test-client.ts';
import type { Client } from '../testing/test-client.ts';

const EMPTY = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

let emu: Emulator;
let client: Client;
let env: Record<string, string>;
beforeAll(async () => {
  emu = await startEmulator({ regions: ['us-south', 'eu-de'] });
  client = await clientFor(emu);
  ({ env } = await clientHome(emu));
}, 60_000);
afterEach(() => emu.clearFaults());
afterAll(() => emu?.stop(), 30_000);

/** A registry token for the key on that repository and region, asking for these actions. */
async function tokenFor(key: string, repository: string, actions: string, host = emu.host): Promise<string> {
  const res = await client.token('iamapikey', key, `service=registry&scope=repository:${repository}:${actions}`, host);
  expect(res.status).toBe(200);
  return String(json(res).token);
}

const call = (method: string, path: string, token: string, host = emu.host): Promise<HttpsResponse> =>
  httpsRequest(`https://${host}${path}`, {
    ca: client.ca,
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Length': '0' },
  });

const ghost = (repository: string): string => `/v2/${repository}/blobs/uploads/${randomUUID()}?digest=${EMPTY}`;
const codeOf = (res: HttpsResponse): unknown => (json(res).errors as Array<{ code: string }> | undefined)?.[0]?.code;

describe('the push probe against the real registry', () => {
  it('a push-authorised PUT of an upload never opened: 404 BLOB_UPLOAD_INVALID', async () => {
    const token = await tokenFor(emu.keys.service.key, 'ns/probe', 'pull,push');
    const res = await call('PUT', ghost('ns/probe'), token);
    expect([res.status, codeOf(res)]).toEqual([404, 'BLOB_UPLOAD_INVALID']);
  });

  it('a PUT of an upload that was opened and then cancelled: 404 BLOB_UPLOAD_UNKNOWN', async () => {
    const token = await tokenFor(emu.keys.service.key, 'ns/probe', 'pull,push,delete');
    const opened = await call('POST', '/v2/ns/probe/blobs/uploads/', token);
    expect(opened.status).toBe(202);
    const location = String(opened.headers.location);
    expect((await call('DELETE', location, token)).status).toBe(204);
    const res = await call('PUT', `${location}&digest=${EMPTY}`, token);
    expect([res.status, codeOf(res)]).toEqual([404, 'BLOB_UPLOAD_UNKNOWN']);
  });

  it('without push: the registry refuses before it looks for the upload', async () => {
    const token = await tokenFor(emu.keys.reader.key, 'ns/probe', 'pull,push');
    const res = await call('PUT', ghost('ns/probe'), token);
    expect([res.status, codeOf(res)]).toEqual([403, 'DENIED']);
  });
});

describe('probe answers as faults', () => {
  it('NAME_UNKNOWN waits for the upload PUT: the ping and the token pass untouched', async () => {
    emu.inject('v2', nameUnknownFault({ repository: 'ns/probe' }));
    expect((await httpsRequest(`https://${emu.host}/v2/`, { ca: client.ca })).status).toBe(401);
    const token = await tokenFor(emu.keys.service.key, 'ns/probe', 'pull,push');
    // Another repository's upload is not the one it waits for.
    expect(codeOf(await call('PUT', ghost('ns/other'), token))).not.toBe('NAME_UNKNOWN');
    const res = await call('PUT', ghost('ns/probe'), token);
    expect(res.status).toBe(404);
    expect(res.headers['docker-distribution-api-version']).toBe('registry/2.0');
    expect(json(res)).toEqual({
      errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry', detail: { name: 'ns/probe' } }],
    });
    // Once: the next probe gets the registry's own answer.
    expect(codeOf(await call('PUT', ghost('ns/probe'), token))).toBe('BLOB_UPLOAD_INVALID');
  });

  it('the auth layer’s 400 has no body at all', async () => {
    emu.inject('v2', authLayerErrorFault());
    const token = await tokenFor(emu.keys.service.key, 'ns/probe', 'pull,push');
    expect((await call('GET', '/v2/ns/probe/tags/list', token)).status).toBe(404); // not a PUT: untouched
    const res = await call('PUT', ghost('ns/probe'), token);
    expect([res.status, res.body, res.headers['content-type']]).toEqual([400, '', undefined]);
  });

  it('a fault for one region leaves the other alone', async () => {
    emu.inject('v2', nameUnknownFault({ region: 'eu-de' }));
    const us = await tokenFor(emu.keys.service.key, 'ns/probe', 'pull,push');
    expect(codeOf(await call('PUT', ghost('ns/probe'), us))).toBe('BLOB_UPLOAD_INVALID');
    const eu = emu.hostOf('eu-de');
    const euToken = await tokenFor(emu.keys.service.key, 'ns/probe', 'pull,push', eu);
    const res = await call('PUT', ghost('ns/probe'), euToken, eu);
    expect([res.status, codeOf(res)]).toEqual([404, 'NAME_UNKNOWN']);
    expect(json(res).errors).toEqual([{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }]);
  });

  it('faults without a match are still taken by the next request, in order', async () => {
    emu.inject('v2', nameUnknownFault(), { status: 503 });
    expect((await httpsRequest(`https://${emu.host}/v2/`, { ca: client.ca })).status).toBe(503);
    const token = await tokenFor(emu.keys.service.key, 'ns/probe', 'pull,push');
    expect(codeOf(await call('PUT', ghost('ns/probe'), token))).toBe('NAME_UNKNOWN');
  });
});

describe('Writer deletes (container-registry.image.delete is Writer and Manager)', () => {
  it('the token service grants Writer delete, Reader not', async () => {
    const writer = emu.addKey({ policies: [{ role: 'Writer' }] });
    const granted = (token: string) => (decodeJwtPayload(token).access as Array<{ actions: string[] }>)[0]?.actions;
    expect(granted(await tokenFor(writer.key, 'ns/del', 'pull,push,delete'))).toEqual(['pull', 'push', 'delete']);
    expect(granted(await tokenFor(emu.keys.reader.key, 'ns/del', 'pull,push,delete'))).toEqual(['pull']);
  });

  it('a Writer deletes an image it pushed and cancels an upload; a Reader can do neither', async () => {
    const writer = emu.addKey({ policies: [{ role: 'Writer', namespace: 'ns' }] });
    const image = await writeOciImage(await tempDir('emu-oci-'));
    const pushed = await runClient(
      'skopeo',
      ['copy', '--dest-creds', `iamapikey:${writer.key}`, image.ref, `docker://${emu.host}/ns/del:1`],
      {
        env,
      },
    );
    expect([pushed.code, pushed.stderr]).toEqual([0, '']);
    const inspect = await runClient('skopeo', ['inspect', '--creds', `iamapikey:${writer.key}`, `docker://${emu.host}/ns/del:1`], { env });
    const digest = String((JSON.parse(inspect.stdout) as { Digest: string }).Digest);

    const reader = await tokenFor(emu.keys.reader.key, 'ns/del', 'pull,delete');
    expect((await call('DELETE', `/v2/ns/del/manifests/${digest}`, reader)).status).toBe(403);
    const token = await tokenFor(writer.key, 'ns/del', 'pull,push,delete');
    expect((await call('DELETE', `/v2/ns/del/manifests/${digest}`, token)).status).toBe(202);
    const gone = await runClient('skopeo', ['inspect', '--creds', `iamapikey:${writer.key}`, `docker://${emu.host}/ns/del:1`], { env });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/manifest unknown/);

    const opened = await call('POST', '/v2/ns/del/blobs/uploads/', token);
    expect(opened.status).toBe(202);
    expect((await call('DELETE', String(opened.headers.location), reader)).status).toBe(403);
    expect((await call('DELETE', String(opened.headers.location), token)).status).toBe(204);
  });
});
